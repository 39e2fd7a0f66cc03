//! The words a query is cut into: the lexicon's and the directory's own (keywords, targets,
//! field names), found by longest match, with a one-edit typo correction for longer words.

use std::collections::{HashMap, HashSet};

use super::readings::Readings;
use super::semantic::{Neighbour, Semantic};
use crate::morph::Analyzer;
use crate::text::script_of;

/// Words shorter than this are corrected only for one wrong letter at either end (an IME
/// picking the wrong kanji: 太極券 → 太極拳); two-character words never.
const TYPO_MIN_CHARS: usize = 4;
const SHORT_TYPO_CHARS: usize = 3;
const MAX_WORD_CHARS: usize = 16;

#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
    max_chars: usize,
    /// Each word with one character deleted → the words it came from (SymSpell-style).
    deletions: HashMap<String, Vec<String>>,
    /// The morphological dictionary, unless the search runs without it.
    pub analyzer: Option<&'static Analyzer>,
    /// The directory's words by reading (empty without the dictionary).
    pub readings: Readings,
    /// Words already given their readings.
    read: HashSet<String>,
    /// Word vectors, unless the search runs without the semantic layer.
    pub vectors: Option<&'static crate::vectors::WordVectors>,
    /// The directory's words by meaning (empty without vectors).
    pub semantic: Semantic,
    /// Word → one spelling of its synonym group, so a typo near two spellings of one word
    /// (生け花, 活け花) is not ambiguous.
    spelling: HashMap<String, String>,
    /// Word → how many times the directory uses it for what groups do and for whom they serve.
    uses: HashMap<String, [u32; 2]>,
}

impl Vocabulary {
    pub fn insert(&mut self, word: &str) {
        let chars = word.chars().count();
        if !(2..=MAX_WORD_CHARS).contains(&chars) || word.contains(' ') || self.words.contains(word)
        {
            return;
        }
        self.max_chars = self.max_chars.max(chars);
        self.words.insert(word.to_string());
        if chars >= SHORT_TYPO_CHARS {
            for deleted in one_deletions(word) {
                let from = self.deletions.entry(deleted).or_default();
                if !from.iter().any(|w| w == word) {
                    from.push(word.to_string());
                }
            }
        }
    }

    /// Adds a word as the directory writes it (katakana kept): known by its normalised form
    /// and, with the dictionary, by its reading.
    pub fn insert_written(&mut self, written: &str) {
        let word = crate::text::normalize(written);
        self.insert(&word);
        // Each word is read once (a directory repeats its words).
        if !self.read.insert(word.clone()) {
            return;
        }
        if let Some(analyzer) = self.analyzer {
            self.readings.insert(analyzer, written, &word);
        }
    }

    /// One more use of the directory word `normal` (normalised), as a keyword or as whom a
    /// group serves (`serves`).
    pub fn count_use(&mut self, normal: &str, serves: bool) {
        match self.uses.get_mut(normal) {
            Some(counts) => counts[usize::from(serves)] += 1,
            None => {
                let mut counts = [0; 2];
                counts[usize::from(serves)] = 1;
                self.uses.insert(normal.to_string(), counts);
            }
        }
    }

    /// Adds a word that says what a group does or whom it serves (`serves`): also known by
    /// meaning. Its uses are counted apart ([`Vocabulary::count_use`]).
    pub fn insert_concept(&mut self, written: &str, serves: bool) {
        self.insert_written(written);
        let word = crate::text::normalize(written);
        if let Some(vectors) = self.vectors {
            self.semantic
                .insert(vectors, self.analyzer, written, &word, serves);
        }
    }

    /// Directory words near `written` in meaning; `None` without the semantic layer or when
    /// `written` has no vector.
    pub fn neighbours(&self, written: &str) -> Option<Vec<Neighbour>> {
        self.semantic
            .neighbours(self.vectors?, self.analyzer, written)
    }

    /// Spelling variants (word → its other spellings, as in the lexicon's synonym groups): a
    /// correction may land on any of one group's spellings.
    pub fn spell_alike(&mut self, variants: &HashMap<String, Vec<String>>) {
        for (word, others) in variants {
            let first = others.iter().chain([word]).min().unwrap_or(word);
            self.spelling.insert(word.clone(), first.clone());
        }
    }

