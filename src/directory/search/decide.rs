//! Deciding a search: the query's alternatives looked up in the index, candidates ranked by
//! the rare character pairs they share, the best scored in full, and the outcome split into
//! confident results and weaker suggestions.

use super::index::Field;
use super::postings::List;
use super::query::{Alternative, Query, Via};
use super::rank::Scoring;
use super::{Hit, Outcome, Reason, SearchOptions, Searcher, CITY_WIDE};
use crate::text::normalize;

/// At or above this a group is a result; below it at most a suggestion.
const CONFIDENT: f32 = 0.55;
/// The bar for a query of many words (a situation told in a sentence), where the right group
/// rarely shares every word: the core ones are enough.
const CONFIDENT_SENTENCE: f32 = 0.42;
/// Words (counted terms) from which a query is read as a sentence.
const SENTENCE_TERMS: usize = 3;
/// Results must also come near the best one: a clear winner keeps weak company out.
const NEAR_BEST: f32 = 0.6;
/// Below this a group is not even suggested.
const SUGGEST: f32 = 0.3;
const MAX_SUGGESTIONS: usize = 3;
/// Groups scored in full per query; the rest are ranked out by shared character pairs.
const CANDIDATES: usize = 200;
/// Alternatives tracked per query (one bit each).
const MAX_ALTERNATIVES: usize = 64;
/// A character pair in more than this share of groups says little; skipped when others exist.
const COMMON_PAIR_SHARE: usize = 4;

