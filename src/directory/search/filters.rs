//! The filters a query names, taken out of its text before it is cut into terms: "recruiting"
//! (募集中), a district (港町, its aliases), and the request phrases around the topic
//! (参加したい, "I'd like to join").

use aho_corasick::{AhoCorasick, MatchKind};

use super::lexicon::Lexicon;
use super::query::{Areas, Query};

const RECRUITING_WORDS: &[&str] = &["募集中", "募集して", "募集あり", "recruiting"];

/// Every word `strip` may blank, in the order it tries them, and one automaton that tells in a
/// single pass over a query which of them it holds: a query is a few dozen characters, the
/// words are a thousand or more (each district with its ~16 forms, the lexicon's phrases), and
/// looking for each in turn touched every one of them on every message.
pub(super) struct Filters {
    /// Recruiting words, then district aliases (longest first: 駅前通り before 駅前, then by
    /// code point), then the Japanese and the English request phrases (the lexicon's order).
    words: Vec<String>,
    /// The district each alias names, for the alias at `words[aliases_at + i]`.
    districts: Vec<String>,
    /// Where the aliases and the two phrase lists start in `words`.
    aliases_at: usize,
    ja_at: usize,
    en_at: usize,
    /// `None` if it could not be built: then every word is tried, as without it.
    finder: Option<AhoCorasick>,
}

