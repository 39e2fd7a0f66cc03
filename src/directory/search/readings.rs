//! Directory words by how they read, so a query written another way still finds them: kana
//! (すとりーと → ストリートダンス, らーめん → ラーメン) and IME slips that read like the word
//! meant (水槽楽団 → 吹奏楽団, 防災師 → 防災士, 社公ダンス → 社交ダンス).
//! Readings come from the morphological dictionary ([`crate::morph`]); a kanji read alone may
//! also take its on'yomi (resources/kanji-on.tsv, KANJIDIC2, CC BY-SA 4.0).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::morph::Analyzer;
use crate::text::{reading_key, script_of, Script};

const KANJI_ON: &str = include_str!("../../../resources/kanji-on.tsv");
/// Most words one reading may stand for (a reading shared by more says nothing).
const MAX_WORDS_PER_READING: usize = 8;
/// Most readings tried for one typed word (each single kanji multiplies them).
const MAX_READINGS: usize = 24;
/// Shortest reading key a part of a word is found by (whole words: 2).
const MIN_PART_KEY: usize = 3;
/// Shortest reading key compared without voicing marks (いけはな ~ いけばな).
const MIN_LOOSE_KEY: usize = 4;

/// Reading key (see [`reading_key`]) → the directory words (normalised) that read so, whole or
/// from one word boundary to another (だんす → 社交ダンス, ストリートダンス).
#[derive(Debug, Default)]
pub struct Readings {
    exact: HashMap<String, Vec<String>>,
    /// The same keys without voicing marks.
    loose: HashMap<String, Vec<String>>,
}

fn kanji_on() -> &'static HashMap<char, Vec<String>> {
    static TABLE: OnceLock<HashMap<char, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        KANJI_ON
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let (kanji, readings) = line.split_once('\t')?;
                let kanji = kanji.chars().next()?;
                Some((kanji, readings.split(' ').map(str::to_string).collect()))
            })
            .collect()
    })
}

/// Voiced and half-voiced kana as their plain letter (が → か, ぱ → は).
pub fn unvoiced(key: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    key.nfd()
        .filter(|c| !matches!(c, '\u{3099}' | '\u{309A}'))
        .collect()
}

fn push(map: &mut HashMap<String, Vec<String>>, key: String, word: &str) {
    let words = map.entry(key).or_default();
    if words.len() < MAX_WORDS_PER_READING && !words.iter().any(|w| w == word) {
        words.push(word.to_string());
    }
}

impl Readings {
    /// Adds `written` (as the directory writes it) under the normalised `word`.
    pub fn insert(&mut self, analyzer: &Analyzer, written: &str, word: &str) {
        let parts: Vec<String> = analyzer
            .words(written)
            .into_iter()
            .filter(|w| !w.surface.trim().is_empty())
            .map(|w| reading_key(&w.reading))
            .collect();
        // Spans from the start or to the end of the word (ストリート|ダンス: すとりーと, だんす):
        // linear in the word's length, so a large directory stays small.
        for start in 0..parts.len() {
            let mut key = String::new();
            for (end, part) in parts.iter().enumerate().skip(start) {
                key.push_str(part);
                if start > 0 && end + 1 < parts.len() {
                    continue;
                }
                let whole = start == 0 && end + 1 == parts.len();
                let chars = key.chars().count();
                if chars >= MIN_PART_KEY || (whole && chars >= 2) {
                    push(&mut self.exact, key.clone(), word);
                    if chars >= MIN_LOOSE_KEY {
                        push(&mut self.loose, unvoiced(&key), word);
                    }
                }
            }
        }
    }

    /// Directory words a kana word reads as.
    pub fn for_kana(&self, kana: &str) -> Vec<String> {
        let key = reading_key(kana);
        if key.chars().count() < 2 {
            return Vec::new();
        }
        self.lookup(std::iter::once(key))
    }

    /// Directory words `typed` (kanji, maybe with kana) may be a slip for: same reading, by the
    /// dictionary's reading or with a kanji read by its on'yomi.
    pub fn for_written(&self, analyzer: &Analyzer, typed: &str) -> Vec<String> {
        let mut keys: Vec<String> = vec![String::new()];
        for w in analyzer.words(typed) {
            if w.surface.trim().is_empty() {
                continue;
            }
            let mut options = vec![reading_key(&w.reading)];
            let mut chars = w.surface.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if script_of(c) == Script::Kanji {
                    for on in kanji_on().get(&c).into_iter().flatten() {
                        let on = reading_key(on);
                        if !options.contains(&on) {
                            options.push(on);
                        }
                    }
                }
            }
            keys = keys
                .iter()
                .flat_map(|k| options.iter().map(move |o| format!("{k}{o}")))
                .take(MAX_READINGS)
                .collect();
        }
        self.lookup(
            keys.into_iter()
                .filter(|k| k.chars().count() >= MIN_PART_KEY),
        )
    }

    fn lookup(&self, keys: impl Iterator<Item = String>) -> Vec<String> {
        let keys: Vec<String> = keys.collect();
        let mut found: Vec<String> = Vec::new();
        for key in &keys {
            extend_new(&mut found, self.exact.get(key));
        }
        if found.is_empty() {
            for key in keys.iter().filter(|k| k.chars().count() >= MIN_LOOSE_KEY) {
                extend_new(&mut found, self.loose.get(&unvoiced(key)));
            }
        }
        found
    }
}

fn extend_new(found: &mut Vec<String>, words: Option<&Vec<String>>) {
    for w in words.into_iter().flatten() {
        if !found.contains(w) {
            found.push(w.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn readings(words: &[&str]) -> (Readings, &'static Analyzer) {
        let analyzer = crate::morph::analyzer().expect("dictionary");
        let mut r = Readings::default();
        for w in words {
            r.insert(analyzer, w, &normalize(w));
        }
        (r, analyzer)
    }

    #[test]
    fn kana_finds_the_word_written_otherwise() {
        let (r, _) = readings(&["ストリートダンス", "ラーメン", "社交ダンス"]);
        assert_eq!(
            r.for_kana("すとりーと"),
            vec![normalize("ストリートダンス")]
        );
        assert_eq!(r.for_kana("らーめん"), vec![normalize("ラーメン")]);
        assert_eq!(r.for_kana("だんす").len(), 2);
    }

    #[test]
    fn homophone_slips_find_the_word_meant() {
        let (r, a) = readings(&["吹奏楽団", "社交ダンス", "防災士", "生け花"]);
        assert_eq!(r.for_written(a, "水槽楽団"), vec!["吹奏楽団"]);
        assert_eq!(
            r.for_written(a, "社公ダンス"),
            vec![normalize("社交ダンス")]
        );
        assert_eq!(r.for_written(a, "防災師"), vec!["防災士"]);
        assert_eq!(r.for_written(a, "行け花"), vec!["生け花"]);
        assert!(r.for_written(a, "花火").is_empty());
    }
}