impl Searcher {
    /// The groups answering `raw`: confident results (at most `options.limit`, at least one)
    /// apart from up to three weaker suggestions, each with the reasons it matched.
    pub fn search(&self, raw: &str, options: &SearchOptions) -> Outcome {
        let mut query = self.understand(raw);
        query.recruiting_only |= options.recruiting_only;
        // Counts only: what a person typed is not logged.
        tracing::debug!(
            terms = query.terms.len(),
            alternatives = query
                .terms
                .iter()
                .map(|t| t.alternatives.len())
                .sum::<usize>(),
            area = query.area.is_some(),
            "query understood"
        );
        let mut outcome = Outcome {
            understood: !query.terms.is_empty(),
            area: query
                .area
                .as_ref()
                .and_then(|a| self.area_names.get(a).cloned()),
            ..Outcome::default()
        };
        if query.terms.is_empty() || self.index.is_empty() {
            return outcome;
        }
        let filter_area = options.area.as_deref().map(normalize);
        // Taken round the terms (every term's own form first, then their expansions), so the
        // cap on tracked alternatives trims expansions, never a term.
        let deepest = query
            .terms
            .iter()
            .map(|t| t.alternatives.len())
            .max()
            .unwrap_or(0);
        let alternatives: Vec<(usize, &Alternative)> = (0..deepest)
            .flat_map(|depth| {
                query
                    .terms
                    .iter()
                    .enumerate()
                    .filter_map(move |(t, term)| term.alternatives.get(depth).map(|a| (t, a)))
            })
            .take(MAX_ALTERNATIVES)
            .collect();
        let mut tracked = vec![false; query.terms.len()];
        for (t, _) in &alternatives {
            tracked[*t] = true;
        }

        let n = self.index.len();
        // Per group: the alternatives reaching it (one bit each) and its prescore, side by
        // side so a posting touches one place in memory.
        let mut reached_by: Vec<(u64, f32)> = vec![(0, 0.0); n];
        let mut term_df = vec![0usize; query.terms.len()];
        // The most a term can score here: the weight of its best reading found in any group.
        let mut reach = vec![0f32; query.terms.len()];
        let mut lexical_reach = vec![0f32; query.terms.len()];
        // A correction only where what was typed is found nowhere: never above the exact word.
        let mut typed_found = vec![false; query.terms.len()];
        // The posting lists of what was typed, looked up once: for this check and the pass below.
        let mut typed_lists: Vec<Option<Vec<List<'_>>>> = Vec::with_capacity(alternatives.len());
        for (t, alternative) in &alternatives {
            let lists = (alternative.via == Via::Exact && !alternative.latin).then(|| {
                let lists = self.postings(alternative);
                typed_found[*t] |=
                    lists.iter().all(|l| !l.is_empty()) && self.any_contains(alternative, &lists);
                lists
            });
            typed_lists.push(lists);
        }
        for (k, ((t, alternative), typed)) in alternatives.iter().zip(typed_lists).enumerate() {
            if alternative.via == Via::Typo && typed_found[*t] {
                continue;
            }
            let lists = typed.unwrap_or_else(|| self.postings(alternative));
            let df = lists.iter().map(|l| l.len()).min().unwrap_or(0);
            if alternative.weight >= Via::Typo.weight() {
                term_df[*t] = term_df[*t].max(df);
            }
            if df > 0 {
                // A neighbour in meaning is measured against the word itself: at most partial.
                let reachable = if alternative.via == Via::Similar {
                    Via::Exact.weight()
                } else {
                    alternative.weight
                };
                reach[*t] = reach[*t].max(reachable);
                if alternative.via != Via::Similar {
                    lexical_reach[*t] = lexical_reach[*t].max(reachable);
                }
            }
            let common = n / COMMON_PAIR_SHARE;
            let rare_exists = lists.iter().any(|l| l.len() <= common);
            let share = alternative.weight * query.terms[*t].weight / lists.len().max(1) as f32;
            for list in lists {
                if rare_exists && list.len() > common {
                    continue;
                }
                let rarity = ((n as f32 + 1.0) / (list.len() as f32 + 1.0)).ln() + 0.1;
                let bit = 1 << k;
                let add = share * rarity;
                for doc in list.iter() {
                    let d = doc as usize;
                    let (seen, prescore) = &mut reached_by[d];
                    *seen |= bit;
                    *prescore += add;
                }
            }
        }

        // Rare terms count more; an English word found nowhere is noise, not a requirement.
        let term_weights: Vec<f32> = query
            .terms
            .iter()
            .zip(&term_df)
            .zip(&tracked)
            .map(|((term, &df), &tracked)| {
                if !tracked || (term.untranslated_english && df == 0) {
                    0.0
                } else {
                    term.weight * (1.0 + (n as f32 / (1.0 + df as f32)).ln())
                }
            })
            .collect();
        let total_weight: f32 = term_weights.iter().sum();
        if total_weight <= 0.0 {
            outcome.understood = false;
            return outcome;
        }

        // The groups reached, best first by prescore (then by position), each as one sortable
        // number: the prescore's bits (never negative, so they order as the numbers do)
        // inverted above the position. Found by one pass over the groups in order, not by
        // remembering each as it is first reached.
        let mut ranked: Vec<u64> = vec![0; n];
        let mut reached = 0;
        // Without a branch per group (whether it was reached is a coin toss to the processor):
        // every group is written, and only a reached one moves the end on.
        for (doc, &(seen, score)) in reached_by.iter().enumerate() {
            ranked[reached] = (u64::from(!score.to_bits()) << 32) | doc as u64;
            reached += usize::from(seen != 0);
        }
        ranked.truncate(reached);
        if query.recruiting_only || filter_area.is_some() {
            ranked.retain(|&key| {
                let d = self.index.doc(key as u32 as usize);
                (!query.recruiting_only || d.recruiting())
                    && filter_area
                        .as_ref()
                        .is_none_or(|a| d.area() == a || d.area() == CITY_WIDE)
            });
        }
        // Only the best CANDIDATES are kept: select them before sorting (a total order, so
        // the same ones in the same order as sorting everything).
        if ranked.len() > CANDIDATES {
            ranked.select_nth_unstable(CANDIDATES);
            ranked.truncate(CANDIDATES);
        }
        ranked.sort_unstable();
        let touched = ranked.iter().map(|&key| key as u32);

        let mut hits: Vec<Hit> = Vec::with_capacity(ranked.len());
        let scoring = Scoring {
            alternatives: &alternatives,
            query: &query,
            term_weights: &term_weights,
            reach: &reach,
            total_weight,
            typed_found: &typed_found,
            at_least: SUGGEST,
        };
        hits.extend(
            touched.filter_map(|doc| {
                self.score_doc(doc as usize, reached_by[doc as usize].0, &scoring)
            }),
        );
        self.put_named_first(raw, &query, options, &mut hits);
        hits.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                let id = |h: &Hit| self.index.store.group(h.org).id();
                id(a).cmp(id(b))
            })
        });

        let best = hits.first().map_or(0.0, |h| h.score);
        let limit = options.limit.max(1);
        let counted = term_weights.iter().filter(|w| **w > 0.0).count();
        // A word the directory never uses but whose neighbours in meaning it has (水泳 beside
        // バドミントン) is an activity it lacks: then only the usual bar holds.
        let lacks_activity = (0..query.terms.len())
            .any(|t| term_weights[t] > 0.0 && lexical_reach[t] == 0.0 && reach[t] > 0.0);
        let bar = if counted >= SENTENCE_TERMS && !lacks_activity {
            CONFIDENT_SENTENCE
        } else {
            CONFIDENT
        };
        let passes = |h: &Hit| h.score >= bar;
        let (confident, weaker): (Vec<Hit>, Vec<Hit>) = hits
            .into_iter()
            .partition(|h| passes(h) && h.score >= best * NEAR_BEST);
        outcome.results = confident.into_iter().take(limit).collect();
        if let Some(area) = &query.area {
            outcome.none_in_area = !outcome.results.is_empty()
                && !outcome
                    .results
                    .iter()
                    .any(|h| self.index.doc(h.org).area() == area);
        }
        outcome.suggestions = weaker.into_iter().take(MAX_SUGGESTIONS).collect();
        if outcome.results.is_empty() {
            outcome.closest_fields = self.closest_fields(&outcome.suggestions);
        }
        outcome
    }

    /// A query that is a group's whole name, or most of its name's reading in kana, finds that
    /// group first (an exact name or reading outranks any match of its parts).
    fn put_named_first(
        &self,
        raw: &str,
        query: &Query,
        options: &SearchOptions,
        hits: &mut Vec<Hit>,
    ) {
        let name = normalize(raw).replace(' ', "");
        let kana = !name.is_empty()
            && name
                .chars()
                .all(|c| crate::text::script_of(c) == crate::text::Script::Hiragana || c == 'ー');
        let reading = kana.then(|| crate::text::reading_key_of_normalized(&name));
        let filter_area = options.area.as_deref().map(normalize);
        for doc in self.index.named_by(&name, reading.as_deref()) {
            let d = self.index.doc(doc as usize);
            let allowed = (!query.recruiting_only || d.recruiting())
                && filter_area
                    .as_ref()
                    .is_none_or(|a| d.area() == a || d.area() == CITY_WIDE);
            if !allowed {
                continue;
            }
            let reason = Reason {
                typed: raw.trim().to_string(),
                matched: self.index.store.group(doc as usize).name().to_string(),
                via: Via::Exact,
                field: if kana { Field::Reading } else { Field::Name },
            };
            match hits.iter_mut().find(|h| h.org == doc as usize) {
                Some(hit) => hit.score = 1.0,
                None => hits.push(Hit {
                    org: doc as usize,
                    score: 1.0,
                    reasons: vec![reason],
                }),
            }
        }
    }

    fn closest_fields(&self, hits: &[Hit]) -> Vec<u8> {
        let mut fields: Vec<u8> = Vec::new();
        for hit in hits {
            if let Some(primary) = self.index.store.group(hit.org).fields().next() {
                if !fields.contains(&primary) {
                    fields.push(primary);
                }
            }
        }
        fields
    }
}