    /// The one word `found` stands for, if its words are all spellings of one word.
    fn one_word(&self, mut found: Vec<&String>) -> Option<String> {
        found.sort();
        found.dedup();
        let spelling = |w: &String| self.spelling.get(w).unwrap_or(w).clone();
        let first = found.first()?;
        found
            .iter()
            .all(|w| spelling(w) == spelling(first))
            .then(|| (*first).clone())
    }

    /// The directory uses `word` (normalised) more for whom groups serve than for what they do.
    pub fn names_whom(&self, word: &str) -> bool {
        self.uses
            .get(word)
            .is_some_and(|[does, serves]| serves > does)
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Length in chars of the longest known word starting at `at`.
    pub fn longest_at(&self, chars: &[char], at: usize) -> Option<usize> {
        let most = self.max_chars.min(chars.len() - at);
        (2..=most).rev().find(|&len| {
            self.words
                .contains(&chars[at..at + len].iter().collect::<String>())
        })
    }

    /// A known word one edit (insertion, deletion, substitution, swap) away from the text
    /// starting at `at`: (chars of the text consumed, the word). Longest text first.
    /// `scripts` is the same text before kana folding, where word boundaries still show.
    pub fn correction_at(
        &self,
        chars: &[char],
        scripts: &[char],
        at: usize,
    ) -> Option<(usize, String)> {
        // A known word one letter on: this letter is a particle before it, not a typo.
        if at + 1 < chars.len() && self.longest_at(chars, at + 1).is_some() {
            return None;
        }
        if !starts_run(scripts, at) {
            return None;
        }
        let most = (self.max_chars + 1).min(chars.len() - at);
        for len in (SHORT_TYPO_CHARS..=most).rev() {
            if !ends_run(scripts, at + len) {
                continue;
            }
            let typed: String = chars[at..at + len].iter().collect();
            if let Some(word) = self.correct(&typed) {
                return Some((len, word));
            }
        }
        None
    }

    /// A known word one edit away from text that ends at `end` and takes in at least the
    /// stretch from `from` (an unknown run, with some of the known text before it):
    /// 男の料理 + 教質 → 料理教室. (start of the text, the word); longest text first.
    pub fn correction_ending_at(
        &self,
        chars: &[char],
        scripts: &[char],
        from: usize,
        end: usize,
    ) -> Option<(usize, String)> {
        let earliest = end.saturating_sub(self.max_chars + 1);
        (earliest..=from)
            .filter(|&start| end - start >= SHORT_TYPO_CHARS && starts_run(scripts, start))
            .find_map(|start| {
                let typed: String = chars[start..end].iter().collect();
                self.correct(&typed).map(|word| (start, word))
            })
    }

    fn correct(&self, typed: &str) -> Option<String> {
        if typed.chars().count() < TYPO_MIN_CHARS {
            return self.correct_short(typed);
        }
        let mut found: Vec<&String> = Vec::new();
        // A letter missing from what was typed.
        if let Some(words) = self.deletions.get(typed) {
            found.extend(words);
        }
        let last = typed.chars().count() - 1;
        for (skipped, deleted) in one_deletions(typed).into_iter().enumerate() {
            // A letter too many, inside the word (one at either end is a neighbour's).
            if skipped != 0 && skipped != last {
                if let Some(word) = self.words.get(&deleted) {
                    found.push(word);
                }
            }
            // A wrong letter (both lose the same position).
            if let Some(words) = self.deletions.get(&deleted) {
                found.extend(words.iter().filter(|w| is_one_substitution(typed, w)));
            }
        }
        // Ambiguous corrections guess; guessing wrong is worse than not correcting.
        self.one_word(found)
    }
}

impl Vocabulary {
    /// A short word with its first or last letter wrong; the two letters kept stand together.
    fn correct_short(&self, typed: &str) -> Option<String> {
        let chars: Vec<char> = typed.chars().collect();
        if chars.len() != SHORT_TYPO_CHARS {
            return None;
        }
        let mut found: Vec<&String> = Vec::new();
        for skip in [0, chars.len() - 1] {
            let kept: String = chars
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, c)| c)
                .collect();
            if let Some(words) = self.deletions.get(&kept) {
                found.extend(words.iter().filter(|w| {
                    w.chars().count() == chars.len()
                        && is_one_substitution(typed, w)
                        && w.chars().nth(skip) != Some(chars[skip])
                }));
            }
        }
        self.one_word(found)
    }
}

