//! Understanding a query: request phrases stripped, district and "recruiting" recognised,
//! the rest cut into terms (longest known word, else runs of one script), each term expanded
//! into weighted alternatives (variants, related activities, English → Japanese, typo fix).

use super::lexicon::Lexicon;
use super::pieces;
use super::vocabulary::Vocabulary;
use crate::text::{katakana_to_hiragana, normalize_keep_kana, script_of, truncate_chars, Script};

/// Longer queries are cut: nobody describes one activity in more words than this.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most alternatives one term expands into (keeps the cost of a query bounded).
const MAX_ALTERNATIVES: usize = 12;
/// Most terms a query is searched by.
const MAX_TERMS: usize = 16;

const RECRUITING_WORDS: &[&str] = &["募集中", "募集して", "募集あり", "recruiting"];

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

pub fn understand(raw: &str, lexicon: &Lexicon, vocabulary: &Vocabulary, areas: &Areas) -> Query {
    // Cut before and after NFKC: one character can unfold into several (㌕ → キログラム).
    let kept = normalize_keep_kana(truncate_chars(raw, MAX_QUERY_CHARS));
    let kept = truncate_chars(&kept, MAX_QUERY_CHARS);
    let mut shown: Vec<char> = kept.chars().collect();
    let mut folded: Vec<char> = shown.iter().map(|&c| katakana_to_hiragana(c)).collect();
    let mut query = Query::default();

    if RECRUITING_WORDS
        .iter()
        .any(|w| blank_all(&mut shown, &mut folded, w, false))
    {
        query.recruiting_only = true;
    }
    // Longest names first (駅前通り before 駅前); of two districts, the one named first counts.
    let mut area_words: Vec<(&String, &String)> = areas.iter().collect();
    area_words.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(b.0))
    });
    let mut named: Vec<(usize, String, String)> = Vec::new();
    for (alias, area) in area_words {
        let at = position(&folded, alias);
        if blank_all(&mut shown, &mut folded, alias, alias.is_ascii()) {
            named.push((at.unwrap_or(usize::MAX), alias.clone(), area.clone()));
        }
    }
    named.sort_by_key(|(at, _, _)| *at);
    let area_typed = named.first().map(|(_, alias, area)| {
        query.area = Some(area.clone());
        alias.clone()
    });
    for phrase in &lexicon.ja_phrases {
        blank_all(&mut shown, &mut folded, phrase, false);
    }
    for phrase in &lexicon.en_phrases {
        blank_all(&mut shown, &mut folded, phrase, true);
    }

    // Hiragana-only queries (こどもしょくどう) keep their kana words; in a sentence with kanji
    // or katakana, loose kana runs are grammar and fillers.
    let kana_only = shown
        .iter()
        .all(|&c| c == ' ' || script_of(c) == Script::Hiragana);
    let mut english_words: Vec<String> = Vec::new();
    for (start, end) in chunks(&folded) {
        if folded[start..end]
            .iter()
            .all(|&c| matches!(script_of(c), Script::Latin | Script::Digit) || c == '\'')
        {
            english_words.push(folded[start..end].iter().collect());
        } else {
            japanese_terms(
                &shown[start..end],
                &folded[start..end],
                kana_only,
                lexicon,
                vocabulary,
                &mut query.terms,
            );
        }
    }
    english_terms(&english_words, lexicon, vocabulary, &mut query.terms);

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

fn alternative(text: String, via: Via) -> Alternative {
    let latin = text.is_ascii();
    let kana = text
        .chars()
        .all(|c| script_of(c) == Script::Hiragana || c == 'ー');
    Alternative {
        reading: kana.then(|| crate::text::reading_key(&text)),
        text,
        via,
        weight: via.weight(),
        latin,
    }
}

fn term(typed: String, weight: f32, alternatives: Vec<Alternative>) -> Term {
    Term {
        typed,
        weight,
        alternatives,
        untranslated_english: false,
    }
}

