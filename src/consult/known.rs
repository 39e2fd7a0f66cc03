//! What an advisor is known for, as routing compares it with a topic: their specialties (and
//! the Japanese of English ones) and the NPO-law fields they list, each with its compound's
//! parts and word vectors, worked out once per advisor profile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::directory::fields::field_name;
use crate::directory::search::{Lexicon, LexiconParts};
use crate::lang::Lang;
use crate::morph::Kind;
use crate::text::normalize;

use super::advisor::Advisor;

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

/// A field of the NPO law is a broad category several advisors share; a specialty is what the
/// advisor says they know. A fit through a field counts this much of one through a specialty.
pub(super) const FIELD_WEIGHT: f32 = 0.7;

/// Something an advisor is known for.
pub(super) struct Known {
    /// Normalised, as topic terms are.
    pub(super) normal: String,
    /// 1 for a specialty, [`FIELD_WEIGHT`] for a field.
    pub(super) weight: f32,
    /// The content words of a compound (文化芸術 → 文化, 芸術), normalised, in order; empty
    /// for a single word.
    pub(super) parts: Vec<String>,
    /// Word vectors of the word as written and of each leading part (all of `parts` but the head), when
    /// the vectors know them: computed once per advisor, not per topic.
    pub(super) whole_vector: Option<Vec<f32>>,
    pub(super) leading_vectors: Vec<(String, Option<Vec<f32>>)>,
}

impl Known {
    fn new(written: &str, weight: f32) -> Known {
        let parts = parts(written);
        let vectors = crate::vectors::vectors();
        let analyzer = crate::morph::analyzer();
        let embed = |text: &str| vectors.and_then(|v| v.embed(analyzer, text));
        let leading_vectors = parts[..parts.len().saturating_sub(1)]
            .iter()
            .map(|p| (p.clone(), embed(p)))
            .collect();
        Known {
            normal: normalize(written),
            weight,
            whole_vector: embed(written),
            leading_vectors,
            parts,
        }
    }
}

/// The content words of `written` (nouns, verbs, adjectives: IPADIC through the analyser),
/// normalised; empty when it is one word or the analyser is unavailable.
pub(super) fn parts(written: &str) -> Vec<String> {
    let Some(analyzer) = crate::morph::analyzer() else {
        return Vec::new();
    };
    let parts: Vec<String> = analyzer
        .words(written)
        .into_iter()
        .filter(|w| !matches!(w.kind, Kind::Function | Kind::Affix))
        .map(|w| normalize(&w.surface))
        .collect();
    if parts.len() > 1 {
        parts
    } else {
        Vec::new()
    }
}

/// What an advisor is known for, remembered per (specialties, fields): routing runs inside the
/// consultation's write transaction, so the analyser and vector work is done once per advisor
/// profile, not once per request while the lock is held.
pub(super) fn known_words(advisor: &Advisor) -> Arc<Vec<Known>> {
    type Profiles = HashMap<(Vec<String>, Vec<u8>), Arc<Vec<Known>>>;
    static KNOWN: OnceLock<Mutex<Profiles>> = OnceLock::new();
    /// Far above any office's advisors; a bound all the same, as profiles change on import.
    const MAX_PROFILES: usize = 1024;
    let key = (advisor.specialties.clone(), advisor.fields.clone());
    let cache = KNOWN.get_or_init(Default::default);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return known;
    }
    let known = Arc::new(profile_words(advisor));
    if let Ok(mut c) = cache.lock() {
        if c.len() >= MAX_PROFILES {
            c.clear();
        }
        c.insert(key, known.clone());
    }
    known
}

/// What an advisor is known for: specialties (and their Japanese for English ones) and fields.
fn profile_words(advisor: &Advisor) -> Vec<Known> {
    let mut known: Vec<Known> = Vec::new();
    let mut add = |written: &str, weight: f32| known.push(Known::new(written, weight));
    for specialty in &advisor.specialties {
        for japanese in english().get(&normalize(specialty)).into_iter().flatten() {
            add(japanese, 1.0);
        }
        add(specialty, 1.0);
    }
    for &no in &advisor.fields {
        for lang in Lang::ALL {
            if let Some(name) = field_name(no, lang) {
                for part in name.split(['・', ' ']) {
                    add(part, FIELD_WEIGHT);
                }
            }
        }
    }
    known
}
