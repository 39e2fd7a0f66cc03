//! How well advisors fit a consultation's topic, as the search understood it: their fields,
//! specialties (also through the English table and word vectors) and, for a language the topic
//! names, the languages they speak. The routing policy (`routing.rs`) ranks by this fit.

use crate::directory::fields::field_name;
use crate::directory::search::query::{Query, Term};
use crate::directory::search::{Lexicon, LexiconParts};
use crate::lang::Lang;
use crate::text::normalize;

use super::advisor::Advisor;

/// Languages a topic may name ("in Portuguese", 「ポルトガル語で」) → the code advisors list
/// (ISO 639-1, as in advisors.csv's `languages`).
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("英語", "en"),
    ("portuguese", "pt"),
    ("ポルトガル語", "pt"),
    ("spanish", "es"),
    ("スペイン語", "es"),
    ("chinese", "zh"),
    ("中国語", "zh"),
    ("korean", "ko"),
    ("韓国語", "ko"),
    ("vietnamese", "vi"),
    ("ベトナム語", "vi"),
    ("tagalog", "tl"),
    ("タガログ語", "tl"),
    ("filipino", "tl"),
    ("nepali", "ne"),
    ("ネパール語", "ne"),
    ("indonesian", "id"),
    ("インドネシア語", "id"),
    ("thai", "th"),
    ("タイ語", "th"),
    ("french", "fr"),
    ("フランス語", "fr"),
];
/// A language the topic asks for counts like this many topic words (it decides who can help).
const LANGUAGE_WEIGHT: f32 = 2.0;
/// Nearer than this in meaning (word vectors) a topic word fits a specialty partly.
const MIN_SIMILARITY: f32 = 0.6;

/// The language a topic term names, if any.
fn named_language(term: &Term) -> Option<&'static str> {
    let typed = normalize(&term.typed);
    LANGUAGE_NAMES
        .iter()
        .find(|(name, _)| {
            let name = normalize(name);
            typed == name
                || typed.starts_with(&name)
                    && typed[name.len()..]
                        .chars()
                        .all(|c| !c.is_alphanumeric() || c == 'で')
                || typed.ends_with(&format!(" {name}"))
        })
        .map(|(_, code)| *code)
}

/// The built-in English → Japanese table, so a specialty written in English (sports) fits a
/// Japanese topic (スポーツ) as well.
fn english() -> &'static std::collections::HashMap<String, Vec<String>> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let parts = LexiconParts {
            variants: false,
            english: true,
            phrases: false,
            dictionary: false,
            semantic: false,
        };
        Lexicon::builtin(parts)
            .map(|l| l.english)
            .unwrap_or_default()
    })
}

/// What an advisor is known for, normalised, and as written (for word vectors).
fn known_words(advisor: &Advisor) -> Vec<(String, String)> {
    let mut known: Vec<(String, String)> = Vec::new();
    for specialty in &advisor.specialties {
        let normal = normalize(specialty);
        for japanese in english().get(&normal).into_iter().flatten() {
            known.push((japanese.clone(), japanese.clone()));
        }
        known.push((normal, specialty.clone()));
    }
    for &no in &advisor.fields {
        for lang in Lang::ALL {
            if let Some(name) = field_name(no, lang) {
                for part in name.split(['・', ' ']) {
                    known.push((normalize(part), part.to_string()));
                }
            }
        }
    }
    known
}

