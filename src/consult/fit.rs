//! How well advisors fit a consultation's topic, as the search understood it: their fields,
//! specialties (also through the English table and word vectors) and, for a language the topic
//! names, the languages they speak. The routing policy (`routing.rs`) ranks by this fit.

use std::sync::Arc;

use crate::directory::fields::field_name;
use crate::directory::search::query::{Query, Term, Via};
use crate::lang::Lang;
use crate::morph::Kind;
use crate::text::normalize;

use super::advisor::Advisor;
use super::known::{known_words, parts, Known};

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
const MIN_SIMILARITY: f32 = 0.45;

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

/// A topic word that is only the last part of a compound specialty (相談 in 外国人相談, 教室 in
/// 日本語教室) meets its head, the kind of thing (Japanese compounds put the head last): it says
/// little about the matter, so it fits only this much.
const HEAD_ONLY: f32 = 0.3;
/// A topic word sharing a leading (distinguishing) part with a compound specialty (清掃 in
/// 河川清掃 and 清掃活動) fits this much.
const SHARED_PART: f32 = 0.6;
/// Semantic fit (word vectors) for a term no advisor fits by its words: cosines from this up
/// count, as this share of the cosine. Calibrated on the routing set (tests/routing_eval.rs).
const SEMANTIC_SHARE: f32 = 0.8;

/// A topic word naming whom the matter is for (子ども, 高齢者: see [`Term::whom`]) counts this
/// much of one naming the matter: who it is for says less about who can help than what it is.
const WHOM_WEIGHT: f32 = 0.5;

/// A topic term with nothing to say about the matter: no noun in it (を開きたい, 始めたい: the
/// request's verb, by IPADIC's parts of speech), and no language named.
fn is_frame(term: &Term) -> bool {
    if named_language(term).is_some() {
        return false;
    }
    crate::morph::analyzer().is_some_and(|a| {
        let words = a.words(&term.typed);
        !words.is_empty() && words.iter().all(|w| w.kind != Kind::Noun)
    })
}

/// How well one written alternative fits one known word, 0 to 1, by its words.
fn word_fit(alt: &str, latin: bool, k: &Known) -> f32 {
    let chars = alt.chars().count();
    if k.normal == alt {
        return 1.0;
    }
    if chars >= 2 && alt.contains(k.normal.as_str()) {
        return 0.9;
    }
    let last = k.parts.last();
    if chars >= 2 && k.normal.contains(alt) {
        if last.is_some_and(|l| l == alt) {
            return HEAD_ONLY;
        }
        // Part of a longer specialty (日本語 in 日本語教室): the more of it, the better.
        return 0.3 + 0.6 * chars as f32 / k.normal.chars().count() as f32;
    }
    if latin {
        return 0.0;
    }
    // A leading part in common (清掃 in 河川清掃 and 清掃活動).
    let leading = &k.parts[..k.parts.len().saturating_sub(1)];
    if leading
        .iter()
        .any(|p| p.chars().count() >= 2 && alt.contains(p.as_str()))
    {
        return SHARED_PART;
    }
    // The same head word (障がいのある人, 障がい者支援).
    let shared = alt
        .chars()
        .zip(k.normal.chars())
        .take_while(|(a, b)| a == b)
        .count();
    if shared >= 2 {
        0.2 + 0.5 * shared as f32 / k.normal.chars().count() as f32
    } else {
        0.0
    }
}

/// How far each of `term`'s alternatives is trusted for routing, in order: a word the search
/// found near in meaning only through a shared head (余暇活動 → 清掃活動, by 活動) is of another
/// kind of matter, so it counts as a head. Once per term, not once per advisor.
fn alternative_trusts(term: &Term) -> Vec<f32> {
    let typed = parts(&term.typed);
    term.alternatives
        .iter()
        .map(|alt| {
            let through_head = alt.via == Via::Similar && {
                let found = parts(&alt.text);
                typed.last().is_some_and(|h| found.last() == Some(h))
                    && !typed[..typed.len() - 1].iter().any(|p| found.contains(p))
            };
            if through_head {
                HEAD_ONLY
            } else {
                1.0
            }
        })
        .collect()
}

