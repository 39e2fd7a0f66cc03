//! How well one alternative of a term matches one text of a group, from 0 to 1.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::index::Field;
use super::query::{Alternative, Via};
use crate::morph::Analyzer;
use crate::text::{script_of, Script};

/// A gapped match shorter than this share of its span is a coincidence, not a typo.
const MIN_COMPACTNESS: f32 = 0.6;
/// A text sharing fewer of the term's character pairs is about something else.
const MIN_BIGRAM_SHARE: f32 = 0.7;

pub struct Scorer {
    matcher: SkimMatcherV2,
    /// Word boundaries, to tell a word from letters inside a longer one.
    analyzer: Option<&'static Analyzer>,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer::new(None)
    }
}

/// Quality of a match found only inside longer words (京都 in 東京都内).
const INSIDE_A_WORD: f32 = 0.5;
/// Letters of context either side a word boundary is judged by.
const WINDOW: usize = 4;

impl Scorer {
    pub fn new(analyzer: Option<&'static Analyzer>) -> Scorer {
        Scorer {
            matcher: SkimMatcherV2::default().ignore_case(),
            analyzer,
        }
    }

    /// Whether some occurrence of `needle` in `text` starts and ends on word boundaries, as
    /// the dictionary cuts the text around it. Only two-kanji words are judged, in names and
    /// descriptions (a longer or kana word inside another is rarely a different word).
    fn found_as_a_word(&self, needle: &str, text: &str) -> bool {
        let Some(analyzer) = self.analyzer else {
            return true;
        };
        let mut letters = needle.chars();
        let (Some(first), Some(second), None) = (letters.next(), letters.next(), letters.next())
        else {
            return true;
        };
        if script_of(first) != Script::Kanji || script_of(second) != Script::Kanji {
            return true;
        }
        // Every occurrence, overlapping ones too, each judged in a window of WINDOW letters
        // either side (byte offsets throughout: the text is not copied).
        let mut from = 0;
        while let Some(found) = text[from..].find(needle) {
            let at = from + found;
            let end = at + needle.len();
            let (start, lead) = text[..at]
                .char_indices()
                .rev()
                .take(WINDOW)
                .fold((at, 0), |(_, lead), (i, _)| (i, lead + 1));
            let stop = text[end..]
                .char_indices()
                .nth(WINDOW)
                .map_or(text.len(), |(i, _)| end + i);
            if analyzer.cuts_at(&text[start..stop], lead, lead + 2) {
                return true;
            }
            from = at + first.len_utf8();
        }
        false
    }

    pub fn quality(&self, alternative: &Alternative, field: Field, text: &str) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        if alternative.latin {
            return if field.latin() && contains_at_word_start(text, &alternative.text) {
                1.0
            } else {
                0.0
            };
        }
        let needle = match field {
            Field::Reading => match &alternative.reading {
                Some(reading) => reading.as_str(),
                None => return 0.0,
            },
            Field::English => return 0.0,
            _ => alternative.text.as_str(),
        };
        if text.contains(needle) {
            let judged = matches!(field, Field::Name | Field::Description);
            return if !judged || self.found_as_a_word(needle, text) {
                1.0
            } else {
                INSIDE_A_WORD
            };
        }
        let chars = if field == Field::Reading {
            needle.chars().count()
        } else {
            alternative.chars
        };
        // A gapped match is for misspellings: only what the person typed has them (and it is the
        // costly test). Dictionary expansions may still share most of their character pairs.
        let typed = matches!(alternative.via, Via::Exact | Via::Typo);
        if typed && chars >= 2 && field.fuzzy() && in_order(needle, text) {
            if let Some((_, indices)) = self.matcher.fuzzy_indices(text, needle) {
                // Indices are char positions; a tight span means a letter or two astray.
                if let (Some(first), Some(last)) = (indices.first(), indices.last()) {
                    let compact = chars as f32 / (last - first + 1) as f32;
                    if compact >= MIN_COMPACTNESS {
                        return 0.8 * compact * compact;
                    }
                }
            }
        }
        if chars >= 3 {
            if let Some(share) = bigram_share(needle, chars - 1, text) {
                return 0.6 * share;
            }
        }
        0.0
    }
}

fn contains_at_word_start(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether the needle's letters all occur in the text in order (ASCII case aside): what the
/// fuzzy matcher needs before it scores anything, checked here without its allocations.
fn in_order(needle: &str, text: &str) -> bool {
    let mut wanted = needle.chars().peekable();
    for c in text.chars() {
        match wanted.peek() {
            Some(w) if w.eq_ignore_ascii_case(&c) => {
                wanted.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    wanted.peek().is_none()
}

/// Share of the needle's `pairs` character pairs found in the text, when it is at least
/// [`MIN_BIGRAM_SHARE`]; counting stops as soon as too many pairs are missing.
fn bigram_share(needle: &str, pairs: usize, text: &str) -> Option<f32> {
    if pairs == 0 {
        return None;
    }
    let mut missing = 0;
    // Each pair is a slice of the needle, from one letter's start to the end of the next.
    let mut letters = needle.char_indices();
    let (mut from, _) = letters.next()?;
    for (at, letter) in letters {
        if !text.contains(&needle[from..at + letter.len_utf8()]) {
            missing += 1;
            if ((pairs - missing) as f32 / pairs as f32) < MIN_BIGRAM_SHARE {
                return None;
            }
        }
        from = at;
    }
    Some((pairs - missing) as f32 / pairs as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(text: &str) -> Alternative {
        Alternative {
            text: text.to_string(),
            chars: text.chars().count(),
            via: Via::Exact,
            weight: 1.0,
            latin: text.is_ascii(),
            reading: text
                .chars()
                .all(|c| ('ぁ'..='ゖ').contains(&c))
                .then(|| crate::text::reading_key(text)),
        }
    }

    #[test]
    fn exact_beats_gapped_beats_shared_pairs() {
        let s = Scorer::default();
        let exact = s.quality(&alt("子ども食堂"), Field::Keywords, "子ども食堂 学習支援");
        let gapped = s.quality(&alt("ぼらんてあ"), Field::Name, "ぼらんてぃあの会");
        let pairs = s.quality(
            &alt("こども食道"),
            Field::Description,
            "こども食堂を開いています",
        );
        assert_eq!(exact, 1.0);
        assert!(gapped > 0.4 && gapped < 1.0, "{gapped}");
        assert!(pairs > 0.3 && pairs < gapped, "{pairs}");
    }

    #[test]
    fn scattered_letters_are_no_match() {
        let s = Scorer::default();
        assert_eq!(
            s.quality(&alt("こども"), Field::Name, "こうえんでどうぶつともあそぶ"),
            0.0
        );
    }

    #[test]
    fn latin_words_match_at_word_starts_in_english_fields_only() {
        let s = Scorer::default();
        assert_eq!(
            s.quality(&alt("class"), Field::English, "japanese classes for adults"),
            1.0
        );
        assert_eq!(
            s.quality(&alt("ass"), Field::English, "japanese classes"),
            0.0
        );
        assert_eq!(s.quality(&alt("class"), Field::Description, "class"), 0.0);
    }

    #[test]
    fn kana_is_compared_with_the_reading() {
        let s = Scorer::default();
        assert_eq!(
            s.quality(&alt("まるっと"), Field::Reading, "ぼつちやさくるまるつと"),
            1.0
        );
        assert_eq!(s.quality(&alt("子ども"), Field::Reading, "こども"), 0.0);
    }
}
