//! Building a term's alternatives: the word itself, its spelling variants and the activities
//! related to it, each weighted by how it relates to what was typed.

use super::lexicon::Lexicon;
use super::query::{Alternative, Term, Via, MAX_ALTERNATIVES};
use crate::text::{script_of, Script};

/// Weight of a word that names the kind of gathering rather than the activity.
pub(super) const WEAK: f32 = 0.25;

/// `text` (normalised) as an alternative reached `via`: its weight, and whether it is Latin or
/// kana (then with its reading key).
pub(super) fn alternative(text: String, via: Via) -> Alternative {
    let latin = text.is_ascii();
    let kana = text
        .chars()
        .all(|c| script_of(c) == Script::Hiragana || c == 'ー');
    Alternative {
        // `text` is normalised already.
        reading: kana.then(|| crate::text::reading_key_of_normalized(&text)),
        chars: text.chars().count(),
        text,
        via,
        weight: via.weight(),
        latin,
    }
}

/// A term as typed, with its weight and alternatives (the first is its own form).
pub(super) fn term(typed: String, weight: f32, alternatives: Vec<Alternative>) -> Term {
    Term {
        typed,
        weight,
        alternatives,
        untranslated_english: false,
        whom: false,
    }
}

/// The word itself, its spelling variants, then the activities related to it.
pub(super) fn expand(word: &str, via: Via, lexicon: &Lexicon) -> Vec<Alternative> {
    // Room for every alternative a term may have, so the list never moves while it grows.
    let mut alternatives = Vec::with_capacity(MAX_ALTERNATIVES);
    alternatives.push(alternative(word.to_string(), via));
    // Whether there is room for more after `text` (a full list stops the look-ups).
    let mut add = |text: &String, via: Via| {
        if !alternatives.iter().any(|a| &a.text == text) {
            alternatives.push(alternative(text.clone(), via));
        }
        alternatives.len() < MAX_ALTERNATIVES
    };
    let variants = lexicon.variants.get(word).map_or(&[][..], Vec::as_slice);
    // Every related activity (of the word or of its variants: 独居 as 一人暮らし) before any
    // of their variants, so the cap keeps them all.
    let related = std::iter::once(word)
        .chain(variants.iter().map(String::as_str))
        .flat_map(|w| lexicon.related.get(w).into_iter().flatten());
    let room = variants.iter().all(|variant| add(variant, Via::Variant))
        && related.clone().all(|activity| add(activity, Via::Related));
    if room {
        'related: for activity in related {
            for variant in lexicon.variants.get(activity).into_iter().flatten() {
                if !add(variant, Via::Related) {
                    break 'related;
                }
            }
        }
    }
    alternatives
}
