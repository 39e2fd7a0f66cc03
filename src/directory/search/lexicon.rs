//! The search vocabulary kept as reviewable data in `lexicon/`: spelling variants, needs → the
//! activities that answer them, English → Japanese, request phrases to strip, district aliases.
//! Every word is stored in normalised form (see `text::normalize`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::text::normalize;

const SYNONYMS: &str = include_str!("../../../lexicon/synonyms.toml");
const RELATED: &str = include_str!("../../../lexicon/related.toml");
const ENGLISH: &str = include_str!("../../../lexicon/english.toml");
const PHRASES: &str = include_str!("../../../lexicon/phrases.toml");
const AREAS: &str = include_str!("../../../lexicon/areas.toml");

/// A lexicon file that does not parse: `location` is the file, with `:LINE` when known.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct LexiconError {
    pub location: String,
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
    #[serde(default)]
    ja: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    en_stopwords: Vec<String>,
    #[serde(default)]
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
    /// Whether English words the table lacks are looked up in JMdict.
    pub bilingual: bool,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, LexiconError> {
    toml::from_str(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        LexiconError {
            location: match line {
                Some(line) => format!("{file}:{line}"),
                None => file.to_string(),
            },
            message: error.message().to_string(),
        }
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

/// The lexicon's files, each with its built-in text.
const FILES: [(&str, &str); 5] = [
    ("synonyms.toml", SYNONYMS),
    ("related.toml", RELATED),
    ("english.toml", ENGLISH),
    ("phrases.toml", PHRASES),
    ("areas.toml", AREAS),
];

impl Lexicon {
    /// The lexicon shipped in the binary.
    pub fn builtin(parts: LexiconParts) -> Result<Lexicon, LexiconError> {
        Lexicon::load(parts, None)
    }

    /// The built-in lexicon with the office's files in `dir` (any of synonyms.toml,
    /// related.toml, english.toml, phrases.toml, areas.toml) added over it. Errors name the
    /// file and line (`DIR/related.toml:12: …`).
    pub fn load(parts: LexiconParts, dir: Option<&Path>) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon {
            dictionary: parts.dictionary,
            semantic: parts.semantic,
            bilingual: parts.english,
            ..Lexicon::default()
        };
        for (name, builtin) in FILES {
            lexicon.add(name, &format!("lexicon/{name}"), builtin, parts)?;
            if let Some(path) = dir.map(|d| d.join(name)).filter(|p| p.exists()) {
                let location = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| LexiconError {
                    location: location.clone(),
                    message: e.to_string(),
                })?;
                lexicon.add(name, &location, &text, parts)?;
            }
        }
        for phrases in [&mut lexicon.ja_phrases, &mut lexicon.en_phrases] {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
            phrases.dedup();
        }
        Ok(lexicon)
    }

    /// Newest change among the office's lexicon files (None: no folder or no file), to reload
    /// when one is edited.
    pub fn stamp(dir: &Path) -> Option<std::time::SystemTime> {
        FILES
            .iter()
            .filter_map(|(name, _)| std::fs::metadata(dir.join(name)).ok()?.modified().ok())
            .max()
    }

    fn add(
        &mut self,
        name: &str,
        location: &str,
        text: &str,
        parts: LexiconParts,
    ) -> Result<(), LexiconError> {
        match name {
            "synonyms.toml" if parts.variants => {
                let synonyms: SynonymsFile = parse(location, text)?;
                for group in synonyms.groups {
                    remember(&mut self.display, &group);
                    let group = normalized_list(&group);
                    for word in &group {
                        let others = self.variants.entry(word.clone()).or_default();
                        for other in &group {
                            if other != word && !others.contains(other) {
                                others.push(other.clone());
                            }
                        }
                    }
                }
            }
            "related.toml" if parts.variants => {
                let related: RelatedFile = parse(location, text)?;
                let mut related: Vec<(String, Vec<String>)> = related.related.into_iter().collect();
                related.sort();
                for (need, words) in related {
                    remember(&mut self.display, &words);
                    let need = normalize(&need);
                    let words = normalized_list(&words);
                    let known = self.related.entry(need).or_default();
                    for word in words {
                        if !known.contains(&word) {
                            known.push(word);
                        }
                    }
                }
            }
            "english.toml" if parts.english => {
                let english: EnglishFile = parse(location, text)?;
                let mut words: Vec<(String, Vec<String>)> = english.words.into_iter().collect();
                words.sort();
                for (word, japanese) in words {
                    remember(&mut self.display, &japanese);
                    let word = normalize(&word);
                    self.english_max_words = self.english_max_words.max(word.split(' ').count());
                    // The office's translation replaces the built-in one.
                    self.english.insert(word, normalized_list(&japanese));
                }
            }
            "phrases.toml" => {
                let phrases: PhrasesFile = parse(location, text)?;
                if parts.phrases {
                    self.ja_phrases.extend(normalized_list(&phrases.ja));
                    self.en_phrases.extend(normalized_list(&phrases.en));
                }
                self.en_stopwords
                    .extend(normalized_list(&phrases.en_stopwords));
                self.ja_stopwords
                    .extend(normalized_list(&phrases.ja_stopwords));
                self.weak.extend(normalized_list(&phrases.weak));
            }
            "areas.toml" => {
                let areas: AreasFile = parse(location, text)?;
                self.area_aliases.extend(
                    areas
                        .aliases
                        .iter()
                        .map(|(alias, area)| (normalize(alias), normalize(area))),
                );
            }
            _ => {}
        }
        Ok(())
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
    fn the_office_files_add_to_the_builtin_ones_and_errors_say_where() {
        let dir = std::env::temp_dir().join(format!("kyodo-lexicon-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("related.toml"),
            "[related]\n\"鉄道模型\" = [\"ジオラマ\"]\n",
        )
        .unwrap();
        let lexicon = Lexicon::load(LexiconParts::ALL, Some(&dir)).unwrap();
        assert_eq!(lexicon.related["鉄道模型"], vec!["じおらま"]);
        assert!(!lexicon.english.is_empty(), "built-in files still load");
        std::fs::write(dir.join("areas.toml"), "[aliases]\n\n\"駅の北\" = 3\n").unwrap();
        let error = Lexicon::load(LexiconParts::ALL, Some(&dir)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}:3:", dir.join("areas.toml").display())),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
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
