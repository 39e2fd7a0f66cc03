//! Japanese morphological analysis: a text cut into words with their part of speech, base form
//! and reading. The dictionary is IPADIC (NAIST; resources/LICENSE.ipadic), compiled for vibrato
//! by scripts/build-dictionary.sh into resources/ipadic.dic.zst and embedded in the binary, so
//! nothing is fetched or installed at build or run time. Loaded once, on first use (~0.2 s).

use std::cell::Cell;
use std::io::Read;
use std::sync::OnceLock;

use crate::text::{katakana_to_hiragana, normalize_keep_kana, script_of, Script};

/// A tokenizer worker over the one analyser's dictionary.
type Worker = vibrato::tokenizer::worker::Worker<'static>;

static DICTIONARY: &[u8] = include_bytes!("../resources/ipadic.dic.zst");

/// What a word is, as far as finding things goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A noun that names something (一般, サ変接続, 固有名詞, 形容動詞語幹, 未知語).
    Noun,
    /// A noun that only works attached to others (者, 的, 会) or a prefix (お, 再).
    Affix,
    Verb,
    Adjective,
    /// Particles, auxiliaries, pronouns, numbers, symbols: grammar, not topic.
    Function,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written (normalised, katakana kept).
    pub surface: String,
    /// Dictionary form (話せ → 話せる); the surface for unknown words.
    pub base: String,
    /// Reading in hiragana; the surface (kana folded) for unknown words.
    pub reading: String,
    pub kind: Kind,
    /// Char range in the normalised text.
    pub start: usize,
    pub end: usize,
    /// The dictionary knows the word (unknown words are guessed by script).
    pub known: bool,
}

pub struct Analyzer {
    /// Lives as long as the process (the analyser is loaded once, see [`analyzer`]), so each
    /// thread can keep a worker over it between calls.
    tokenizer: &'static vibrato::Tokenizer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer(IPADIC)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MorphError {
    #[error("the embedded dictionary does not unpack: {0}")]
    Unpack(String),
    #[error("the embedded dictionary does not load: {0}")]
    Load(String),
}

/// The analyser over the embedded dictionary; `None` (logged once) if it cannot load, in which
/// case callers fall back to splitting text by script.
pub fn analyzer() -> Option<&'static Analyzer> {
    static ANALYZER: OnceLock<Option<Analyzer>> = OnceLock::new();
    ANALYZER
        .get_or_init(|| match Analyzer::embedded() {
            Ok(analyzer) => Some(analyzer),
            Err(error) => {
                tracing::error!(%error, "morphological analysis unavailable");
                None
            }
        })
        .as_ref()
}

impl Analyzer {
    /// Loaded once per process, by [`analyzer`] (the tokenizer is kept for good).
    fn embedded() -> Result<Analyzer, MorphError> {
        let mut decoder = ruzstd::decoding::StreamingDecoder::new(DICTIONARY)
            .map_err(|e| MorphError::Unpack(e.to_string()))?;
        let mut bytes = Vec::new();
        decoder
            .read_to_end(&mut bytes)
            .map_err(|e| MorphError::Unpack(e.to_string()))?;
        let dictionary = vibrato::Dictionary::read(bytes.as_slice())
            .map_err(|e| MorphError::Load(e.to_string()))?;
        Ok(Analyzer {
            tokenizer: Box::leak(Box::new(vibrato::Tokenizer::new(dictionary))),
        })
    }

    /// The words of `text` (normalised first, katakana kept so loanwords are found).
    pub fn words(&self, text: &str) -> Vec<Word> {
        let text = normalize_keep_kana(text);
        self.words_of_normalised(&text)
    }

    /// Like [`Analyzer::words`] for text already in `normalize_keep_kana` form.
    pub fn words_of_normalised(&self, text: &str) -> Vec<Word> {
        self.tokenized(text, |worker| {
            (0..worker.num_tokens())
                .map(|i| {
                    let token = worker.token(i);
                    let range = token.range_char();
                    let surface = token.surface().to_string();
                    let known = token.lex_type() != vibrato::dictionary::LexType::Unknown;
                    let mut feature = token.feature().split(',');
                    let pos = feature.next().unwrap_or("*");
                    let detail = feature.next().unwrap_or("*");
                    let base = feature.next().filter(|b| *b != "*");
                    let reading = feature.next().filter(|r| *r != "*");
                    let kind = kind_of(pos, detail, &surface);
                    Word {
                        base: base.unwrap_or(&surface).to_string(),
                        reading: hiragana(reading.unwrap_or(&surface)),
                        surface,
                        kind,
                        start: range.start,
                        end: range.end,
                        known,
                    }
                })
                .collect()
        })
    }