/// The word itself, its spelling variants, then the activities related to it.
fn expand(word: &str, via: Via, lexicon: &Lexicon) -> Vec<Alternative> {
    let mut alternatives = vec![alternative(word.to_string(), via)];
    let mut add = |text: &String, via: Via| {
        if alternatives.len() < MAX_ALTERNATIVES && !alternatives.iter().any(|a| &a.text == text) {
            alternatives.push(alternative(text.clone(), via));
        }
    };
    for variant in lexicon.variants.get(word).into_iter().flatten() {
        add(variant, Via::Variant);
    }
    // Every related activity (of the word or of its variants: 独居 as 一人暮らし) before any
    // of their variants, so the cap keeps them all.
    let variants = lexicon.variants.get(word).into_iter().flatten();
    let related = std::iter::once(word)
        .chain(variants.map(String::as_str))
        .flat_map(|w| lexicon.related.get(w).into_iter().flatten());
    for activity in related.clone() {
        add(activity, Via::Related);
    }
    for activity in related {
        for variant in lexicon.variants.get(activity).into_iter().flatten() {
            add(variant, Via::Related);
        }
    }
    alternatives
}

fn japanese_terms(
    shown: &[char],
    folded: &[char],
    kana_only: bool,
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    let content = content_spans(shown, kana_only, vocabulary);
    let mut unknown_from: Option<usize> = None;
    let mut at = 0;
    while at < folded.len() {
        let known = vocabulary
            .longest_at(folded, at)
            .filter(|&len| is_content(shown, at, len, content.as_deref()))
            .map(|len| {
                let word: String = folded[at..at + len].iter().collect();
                (len, word, Via::Exact)
            });
        let found = known.or_else(|| {
            // Only where an unknown stretch begins: inside one, it is a different word.
            if unknown_from.is_some() {
                return None;
            }
            vocabulary
                .correction_at(folded, shown, at)
                .map(|(len, word)| (len, word, Via::Typo))
        });
        match found {
            Some((len, word, via)) => {
                if let Some(from) = unknown_from.take() {
                    unknown_terms(
                        shown, folded, from, at, kana_only, lexicon, vocabulary, terms,
                    );
                }
                if !lexicon.ja_stopwords.contains(&word) {
                    let folded_typed: String = folded[at..at + len].iter().collect();
                    let mut alternatives = expand(&word, via, lexicon);
                    if via == Via::Typo {
                        alternatives.push(alternative(folded_typed.clone(), Via::Exact));
                    }
                    let written: String = shown[at..at + len].iter().collect();
                    for part in compound_parts(&written, vocabulary) {
                        if alternatives.len() < MAX_ALTERNATIVES
                            && !alternatives.iter().any(|a| a.text == part)
                        {
                            let mut alt = alternative(part, Via::Related);
                            alt.weight = PART;
                            alternatives.push(alt);
                        }
                    }
                    let weight = if lexicon.weak.contains(&folded_typed) {
                        WEAK
                    } else {
                        1.0
                    };
                    terms.push(term(
                        shown[at..at + len].iter().collect(),
                        weight,
                        alternatives,
                    ));
                }
                at += len;
            }
            None => {
                unknown_from.get_or_insert(at);
                at += 1;
            }
        }
    }
    if let Some(from) = unknown_from {
        unknown_terms(
            shown,
            folded,
            from,
            folded.len(),
            kana_only,
            lexicon,
            vocabulary,
            terms,
        );
    }
}

/// Char spans of the sentence's content words by the dictionary (`None`: no dictionary, or a
/// kana-only query, whose words the dictionary cannot place).
fn content_spans(
    shown: &[char],
    kana_only: bool,
    vocabulary: &Vocabulary,
) -> Option<Vec<(usize, usize)>> {
    let analyzer = vocabulary.analyzer.filter(|_| !kana_only)?;
    let text: String = shown.iter().collect();
    Some(
        analyzer
            .words_of_normalised(&text)
            .into_iter()
            .filter(|w| w.kind != crate::morph::Kind::Function)
            .map(|w| (w.start, w.end))
            .collect(),
    )
}

/// A known word spelled in hiragana inside a sentence is a word only where the dictionary
/// finds content words (ままで, ことも are grammar, not ママ or 子ども).
fn is_content(shown: &[char], at: usize, len: usize, content: Option<&[(usize, usize)]>) -> bool {
    let Some(content) = content else {
        return true;
    };
    if !shown[at..at + len]
        .iter()
        .all(|&c| script_of(c) == Script::Hiragana)
    {
        return true;
    }
    let starts = content.iter().any(|&(s, _)| s == at);
    let ends = content.iter().any(|&(_, e)| e == at + len);
    starts && ends
}

