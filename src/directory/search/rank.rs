//! One candidate group scored against the query, with the reasons it matched (what was typed,
//! what was found, how they relate and in which field) for the explanation shown to people.

use super::index::{self, Field};
use super::query::{Alternative, Query};
use super::{Hit, Reason, Searcher, CITY_WIDE};

impl Searcher {
    /// The group's hit: its score from 0 to 1 and its reasons, best first; None when the score
    /// is under `scoring.at_least`.
    pub(super) fn score_doc(&self, doc: usize, seen: u64, scoring: &Scoring) -> Option<Hit> {
        let Scoring {
            alternatives,
            query,
            term_weights,
            reach,
            total_weight,
            typed_found,
            at_least,
        } = *scoring;
        let d = self.index.doc(doc);
        // Each term's best value with the alternative and field it came from; the reason
        // (its texts) is written once, for the winner.
        let mut best: Vec<(f32, Option<(usize, Field)>)> = vec![(0.0, None); query.terms.len()];
        for (k, (t, alternative)) in alternatives.iter().enumerate() {
            if seen & (1 << k) == 0 || term_weights[*t] == 0.0 {
                continue;
            }
            for field in Field::ALL {
                // Quality is at most 1: a field that cannot beat the term's best is not tried.
                if field.weight() * alternative.weight <= best[*t].0 {
                    continue;
                }
                let mut quality = self.scorer.quality(alternative, field, d.text(field));
                // What was typed is found as written elsewhere: a match by reading alone here
                // is a weaker idea (ラーメン written out beats ラ・メンサ read aloud).
                if field == Field::Reading && typed_found[*t] && !names_most(alternative, d) {
                    quality *= 0.5;
                }
                let value = quality * field.weight() * alternative.weight;
                if value > best[*t].0 {
                    best[*t] = (value, Some((k, field)));
                }
            }
        }
        // A need the directory never words literally (電気代) is answered by what it relates
        // to (省エネ): measured against its best reachable reading, it can count in full.
        let matched: f32 = best
            .iter()
            .zip(term_weights)
            .zip(reach)
            .map(|(((v, _), w), r)| if *r > 0.0 { (v / r).min(1.0) * w } else { 0.0 })
            .sum();
        let mut score = matched / total_weight;
        if let Some(area) = &query.area {
            score *= if d.area() == area {
                1.0
            } else if d.area() == CITY_WIDE {
                0.92
            } else {
                0.8
            };
        }
        // Most candidates fall short: their reasons (texts) are never written.
        if score < at_least {
            return None;
        }
        let mut reasons: Vec<(f32, Reason)> = best
            .into_iter()
            .zip(term_weights)
            .filter_map(|((v, found), w)| {
                let (k, field) = found?;
                let (t, alternative) = alternatives[k];
                let reason = Reason {
                    typed: query.terms[t].typed.clone(),
                    matched: self
                        .display
                        .get(&alternative.text)
                        .unwrap_or(&alternative.text)
                        .clone(),
                    via: alternative.via,
                    field,
                };
                Some((v * w, reason))
            })
            .collect();
        reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
        Some(Hit {
            org: doc,
            score,
            reasons: reasons.into_iter().map(|(_, r)| r).collect(),
        })
    }
}

/// The alternative's reading begins the group's name reading and is most of it (きっずかふぇ for
/// Kids Café ひばり): an exact reading of the name, not letters that happen to start it.
fn names_most(alternative: &Alternative, doc: index::Doc<'_>) -> bool {
    let name = doc.text(Field::Reading);
    alternative.reading.as_deref().is_some_and(|reading| {
        name.starts_with(reading) && 2 * reading.chars().count() >= name.chars().count()
    })
}

/// What scoring one group needs to know about the query.
#[derive(Clone, Copy)]
pub(super) struct Scoring<'a> {
    pub(super) alternatives: &'a [(usize, &'a Alternative)],
    pub(super) query: &'a Query,
    pub(super) term_weights: &'a [f32],
    /// The most each term can score in any group.
    pub(super) reach: &'a [f32],
    pub(super) total_weight: f32,
    /// Each term's own form is found as written in some group.
    pub(super) typed_found: &'a [bool],
    /// The least score a hit is kept with.
    pub(super) at_least: f32,
}