/// Typos stay inside what was typed as words: a correction never starts or ends in the middle
/// of a run of one script (近所のス|ーパー is two words' pieces, not a misspelling).
fn starts_run(chars: &[char], at: usize) -> bool {
    at == 0 || script_of(chars[at - 1]) != script_of(chars[at])
}

fn ends_run(chars: &[char], end: usize) -> bool {
    end >= chars.len() || script_of(chars[end - 1]) != script_of(chars[end])
}

fn one_deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len())
        .map(|skip| {
            chars
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

fn is_one_substitution(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differing.as_slice() {
        [_] => true,
        // Two neighbouring letters swapped.
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &[&str]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for w in words {
            v.insert(w);
        }
        v
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn longest_word_wins() {
        let v = vocabulary(&["子ども", "子ども食堂", "食堂"]);
        assert_eq!(v.longest_at(&chars("子ども食堂です"), 0), Some(5));
        assert_eq!(v.longest_at(&chars("の食堂"), 1), Some(2));
        assert_eq!(v.longest_at(&chars("あ"), 0), None);
    }

    #[test]
    fn one_edit_typos_are_corrected() {
        let v = vocabulary(&["ぼらんてぃあ", "料理教室", "哲学かふぇ"]);
        let fix = |text: &str| v.correction_at(&chars(text), &chars(text), 0);
        assert_eq!(fix("ぼらんてあ"), Some((5, "ぼらんてぃあ".into())));
        assert_eq!(fix("料理教質"), Some((4, "料理教室".into())));
        assert_eq!(fix("鉄学かふぇ"), Some((5, "哲学かふぇ".into())));
        assert_eq!(fix("りょうり"), None);
    }

    #[test]
    fn a_typo_after_a_known_word_is_read_with_it() {
        let v = vocabulary(&["男の料理", "料理教室"]);
        let text = chars("男の料理教質");
        assert_eq!(
            v.correction_ending_at(&text, &text, 4, 6),
            Some((2, "料理教室".into()))
        );
        assert_eq!(
            v.correction_ending_at(&chars("男の料理"), &chars("男の料理"), 4, 4),
            None
        );
    }

    #[test]
    fn corrections_never_cut_a_word_of_one_script() {
        let v = vocabulary(&["近所の人"]);
        // 近所のス|ーパー: folded, スーパー reads すーぱー, but the boundary is in the katakana.
        let folded = chars("近所のすーぱー");
        assert_eq!(v.correction_at(&folded, &chars("近所のスーパー"), 0), None);
    }

    #[test]
    fn a_wrong_kanji_at_either_end_of_a_short_word_is_corrected() {
        let v = vocabulary(&["太極拳", "生け花", "郷土史"]);
        let fix = |text: &str| {
            v.correction_at(&chars(text), &chars(text), 0)
                .map(|(_, w)| w)
        };
        assert_eq!(fix("太極券").as_deref(), Some("太極拳"));
        assert_eq!(fix("行け花").as_deref(), Some("生け花"));
        assert_eq!(fix("郷土氏").as_deref(), Some("郷土史"));
        // The middle letter wrong leaves two letters apart: not a slip of one kanji.
        assert_eq!(fix("郷里史"), None);
    }

    #[test]
    fn a_slip_near_two_spellings_of_one_word_is_corrected() {
        let mut v = vocabulary(&["生け花", "活け花", "郷土史"]);
        let fix = |v: &Vocabulary| {
            v.correction_at(&chars("行け花"), &chars("行け花"), 0)
                .map(|(_, w)| w)
        };
        assert_eq!(fix(&v), None, "two different words: no guess");
        let variants = HashMap::from([
            ("生け花".to_string(), vec!["活け花".to_string()]),
            ("活け花".to_string(), vec!["生け花".to_string()]),
        ]);
        v.spell_alike(&variants);
        assert!(fix(&v).is_some_and(|w| w.ends_with("け花")));
    }

    #[test]
    fn short_or_ambiguous_words_are_left_alone() {
        let v = vocabulary(&["教室", "料理教室", "料理教材"]);
        assert_eq!(v.correction_at(&chars("教質"), &chars("教質"), 0), None);
        assert_eq!(
            v.correction_at(&chars("料理教質"), &chars("料理教質"), 0),
            None
        );
    }
}