/// How near a one-letter word's neighbours in meaning must be (犬 → ペット, not 母 → 父親).
const SINGLE_LETTER_SIMILARITY: f32 = 0.65;

/// Weight of one part of a compound word found without the rest (プログラミング of
/// プログラミング教室): under the bar on its own, a help beside other words.
const PART: f32 = 0.45;

/// The nouns a compound word is made of (プログラミング|教室), normalised, when it has several.
fn compound_parts(written: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let Some(analyzer) = vocabulary.analyzer else {
        return Vec::new();
    };
    let nouns: Vec<String> = analyzer
        .words(written)
        .into_iter()
        .filter(|w| w.kind == crate::morph::Kind::Noun && w.surface.chars().count() >= 2)
        .map(|w| crate::text::normalize(&w.surface))
        .collect();
    if nouns.len() >= 2 {
        nouns
    } else {
        Vec::new()
    }
}

/// Weight of a word that names the kind of gathering rather than the activity.
const WEAK: f32 = 0.25;
/// Weight of an English word the English table does not know.
const UNTRANSLATED: f32 = 0.5;

/// Unknown text `[from, to)` cut into pieces (see [`pieces`]); each is searched as written,
/// as the directory words it reads like (kana, IME slips), and as a one-edit typo of a known
/// word (a run ending here may be read together with the known text before it).
#[allow(clippy::too_many_arguments)]
fn unknown_terms(
    shown: &[char],
    folded: &[char],
    from: usize,
    to: usize,
    kana_only: bool,
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    let knows = |base: &str| {
        let base = crate::text::normalize(base);
        lexicon.related.contains_key(&base) || lexicon.variants.contains_key(&base)
    };
    for piece in pieces::pieces(shown, from, to, kana_only, vocabulary.analyzer, knows) {
        let (start, end) = (piece.start, piece.end);
        let word: String = match &piece.base {
            Some(base) => crate::text::normalize(base),
            None => folded[start..end].iter().collect(),
        };
        if lexicon.ja_stopwords.contains(&word) {
            continue;
        }
        let chars = end - start;
        let mut alternatives = expand(&word, Via::Exact, lexicon);
        let mut add = |text: String, via: Via| {
            if alternatives.len() < MAX_ALTERNATIVES && !alternatives.iter().any(|a| a.text == text)
            {
                alternatives.push(alternative(text, via));
            }
        };
        if piece.base.is_none() && !vocabulary.contains(&word) {
            let typed: String = shown[start..end].iter().collect();
            let read_as = match vocabulary.analyzer {
                Some(analyzer) if piece.written => {
                    vocabulary.readings.for_written(analyzer, &typed)
                }
                _ => vocabulary.readings.for_kana(&word),
            };
            // Kana is the same word spelled by sound; kanji that only read alike are a slip.
            let via = if piece.written {
                Via::Typo
            } else {
                Via::Variant
            };
            let found_by_reading = !read_as.is_empty();
            for found in read_as {
                add(found, via);
            }
            // Worded as a situation the directory never uses: the activities nearest in meaning.
            if !found_by_reading {
                // A one-letter word (犬, 母) is vaguer: only its very near neighbours.
                let min = if chars >= 2 {
                    0.0
                } else {
                    SINGLE_LETTER_SIMILARITY
                };
                for (near, _) in vocabulary
                    .neighbours(&typed)
                    .into_iter()
                    .filter(|(_, c)| *c >= min)
                {
                    add(near, Via::Similar);
                }
            }
        }
        if chars >= 2 && piece.written {
            if let Some((_, fixed)) = vocabulary.correction_ending_at(folded, shown, start, end) {
                add(fixed, Via::Typo);
            }
        }
        let weight = if lexicon.weak.contains(&word) {
            piece.weight * WEAK
        } else {
            piece.weight
        };
        terms.push(term(
            shown[start..end].iter().collect(),
            weight,
            alternatives,
        ));
    }
}