/// How well one topic term fits one advisor by its words, 0 to 1: the term (or a reading of it
/// the search found: variant, related activity, translation) is a specialty, part of one, or
/// shares its head word; a language the term names fits whoever speaks it.
fn term_fit(term: &Term, trusts: &[f32], advisor: &Advisor, known: &[Known]) -> f32 {
    if let Some(code) = named_language(term) {
        return if advisor.languages.iter().any(|l| l == code) {
            1.0
        } else {
            0.0
        };
    }
    let mut best = 0f32;
    for (alt, &trust) in term.alternatives.iter().zip(trusts) {
        for k in known {
            best = best.max(word_fit(&alt.text, alt.latin, k) * k.weight * alt.weight * trust);
        }
    }
    best
}

/// How near in meaning (word vectors) a topic term, or a Japanese reading of it, comes to what
/// an advisor is known for or a part of it, 0 to [`SEMANTIC_SHARE`]: the fallback for a term
/// that fits nobody by its words.
fn semantic_fit(term: &Term, known: &[Known]) -> f32 {
    let Some(vectors) = crate::vectors::vectors() else {
        return 0.0;
    };
    let analyzer = crate::morph::analyzer();
    // A reading the search found counts as much as the search trusts it.
    let readings = std::iter::once((term.typed.as_str(), 1.0)).chain(
        term.alternatives
            .iter()
            .filter(|a| !a.latin)
            .map(|a| (a.text.as_str(), a.weight))
            .take(4),
    );
    let mut best = 0f32;
    for (reading, trust) in readings {
        let Some(v) = vectors.embed(analyzer, reading) else {
            continue;
        };
        let normal = normalize(reading);
        for k in known {
            // What words already judged is not judged again by meaning: a known word holding
            // the reading, or a part that is it. Nor is a compound's head (its kind of thing:
            // near 教室 in 日本語教室 says little).
            if k.normal.contains(&normal) {
                continue;
            }
            let compared = std::iter::once(k.whole_vector.as_ref()).chain(
                k.leading_vectors
                    .iter()
                    .filter(|(p, _)| *p != normal)
                    .map(|(_, w)| w.as_ref()),
            );
            for w in compared.flatten() {
                let c = crate::vectors::cosine(&v, w);
                if c >= MIN_SIMILARITY {
                    best = best.max(SEMANTIC_SHARE * c * k.weight * trust);
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
    let known: Vec<Arc<Vec<Known>>> = advisors.iter().map(|a| known_words(a)).collect();
    let frame: Vec<bool> = topic.terms.iter().map(is_frame).collect();
    let trusts: Vec<Vec<f32>> = topic.terms.iter().map(alternative_trusts).collect();
    let mut table: Vec<Vec<f32>> = advisors
        .iter()
        .zip(&known)
        .map(|(a, k)| {
            topic
                .terms
                .iter()
                .zip(&frame)
                .zip(&trusts)
                .map(|((t, &f), trust)| if f { 0.0 } else { term_fit(t, trust, a, k) })
                .collect()
        })
        .collect();
    for (t, term) in topic.terms.iter().enumerate() {
        if !frame[t] && named_language(term).is_none() && table.iter().all(|row| row[t] < 0.5) {
            for (row, k) in table.iter_mut().zip(&known) {
                row[t] = row[t].max(semantic_fit(term, k));
            }
        }
    }
    let n = advisors.len() as f32;
    let rarity: Vec<f32> = (0..topic.terms.len())
        .map(|t| {
            // A clear fit counts as one, a loose one in part: a word many advisors fit loosely
            // (立ち上げ near many things) is common, not rare.
            let fitting: f32 = table.iter().map(|row| (row[t] / 0.5).min(1.0)).sum();
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
                    } else if term.whom {
                        term.weight * WHOM_WEIGHT
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
