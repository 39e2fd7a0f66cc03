//! English words cut into terms: the longest phrase the English table (or JMdict) translates,
//! else the word and its plain forms, counted as a hint when nothing translates it.

use super::lexicon::Lexicon;
use super::query::{Term, Via, MAX_ALTERNATIVES};
use super::terms::{alternative, expand, term, WEAK};
use super::vocabulary::Vocabulary;

/// Weight of an English word the English table does not know.
const UNTRANSLATED: f32 = 0.5;

/// English words: longest phrase in the English table first, then the word's plain form.
pub(super) fn english_terms(
    words: &[String],
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    let words: Vec<&str> = words
        .iter()
        // part-time is part time; kids' is kids.
        .flat_map(|w| w.split(['\'', '-']))
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
