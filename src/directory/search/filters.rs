//! The filters a query names, taken out of its text before it is cut into terms: "recruiting"
//! (募集中), a district (港町, its aliases), and the request phrases around the topic
//! (参加したい, "I'd like to join").

use super::lexicon::Lexicon;
use super::query::{Areas, Query};

const RECRUITING_WORDS: &[&str] = &["募集中", "募集して", "募集あり", "recruiting"];

/// Blanks the recruiting words, district names and request phrases in both texts (`shown` as
/// typed, `folded` with katakana as hiragana; same length), setting `query.recruiting_only` and
/// `query.area`. Returns the district as typed, when one was named.
pub(super) fn strip(
    shown: &mut [char],
    folded: &mut [char],
    lexicon: &Lexicon,
    areas: &Areas,
    query: &mut Query,
) -> Option<String> {
    // The folded text as a string, kept equal to `folded`: a word that is not in it cannot be
    // blanked, and most of the hundreds of names and phrases are not, so they are passed over
    // with one substring search each instead of a scan char by char.
    let mut text: String = folded.iter().collect();
    // A cheaper first pass still: the characters the text had (and the blank that blanking
    // puts in). A word whose first character is not among them is not in the text now either,
    // and that is most of them for a query of a few words.
    let mut had: Vec<char> = folded.to_vec();
    had.push(' ');
    had.sort_unstable();
    had.dedup();
    let may_hold = |word: &str| {
        word.chars()
            .next()
            .is_none_or(|first| had.binary_search(&first).is_ok())
    };
    let mut blank = |shown: &mut [char], folded: &mut [char], word: &str, whole: bool| {
        let found = may_hold(word) && text.contains(word) && blank_all(shown, folded, word, whole);
        if found {
            text = folded.iter().collect();
        }
        found
    };
    if RECRUITING_WORDS
        .iter()
        .any(|w| blank(shown, folded, w, false))
    {
        query.recruiting_only = true;
    }
    // Longest names first (駅前通り before 駅前); of two districts, the one named first counts.
    // Blanking only puts spaces in, so a name absent now (and spaceless) stays absent.
    let present: String = folded.iter().collect();
    let mut area_words: Vec<(&String, &String)> = areas
        .iter()
        .filter(|(alias, _)| {
            (may_hold(alias) && present.contains(alias.as_str())) || alias.contains(' ')
        })
        .collect();
    area_words.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(b.0))
    });
    let mut named: Vec<(usize, String, String)> = Vec::new();
    for (alias, area) in area_words {
        let at = position(folded, alias);
        if blank(shown, folded, alias, alias.is_ascii()) {
            named.push((at.unwrap_or(usize::MAX), alias.clone(), area.clone()));
        }
    }
    named.sort_by_key(|(at, _, _)| *at);
    let area_typed = named.first().map(|(_, alias, area)| {
        query.area = Some(area.clone());
        alias.clone()
    });
    for phrase in &lexicon.ja_phrases {
        blank(shown, folded, phrase, false);
    }
    for phrase in &lexicon.en_phrases {
        blank(shown, folded, phrase, true);
    }

    area_typed
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
