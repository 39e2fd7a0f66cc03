//! The search vocabulary kept as reviewable data in `lexicon/`: spelling variants, needs → the
//! activities that answer them, English → Japanese, request phrases to strip, district aliases.
//! Every word is stored in normalised form (see `text::normalize`).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::text::normalize;

const SYNONYMS: &str = include_str!("../../../lexicon/synonyms.toml");
const RELATED: &str = include_str!("../../../lexicon/related.toml");
const ENGLISH: &str = include_str!("../../../lexicon/english.toml");
const PHRASES: &str = include_str!("../../../lexicon/phrases.toml");
const AREAS: &str = include_str!("../../../lexicon/areas.toml");

#[derive(Debug, thiserror::Error)]
#[error("lexicon/{file}: {message}")]
pub struct LexiconError {
    pub file: &'static str,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    groups: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedFile {
    related: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnglishFile {
    words: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhrasesFile {
    ja: Vec<String>,
    en: Vec<String>,
    en_stopwords: Vec<String>,
    ja_stopwords: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasFile {
    aliases: HashMap<String, String>,
}

/// The parts of the lexicon a search can be run without, to measure what each one is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexiconParts {
    pub variants: bool,
    pub english: bool,
    pub phrases: bool,
    /// The morphological dictionary (content words, readings): see [`crate::morph`].
    pub dictionary: bool,
    /// The semantic layer (word vectors): see [`crate::vectors`].
    pub semantic: bool,
}

impl LexiconParts {
    pub const ALL: LexiconParts = LexiconParts {
        variants: true,
        english: true,
        phrases: true,
        dictionary: true,
        semantic: true,
    };
}

#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Word → the other words of its variant groups.
    pub variants: HashMap<String, Vec<String>>,
    /// Need or situation → activity words.
    pub related: HashMap<String, Vec<String>>,
    /// English word or phrase → Japanese words.
    pub english: HashMap<String, Vec<String>>,
    /// Longest English phrase, in words.
    pub english_max_words: usize,
    /// Request phrases, longest first.
    pub ja_phrases: Vec<String>,
    pub en_phrases: Vec<String>,
    pub en_stopwords: HashSet<String>,
    pub ja_stopwords: HashSet<String>,
    /// Words naming the kind of gathering rather than the activity; they count less.
    pub weak: HashSet<String>,
    /// Alias → district name as the directory writes it (normalised).
    pub area_aliases: HashMap<String, String>,
    /// Normalised word → as the lexicon writes it (シニア, not しにあ), for explanations.
    pub display: HashMap<String, String>,
    /// Whether searches use the morphological dictionary.
    pub dictionary: bool,
    /// Whether searches use the semantic layer.
    pub semantic: bool,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, LexiconError> {
    toml::from_str(text).map_err(|error| LexiconError {
        file,
        message: error.to_string(),
    })
}

fn normalized_list(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        let word = normalize(word);
        if !word.is_empty() && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// Remembers how each word is written, keyed by its normalised form.
fn remember(display: &mut HashMap<String, String>, words: &[String]) {
    for word in words {
        display
            .entry(normalize(word))
            .or_insert_with(|| word.trim().to_string());
    }
}

impl Lexicon {
    /// The lexicon shipped in the binary.
    pub fn builtin(parts: LexiconParts) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon {
            dictionary: parts.dictionary,
            semantic: parts.semantic,
            ..Lexicon::default()
        };
        if parts.variants {
            let synonyms: SynonymsFile = parse("synonyms.toml", SYNONYMS)?;
            for group in synonyms.groups {
                remember(&mut lexicon.display, &group);
                let group = normalized_list(&group);
                for word in &group {
                    let others = lexicon.variants.entry(word.clone()).or_default();
                    for other in &group {
                        if other != word && !others.contains(other) {
                            others.push(other.clone());
                        }
                    }
                }
            }
            let related: RelatedFile = parse("related.toml", RELATED)?;
            let mut related: Vec<(String, Vec<String>)> = related.related.into_iter().collect();
            related.sort();
            for (need, words) in related {
                remember(&mut lexicon.display, &words);
                let need = normalize(&need);
                let words = normalized_list(&words);
                lexicon.related.entry(need).or_default().extend(words);
            }
        }
        if parts.english {
            let english: EnglishFile = parse("english.toml", ENGLISH)?;
            let mut words: Vec<(String, Vec<String>)> = english.words.into_iter().collect();
            words.sort();
            for (word, japanese) in words {
                remember(&mut lexicon.display, &japanese);
                let word = normalize(&word);
                lexicon.english_max_words = lexicon.english_max_words.max(word.split(' ').count());
                lexicon.english.insert(word, normalized_list(&japanese));
            }
        }
        let phrases: PhrasesFile = parse("phrases.toml", PHRASES)?;
        if parts.phrases {
            lexicon.ja_phrases = normalized_list(&phrases.ja);
            lexicon
                .ja_phrases
                .sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
            lexicon.en_phrases = normalized_list(&phrases.en);
            lexicon
                .en_phrases
                .sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        }
        lexicon.en_stopwords = normalized_list(&phrases.en_stopwords).into_iter().collect();
        lexicon.ja_stopwords = normalized_list(&phrases.ja_stopwords).into_iter().collect();
        lexicon.weak = normalized_list(&phrases.weak).into_iter().collect();
        let areas: AreasFile = parse("areas.toml", AREAS)?;
        lexicon.area_aliases = areas
            .aliases
            .iter()
            .map(|(alias, area)| (normalize(alias), normalize(area)))
            .collect();
        Ok(lexicon)
    }

    /// Every Japanese word the lexicon knows, for finding terms by longest match.
    pub fn words(&self) -> impl Iterator<Item = &String> {
        self.variants
            .keys()
            .chain(self.variants.values().flatten())
            .chain(self.related.keys())
            .chain(self.related.values().flatten())
            .chain(self.english.values().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_loads_normalised() {
        let lexicon = Lexicon::builtin(LexiconParts::ALL).expect("lexicon parses");
        assert!(!lexicon.variants.is_empty());
        assert!(!lexicon.english.is_empty());
        assert!(!lexicon.ja_phrases.is_empty());
        // Katakana in the files is folded to hiragana like every query.
        assert!(lexicon
            .words()
            .all(|w| !w.chars().any(|c| ('\u{30A1}'..='\u{30F6}').contains(&c))));
        let lengths: Vec<usize> = lexicon
            .ja_phrases
            .iter()
            .map(|p| p.chars().count())
            .collect();
        assert!(
            lengths.windows(2).all(|w| w[0] >= w[1]),
            "phrases longest first"
        );
    }

    #[test]
    fn parts_can_be_left_out() {
        let bare = Lexicon::builtin(LexiconParts {
            variants: false,
            english: false,
            phrases: false,
            dictionary: false,
            semantic: false,
        })
        .unwrap();
        assert!(bare.variants.is_empty() && bare.english.is_empty() && bare.ja_phrases.is_empty());
        assert!(!bare.area_aliases.is_empty());
    }
}