/// English words: longest phrase in the English table first, then the word's plain form.
fn english_terms(
    words: &[String],
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    let words: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split('\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut at = 0;
    while at < words.len() {
        let longest = (1..=lexicon.english_max_words.min(words.len() - at))
            .rev()
            .find_map(|n| {
                let phrase = words[at..at + n].join(" ");
                let translations = lexicon.english.get(&phrase).or_else(|| {
                    (n == 1)
                        .then(|| plain_forms(&phrase).find_map(|f| lexicon.english.get(&f)))
                        .flatten()
                });
                translations.map(|t| (n, phrase, t.clone()))
            })
            .or_else(|| dictionary_translation(&words[at..], lexicon, vocabulary));
        if let Some((n, phrase, translations)) = longest {
            let mut alternatives = vec![alternative(phrase.clone(), Via::Exact)];
            for japanese in &translations {
                for mut alt in expand(japanese, Via::English, lexicon) {
                    if alt.via != Via::English {
                        alt.weight *= Via::English.weight();
                    }
                    if alternatives.len() < MAX_ALTERNATIVES
                        && !alternatives.iter().any(|a| a.text == alt.text)
                    {
                        alternatives.push(alt);
                    }
                }
            }
            let weight = if lexicon.weak.contains(&phrase) {
                WEAK
            } else {
                1.0
            };
            terms.push(term(phrase, weight, alternatives));
            at += n;
            continue;
        }
        let word = words[at];
        at += 1;
        if word.chars().count() < 2
            || word.chars().all(|c| c.is_ascii_digit())
            || lexicon.en_stopwords.contains(word)
        {
            continue;
        }
        let mut alternatives = vec![alternative(word.to_string(), Via::Exact)];
        for form in plain_forms(word) {
            if form.chars().count() >= 3 && !alternatives.iter().any(|a| a.text == form) {
                alternatives.push(alternative(form, Via::Variant));
            }
        }
        // Untranslated, it can only match the few records with English text: a hint, not a
        // requirement (teacher, speaks, public).
        // But a loanword activity the dictionary knows and the directory lacks (basketball) is
        // what was asked for: it stays a requirement, so nothing else answers in its place.
        let lacking = lexicon.bilingual
            && plain_forms(word)
                .chain(std::iter::once(word.to_string()))
                .any(|f| super::bilingual::names_something_else(&f));
        let mut t = term(
            word.to_string(),
            if lacking { 1.0 } else { UNTRANSLATED },
            alternatives,
        );
        t.untranslated_english = !lacking;
        terms.push(t);
    }
}

/// The longest phrase at the start of `words` (up to three words; one word also by its plain
/// form) that JMdict translates into words the directory uses: (words taken, phrase, words).
fn dictionary_translation(
    words: &[&str],
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
) -> Option<(usize, String, Vec<String>)> {
    if !lexicon.bilingual {
        return None;
    }
    (1..=3.min(words.len())).rev().find_map(|n| {
        let phrase = words[..n].join(" ");
        if n == 1 && (lexicon.en_stopwords.contains(&phrase) || phrase.chars().count() < 3) {
            return None;
        }
        let mut forms = vec![phrase.clone()];
        if n == 1 {
            forms.extend(plain_forms(&phrase));
        }
        let found = forms
            .iter()
            .map(|form| super::bilingual::translate(form, vocabulary))
            .find(|t| !t.is_empty());
        found.map(|t| (n, phrase, t))
    })
}

/// Plural and -ing forms taken back to the word people look up.
fn plain_forms(word: &str) -> impl Iterator<Item = String> + '_ {
    ["ies", "es", "s", "ing", "ers", "er"]
        .iter()
        .filter_map(move |suffix| {
            let stem = word.strip_suffix(suffix)?;
            (stem.len() >= 3).then(|| {
                if *suffix == "ies" {
                    format!("{stem}y")
                } else {
                    stem.to_string()
                }
            })
        })
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::LexiconParts;
    use super::*;

    fn setup(words: &[&str]) -> (Lexicon, Vocabulary, Areas) {
        let lexicon = Lexicon::builtin(LexiconParts::ALL).unwrap();
        let mut vocabulary = Vocabulary::default();
        for w in words {
            vocabulary.insert(&crate::text::normalize(w));
        }
        let mut areas = lexicon.area_aliases.clone();
        for a in ["港町", "駅前", "東山"] {
            areas.insert(a.to_string(), a.to_string());
        }
        (lexicon, vocabulary, areas)
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