    /// Whether the dictionary cuts `text` (normalised) so that a word starts at char `start`
    /// and a word ends at char `end`; only the cut is computed (no forms or readings).
    pub fn cuts_at(&self, text: &str, start: usize, end: usize) -> bool {
        self.tokenized(text, |worker| {
            let mut starts = false;
            let mut ends = false;
            for i in 0..worker.num_tokens() {
                let range = worker.token(i).range_char();
                starts |= range.start == start;
                ends |= range.end == end;
            }
            starts && ends
        })
    }

    /// `read` over the tokens of `text`. Each thread keeps one worker (its lattice and buffers)
    /// between calls, so a search that cuts many short texts does not allocate them anew.
    fn tokenized<R>(&self, text: &str, read: impl FnOnce(&Worker) -> R) -> R {
        // A kept worker reads the one analyser's dictionary: `embedded` is private and called
        // once, by `analyzer`.
        thread_local! {
            static WORKER: Cell<Option<Worker>> = const { Cell::new(None) };
        }
        let mut worker = WORKER
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_else(|| self.tokenizer.new_worker());
        worker.reset_sentence(text);
        worker.tokenize();
        let result = read(&worker);
        let _ = WORKER.try_with(|cell| cell.set(Some(worker)));
        result
    }

    /// The whole reading of `text` in hiragana; words the dictionary does not know keep their
    /// letters (so a kanji the dictionary lacks never reads like something else).
    pub fn reading(&self, text: &str) -> String {
        self.words(text)
            .into_iter()
            .filter(|w| w.surface.trim() != "")
            .map(|w| w.reading)
            .collect()
    }
}

fn kind_of(pos: &str, detail: &str, surface: &str) -> Kind {
    let symbolic = surface.chars().all(|c| {
        !matches!(
            script_of(c),
            Script::Kanji | Script::Hiragana | Script::Katakana | Script::Latin
        )
    });
    if symbolic {
        return Kind::Function;
    }
    match (pos, detail) {
        ("名詞", "非自立" | "代名詞" | "数" | "副詞可能" | "特殊") => Kind::Function,
        ("名詞", "接尾") | ("接頭詞", _) => Kind::Affix,
        ("名詞", _) => Kind::Noun,
        ("動詞", "自立") => Kind::Verb,
        ("形容詞", "自立") => Kind::Adjective,
        _ => Kind::Function,
    }
}

fn hiragana(text: &str) -> String {
    text.chars().map(katakana_to_hiragana).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> &'static Analyzer {
        super::analyzer().expect("the embedded dictionary loads")
    }

    #[test]
    fn homophone_slips_read_alike() {
        let a = analyzer();
        assert_eq!(a.reading("水槽楽団"), a.reading("吹奏楽団"));
        assert_eq!(a.reading("防災師"), a.reading("防災士"));
    }

    #[test]
    fn sentences_give_content_words_with_base_forms() {
        let words = analyzer().words("日本語が話せなくて困っています");
        let content: Vec<(&str, Kind)> = words
            .iter()
            .filter(|w| w.kind != Kind::Function)
            .map(|w| (w.base.as_str(), w.kind))
            .collect();
        assert!(content.contains(&("日本語", Kind::Noun)), "{content:?}");
        assert!(content.contains(&("困る", Kind::Verb)), "{content:?}");
        assert!(!content.iter().any(|(b, _)| *b == "が"), "{content:?}");
    }

    #[test]
    fn loanwords_in_katakana_are_known() {
        let words = analyzer().words("ストリートダンス");
        assert!(words.iter().all(|w| w.known), "{words:?}");
        assert_eq!(analyzer().reading("ストリートダンス"), "すとりーとだんす");
    }
}