/// How well one topic term fits one advisor by its words, 0 to 1: the term (or a reading of it
/// the search found: variant, related activity, translation) is a specialty, part of one, or
/// shares its head word; a language the term names fits whoever speaks it.
fn term_fit(term: &Term, advisor: &Advisor, known: &[(String, String)]) -> f32 {
    if let Some(code) = named_language(term) {
        return if advisor.languages.iter().any(|l| l == code) {
            1.0
        } else {
            0.0
        };
    }
    let mut best = 0f32;
    for alt in &term.alternatives {
        let chars = alt.text.chars().count();
        for (k, _) in known {
            let quality = if *k == alt.text {
                1.0
            } else if chars >= 2 && alt.text.contains(k.as_str()) {
                0.9
            } else if chars >= 2 && k.contains(&alt.text) {
                // Part of a longer specialty (相談 in 外国人相談): the more of it, the better.
                0.3 + 0.6 * chars as f32 / k.chars().count() as f32
            } else {
                // The same head word (障がいのある人, 障がい者支援).
                let shared = alt
                    .text
                    .chars()
                    .zip(k.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                if shared >= 2 && !alt.latin {
                    0.2 + 0.5 * shared as f32 / k.chars().count() as f32
                } else {
                    0.0
                }
            };
            best = best.max(quality * alt.weight);
        }
    }
    best
}

/// How near in meaning (word vectors) a topic term, or a Japanese reading of it, comes to what
/// an advisor is known for, 0 to 0.5: the fallback for a term that fits nobody by its words.
fn semantic_fit(term: &Term, known: &[(String, String)]) -> f32 {
    let Some(vectors) = crate::vectors::vectors() else {
        return 0.0;
    };
    let analyzer = crate::morph::analyzer();
    let readings = std::iter::once(term.typed.as_str()).chain(
        term.alternatives
            .iter()
            .filter(|a| !a.latin)
            .map(|a| a.text.as_str())
            .take(4),
    );
    let mut best = 0f32;
    for reading in readings {
        let Some(v) = vectors.embed(analyzer, reading) else {
            continue;
        };
        for (_, written) in known {
            if let Some(w) = vectors.embed(analyzer, written) {
                let c = crate::vectors::cosine(&v, &w);
                if c >= MIN_SIMILARITY {
                    best = best.max(0.5 * c);
                }
            }
        }
    }
    best
}

/// How well each advisor fits the topic, as the search understood it: per topic term, the best
/// fit to what the advisor is known for, a term fitting fewer of the advisors counting more
/// (a word every advisor shares tells them apart no better than none). Returns, per advisor, the
/// fit and how many of the topic's terms matched.
pub(super) fn fits(advisors: &[&Advisor], topic: &Query) -> Vec<(f32, usize)> {
    let known: Vec<Vec<(String, String)>> = advisors.iter().map(|a| known_words(a)).collect();
    let mut table: Vec<Vec<f32>> = advisors
        .iter()
        .zip(&known)
        .map(|(a, k)| topic.terms.iter().map(|t| term_fit(t, a, k)).collect())
        .collect();
    for (t, term) in topic.terms.iter().enumerate() {
        if named_language(term).is_none() && table.iter().all(|row| row[t] < 0.5) {
            for (row, k) in table.iter_mut().zip(&known) {
                row[t] = row[t].max(semantic_fit(term, k));
            }
        }
    }
    let n = advisors.len() as f32;
    let rarity: Vec<f32> = (0..topic.terms.len())
        .map(|t| {
            // Counted by the clear fits only: a loose one should not make a word look common.
            let fitting = table.iter().filter(|row| row[t] >= 0.5).count() as f32;
            1.0 + ((n + 1.0) / (fitting + 1.0)).ln()
        })
        .collect();
    table
        .iter()
        .map(|row| {
            let mut score = 0.0;
            let mut matched = 0;
            for (t, term) in topic.terms.iter().enumerate() {
                if row[t] > 0.0 {
                    matched += 1;
                    let weight = if named_language(term).is_some() {
                        LANGUAGE_WEIGHT
                    } else {
                        term.weight
                    };
                    score += row[t] * weight * rarity[t];
                }
            }
            (score, matched)
        })
        .collect()
}

/// What an offer tells the advisor the consultation is about: their own fields and specialties
/// that the topic touches, as labels in `lang` (never the topic's words). Empty when none do.
pub fn matched_labels(advisor: &Advisor, topic: &Query, lang: Lang) -> Vec<String> {
    let touches = |label: &str| {
        let known = normalize(label);
        topic.terms.iter().any(|term| {
            term.alternatives.iter().any(|alt| {
                known.contains(&alt.text)
                    || (alt.text.chars().count() >= 2 && alt.text.contains(known.as_str()))
            })
        })
    };
    let mut labels: Vec<String> = Vec::new();
    for &no in &advisor.fields {
        let both = Lang::ALL.iter().filter_map(|l| field_name(no, *l));
        if both.clone().any(touches) {
            if let Some(name) = field_name(no, lang) {
                labels.push(name.to_string());
            }
        }
    }
    labels.extend(advisor.specialties.iter().filter(|s| touches(s)).cloned());
    labels
}