impl Filters {
    pub(super) fn new(lexicon: &Lexicon, areas: &Areas) -> Filters {
        let mut aliases: Vec<(&String, &String)> = areas.iter().collect();
        aliases.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(b.0))
        });
        let mut words: Vec<String> = RECRUITING_WORDS.iter().map(|w| w.to_string()).collect();
        let aliases_at = words.len();
        words.extend(aliases.iter().map(|(alias, _)| (*alias).clone()));
        let ja_at = words.len();
        words.extend(lexicon.ja_phrases.iter().cloned());
        let en_at = words.len();
        words.extend(lexicon.en_phrases.iter().cloned());
        // Overlapping matches need the standard semantics: every word present is reported.
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .inspect_err(|error| tracing::warn!(%error, "query filters: no automaton"))
            .ok();
        Filters {
            districts: aliases.into_iter().map(|(_, area)| area.clone()).collect(),
            words,
            aliases_at,
            ja_at,
            en_at,
            finder,
        }
    }

    /// Ids of the words `text` holds, ascending (every id without the automaton).
    fn present(&self, text: &str) -> Vec<usize> {
        let Some(finder) = &self.finder else {
            return (0..self.words.len()).collect();
        };
        let mut ids: Vec<usize> = finder
            .find_overlapping_iter(text)
            .map(|m| m.pattern().as_usize())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Blanks the recruiting words, district names and request phrases in both texts (`shown` as
/// typed, `folded` with katakana as hiragana; same length), setting `query.recruiting_only` and
/// `query.area`. Words are tried in `Filters::words`' order, each if the text holds it when its
/// turn comes. Returns the district as typed, when one was named.
pub(super) fn strip(
    shown: &mut [char],
    folded: &mut [char],
    filters: &Filters,
    query: &mut Query,
) -> Option<String> {
    // The folded text as a string, kept equal to `folded`.
    let mut text: String = folded.iter().collect();
    let mut present = filters.present(&text);
    let words = &filters.words;
    // Longest names first (in `words`' order); of two districts, the one named first counts.
    let mut named: Vec<(usize, &str, &str)> = Vec::new();
    let mut recruiting = false;
    let mut next = 0;
    while let Some(&id) = present.get(next) {
        next += 1;
        let word = words[id].as_str();
        let blanked = if id < filters.aliases_at {
            // One recruiting word is enough.
            !recruiting && blank_all(shown, folded, word, false)
        } else if id < filters.ja_at {
            let at = position(folded, word);
            let blanked = blank_all(shown, folded, word, word.is_ascii());
            if blanked {
                let area = filters.districts[id - filters.aliases_at].as_str();
                named.push((at.unwrap_or(usize::MAX), word, area));
            }
            blanked
        } else {
            blank_all(shown, folded, word, id >= filters.en_at)
        };
        if blanked {
            recruiting |= id < filters.aliases_at;
            // Blanking puts blanks in, so a word with one may now be there (and a blanked one
            // is gone): the text is looked at again for the words after this one.
            text = folded.iter().collect();
            present = filters.present(&text);
            next = present.partition_point(|&p| p <= id);
        }
    }
    if recruiting {
        query.recruiting_only = true;
    }
    named.sort_by_key(|(at, _, _)| *at);
    named.first().map(|(_, alias, area)| {
        query.area = Some(area.to_string());
        alias.to_string()
    })
}

/// Char position of the first occurrence of `word` in `chars`.
fn position(chars: &[char], word: &str) -> Option<usize> {
    let word: Vec<char> = word.chars().collect();
    if word.is_empty() || word.len() > chars.len() {
        return None;
    }
    (0..=chars.len() - word.len()).find(|&at| chars[at..at + word.len()] == word[..])
}

/// Blanks every occurrence of `word` (in the folded text) in both texts; `true` if any.
/// `whole_words`: only where it stands as whole Latin words.
fn blank_all(shown: &mut [char], folded: &mut [char], word: &str, whole_words: bool) -> bool {
    let word: Vec<char> = word.chars().collect();
    if word.is_empty() || word.len() > folded.len() {
        return false;
    }
    let mut found = false;
    let mut at = 0;
    while at + word.len() <= folded.len() {
        let fits = folded[at..at + word.len()] == word[..]
            && (!whole_words
                || ((at == 0 || !folded[at - 1].is_alphanumeric())
                    && folded
                        .get(at + word.len())
                        .is_none_or(|c| !c.is_alphanumeric())));
        if fits {
            for i in at..at + word.len() {
                shown[i] = ' ';
                folded[i] = ' ';
            }
            found = true;
            at += word.len();
        } else {
            at += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(text: &str, areas: &[&str]) -> (String, Query, Option<String>) {
        let lexicon = Lexicon {
            ja_phrases: vec!["参加したい".into()],
            en_phrases: vec!["looking for".into()],
            ..Lexicon::default()
        };
        let areas: Areas = areas
            .iter()
            .map(|a| (a.to_string(), a.to_string()))
            .collect();
        let filters = Filters::new(&lexicon, &areas);
        let mut shown: Vec<char> = text.chars().collect();
        let mut folded = shown.clone();
        let mut query = Query::default();
        let typed = strip(&mut shown, &mut folded, &filters, &mut query);
        (shown.iter().collect(), query, typed)
    }

    #[test]
    fn the_longest_district_name_and_the_first_named_district_count() {
        let (left, query, typed) =
            stripped("駅前通りと港町で参加したい", &["駅前", "駅前通り", "港町"]);
        assert_eq!(query.area.as_deref(), Some("駅前通り"));
        assert_eq!(typed.as_deref(), Some("駅前通り"));
        let rest: Vec<&str> = left.split_whitespace().collect();
        assert_eq!(
            rest,
            vec!["と", "で"],
            "districts and phrase blanked: {left:?}"
        );
    }

    #[test]
    fn recruiting_words_and_spaced_phrases_are_taken_out() {
        let (left, query, typed) = stripped("looking for  choir recruiting", &[]);
        assert!(query.recruiting_only);
        assert_eq!(typed, None);
        assert_eq!(left.split_whitespace().collect::<Vec<_>>(), vec!["choir"]);
    }

    #[test]
    fn a_phrase_that_blanking_a_district_reveals_is_taken_out_too() {
        let (left, query, typed) = stripped("looking旭for choir", &["旭"]);
        assert_eq!(query.area.as_deref(), Some("旭"));
        assert_eq!(typed.as_deref(), Some("旭"));
        assert_eq!(left.split_whitespace().collect::<Vec<_>>(), vec!["choir"]);
    }
}
