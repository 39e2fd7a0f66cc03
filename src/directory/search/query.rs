//! Understanding a query: request phrases stripped, district and "recruiting" recognised,
//! the rest cut into terms (longest known word, else runs of one script), each term expanded
//! into weighted alternatives (variants, related activities, English → Japanese, typo fix).

use super::filters::{strip, Filters};
use super::lexicon::Lexicon;
use super::terms::{alternative, term};
use super::vocabulary::Vocabulary;
use super::{terms_en, terms_ja};
use crate::text::{katakana_to_hiragana, normalize_keep_kana, script_of, truncate_chars, Script};

/// Longer queries are cut: nobody describes one activity in more words than this.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most alternatives one term expands into (keeps the cost of a query bounded).
pub(super) const MAX_ALTERNATIVES: usize = 12;
/// Most terms a query is searched by.
pub(super) const MAX_TERMS: usize = 16;

/// How an alternative relates to what the person typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Exact,
    Variant,
    Related,
    English,
    Typo,
    /// Near in meaning by word vectors (the semantic layer): never counts in full.
    Similar,
}

impl Via {
    pub fn weight(self) -> f32 {
        match self {
            Via::Exact => 1.0,
            Via::Variant => 0.9,
            Via::English => 0.9,
            Via::Typo => 0.8,
            Via::Related => 0.6,
            Via::Similar => 0.5,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Alternative {
    /// Normalised text to look for.
    pub text: String,
    /// Its length in characters (counted once: it is compared with every candidate's texts).
    pub chars: usize,
    pub via: Via,
    pub weight: f32,
    /// Latin text: matched at word starts, against English fields and Latin in names.
    pub latin: bool,
    /// Reading key, for kana-only text: compared with the name's フリガナ.
    pub reading: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// What the person typed, normalised (shown in explanations).
    pub typed: String,
    /// How much this term counts relative to the query's others (short kana runs count less).
    pub weight: f32,
    pub alternatives: Vec<Alternative>,
    /// An English word with no translation: dropped if no English text has it either,
    /// since Japanese-only records cannot be blamed for missing it.
    pub untranslated_english: bool,
    /// The directory uses the word more for whom groups serve (its `target` column: 子ども,
    /// 高齢者) than for what they do: it says who the matter is for, not what it is.
    pub whom: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    /// District named in the query (normalised, as the directory writes it).
    pub area: Option<String>,
    pub recruiting_only: bool,
}

/// District names and aliases known to the search, normalised → the directory's spelling.
pub type Areas = std::collections::HashMap<String, String>;

pub(super) fn understand(
    raw: &str,
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    filters: &Filters,
) -> Query {
    // Cut before and after NFKC: one character can unfold into several (㌕ → キログラム).
    let kept = normalize_keep_kana(truncate_chars(raw, MAX_QUERY_CHARS));
    let kept = truncate_chars(&kept, MAX_QUERY_CHARS);
    let mut shown: Vec<char> = kept.chars().collect();
    let mut folded: Vec<char> = shown.iter().map(|&c| katakana_to_hiragana(c)).collect();
    let mut query = Query::default();

    let area_typed = strip(&mut shown, &mut folded, filters, &mut query);

    // Hiragana-only queries (こどもしょくどう) keep their kana words; in a sentence with kanji
    // or katakana, loose kana runs are grammar and fillers.
    let kana_only = shown
        .iter()
        .all(|&c| c == ' ' || script_of(c) == Script::Hiragana);
    let mut english_words: Vec<String> = Vec::new();
    for (start, end) in chunks(&folded) {
        if folded[start..end].iter().all(|&c| {
            matches!(script_of(c), Script::Latin | Script::Digit) || c == '\'' || c == '-'
        }) {
            english_words.push(folded[start..end].iter().collect());
        } else {
            terms_ja::japanese_terms(
                &shown[start..end],
                &folded[start..end],
                kana_only,
                lexicon,
                vocabulary,
                &mut query.terms,
            );
        }
    }
    terms_en::english_terms(&english_words, lexicon, vocabulary, &mut query.terms);

    // A district alone is still a question: groups of that district.
    if query.terms.is_empty() {
        if let Some(typed) = area_typed {
            let area = query.area.clone().unwrap_or_default();
            query
                .terms
                .push(term(typed, 1.0, vec![alternative(area, Via::Exact)]));
        }
    }
    // A word said twice is one term; past a point more words only cost time.
    let mut seen: Vec<String> = Vec::new();
    query.terms.retain(|t| {
        let Some(own) = t.alternatives.first() else {
            return false;
        };
        if seen.contains(&own.text) {
            return false;
        }
        seen.push(own.text.clone());
        true
    });
    query.terms.truncate(MAX_TERMS);
    query
}

/// Spans of non-space characters.
fn chunks(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, &c) in chars.iter().enumerate() {
        match (c == ' ', start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, chars.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::LexiconParts;
    use super::super::pieces;
    use super::*;

    fn setup(words: &[&str]) -> (Lexicon, Vocabulary, Filters) {
        let lexicon = Lexicon::builtin(LexiconParts::ALL).unwrap();
        let mut vocabulary = Vocabulary::default();
        for w in words {
            vocabulary.insert(&crate::text::normalize(w));
        }
        let mut areas = lexicon.area_aliases.clone();
        for a in ["港町", "駅前", "東山"] {
            areas.insert(a.to_string(), a.to_string());
        }
        let filters = Filters::new(&lexicon, &areas);
        (lexicon, vocabulary, filters)
    }

    fn typed(query: &Query) -> Vec<&str> {
        query.terms.iter().map(|t| t.typed.as_str()).collect()
    }

    #[test]
    fn request_phrases_go_and_the_topic_stays() {
        let (l, v, a) = setup(&["ゴミ拾い", "ボランティア"]);
        let q = understand("ゴミ拾いのボランティアに参加したいです", &l, &v, &a);
        let terms = typed(&q);
        assert!(terms.contains(&"ゴミ拾い"), "{terms:?}");
        assert!(terms.contains(&"ボランティア"), "{terms:?}");
        assert!(!terms.iter().any(|t| t.contains("参加")), "{terms:?}");
    }

    #[test]
    fn district_becomes_a_filter_not_a_term() {
        let (l, v, a) = setup(&["海岸清掃"]);
        let q = understand("港町の海岸清掃", &l, &v, &a);
        assert_eq!(q.area.as_deref(), Some("港町"));
        assert_eq!(typed(&q), vec!["海岸清掃"]);
    }

    #[test]
    fn a_district_alone_is_still_searched() {
        let (l, v, a) = setup(&[]);
        let q = understand("東山", &l, &v, &a);
        assert_eq!(q.terms.len(), 1);
    }

    #[test]
    fn unknown_text_splits_by_script_before_kana_folding() {
        let (l, v, a) = setup(&[]);
        let q = understand("ボッチャの体験", &l, &v, &a);
        assert_eq!(typed(&q), vec!["ボッチャ", "体験"]);
    }

    #[test]
    fn kana_only_queries_keep_their_words() {
        let (l, v, a) = setup(&[]);
        let q = understand("ぼっちゃ", &l, &v, &a);
        assert_eq!(typed(&q), vec!["ぼっちゃ"]);
    }

    #[test]
    fn typos_are_corrected_keeping_what_was_typed() {
        let (l, v, a) = setup(&["読み聞かせ", "ボランティア"]);
        let q = understand("読み聞かせボランテア", &l, &v, &a);
        let vol = q
            .terms
            .iter()
            .find(|t| t.typed == "ボランテア")
            .expect("typo term");
        assert_eq!(vol.alternatives[0].text, "ぼらんてぃあ");
        assert_eq!(vol.alternatives[0].via, Via::Typo);
    }

    #[test]
    fn english_words_translate_and_stopwords_go() {
        let (l, v, a) = setup(&[]);
        let q = understand("Is there a choir I could join?", &l, &v, &a);
        let choir = q
            .terms
            .iter()
            .find(|t| t.typed == "choir")
            .expect("choir term");
        assert!(choir.alternatives.iter().any(|alt| alt.via == Via::English));
        assert!(!typed(&q).contains(&"a"));
    }

    #[test]
    fn a_hyphenated_english_word_is_english() {
        let (l, v, a) = setup(&[]);
        let q = understand("part-time work for moms", &l, &v, &a);
        let part_time = q
            .terms
            .iter()
            .find(|t| t.typed == "part time")
            .expect("one term");
        assert!(part_time
            .alternatives
            .iter()
            .any(|alt| alt.via == Via::English));
    }

    #[test]
    fn recruiting_is_recognised() {
        let (l, v, a) = setup(&[]);
        assert!(understand("募集中の合唱団", &l, &v, &a).recruiting_only);
        assert!(!understand("合唱団", &l, &v, &a).recruiting_only);
    }

    #[test]
    fn huge_and_odd_queries_stay_bounded() {
        let (l, v, a) = setup(&[]);
        let long = "合唱 ".repeat(1000);
        let q = understand(&long, &l, &v, &a);
        assert_eq!(
            typed(&q),
            vec!["合唱"],
            "a word said many times is one term"
        );
        let run = "ア".repeat(500);
        let q = understand(&run, &l, &v, &a);
        assert!(q
            .terms
            .iter()
            .all(|t| t.typed.chars().count() <= pieces::MAX_PIECE_CHARS));
        assert!(q.terms.len() <= MAX_TERMS);
        assert!(understand("", &l, &v, &a).terms.is_empty());
        assert!(understand("🙂🎉\u{0000}\u{202e}", &l, &v, &a)
            .terms
            .is_empty());
    }
}
