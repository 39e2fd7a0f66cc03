//! "Find a group doing X": query → ranked, explained results, confident ones apart from
//! weaker suggestions. Each stage has its own file:
//! `query` (understand and expand) → `index` (candidates) → `score` (per text) → here (decide).

pub mod baseline;
mod bilingual;
mod index;
pub mod lexicon;
mod pieces;
pub mod query;
mod readings;
mod score;
mod semantic;
mod vocabulary;

use std::collections::HashMap;

pub use index::Field;
pub use lexicon::{Lexicon, LexiconError, LexiconParts};
pub use query::Via;

use crate::directory::fields::FIELDS;
use crate::directory::organization::Organization;
use crate::lang::Lang;
use crate::text::normalize;
use index::{bigram_key, Index};
use query::{Alternative, Areas, Query};
use score::Scorer;
use vocabulary::Vocabulary;

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
/// The district a city-wide group is listed under (normalised form of 市内全域).
const CITY_WIDE: &str = "市内全域";
/// Groups scored in full per query; the rest are ranked out by shared character pairs.
const CANDIDATES: usize = 200;
/// Groups looked at to tell whether a typed word is found as written.
const ANY_CONTAINS_SAMPLE: usize = 256;
/// Alternatives tracked per query (one bit each).
const MAX_ALTERNATIVES: usize = 64;
/// A character pair in more than this share of groups says little; skipped when others exist.
const COMMON_PAIR_SHARE: usize = 4;
/// Character pairs an expansion is looked up by (its rarest).
const EXPANSION_PAIRS: usize = 2;

#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub limit: usize,
    /// Only groups of this district (and city-wide ones).
    pub area: Option<String>,
    pub recruiting_only: bool,
}

/// Why a group matched: what was typed, what was found, how they relate, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub typed: String,
    pub matched: String,
    pub via: Via,
    pub field: Field,
}

#[derive(Debug, Clone)]
pub struct Hit {
    /// Position in [`Searcher::organizations`].
    pub org: usize,
    pub score: f32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub results: Vec<Hit>,
    pub suggestions: Vec<Hit>,
    /// The query had something to search for.
    pub understood: bool,
    /// District recognised in the query, as the directory writes it.
    pub area: Option<String>,
    /// Activity fields of the closest groups, for an honest "nothing found".
    pub closest_fields: Vec<u8>,
    /// A district was named but no result is in it: the results are city-wide groups or other
    /// districts', and the reply must say so.
    pub none_in_area: bool,
}

pub struct Searcher {
    organizations: Vec<Organization>,
    index: Index,
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    /// District names and aliases → the district (normalised).
    areas: Areas,
    /// District (normalised) → as the directory writes it.
    area_names: HashMap<String, String>,
    /// Normalised word → as the lexicon or the directory writes it, for explanations.
    display: HashMap<String, String>,
    scorer: Scorer,
}

impl Searcher {
    pub fn new(organizations: Vec<Organization>, lexicon: Lexicon) -> Searcher {
        let index = Index::build(&organizations);
        let mut vocabulary = Vocabulary::default();
        vocabulary.analyzer = lexicon.dictionary.then(crate::morph::analyzer).flatten();
        vocabulary.vectors = lexicon.semantic.then(crate::vectors::vectors).flatten();
        for word in lexicon.words() {
            vocabulary.insert(word);
        }
        let mut areas: Areas = HashMap::new();
        let mut area_names: HashMap<String, String> = HashMap::new();
        let mut display: HashMap<String, String> = lexicon.display.clone();
        for (org, doc) in organizations.iter().zip(&index.docs) {
            for word in org.keywords.iter().chain(&org.target) {
                let normal = normalize(word);
                vocabulary.insert_concept(word);
                display.entry(normal).or_insert_with(|| word.clone());
            }
            // Name parts, so a sentence naming a group (あゆみ会の…) finds its words.
            for part in doc.text(Field::Name).split(' ') {
                vocabulary.insert(part);
            }
            let area = normalize(&org.area);
            if !area_names.contains_key(&area) && area != CITY_WIDE {
                for form in district_forms(&org.area, vocabulary.analyzer) {
                    areas.entry(form).or_insert_with(|| area.clone());
                }
            }
            areas.insert(area.clone(), area.clone());
            area_names.insert(area, org.area.clone());
        }
        for written in lexicon.display.values() {
            vocabulary.insert_written(written);
        }
        for (ja, en) in FIELDS {
            for part in ja.split(['・', ' ', '(', ')']) {
                vocabulary.insert_written(part);
            }
            vocabulary.insert(&normalize(en));
        }
        // Aliases only of districts this directory has.
        for (alias, area) in &lexicon.area_aliases {
            if area_names.contains_key(area) {
                areas.insert(alias.clone(), area.clone());
            }
        }
        if lexicon.bilingual {
            bilingual::warm();
        }
        let vocabulary_analyzer = vocabulary.analyzer;
        Searcher {
            organizations,
            index,
            lexicon,
            vocabulary,
            areas,
            area_names,
            display,
            scorer: Scorer::new(vocabulary_analyzer),
        }
    }

    pub fn organizations(&self) -> &[Organization] {
        &self.organizations
    }

    pub fn organization(&self, hit: &Hit) -> &Organization {
        &self.organizations[hit.org]
    }

    /// Districts of the directory, in the directory's spelling, sorted.
    pub fn areas(&self) -> Vec<String> {
        let mut areas: Vec<String> = self.organizations.iter().map(|o| o.area.clone()).collect();
        areas.sort();
        areas.dedup();
        areas
    }

    pub fn understand(&self, raw: &str) -> Query {
        query::understand(raw, &self.lexicon, &self.vocabulary, &self.areas)
    }

    pub fn search(&self, raw: &str, options: &SearchOptions) -> Outcome {
        let mut query = self.understand(raw);
        query.recruiting_only |= options.recruiting_only;
        tracing::debug!(
            terms = ?query.terms.iter().map(|t| (&t.typed, t.alternatives.iter().map(|a| a.text.as_str()).collect::<Vec<_>>())).collect::<Vec<_>>(),
            area = ?query.area,
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
        let mut prescore = vec![0f32; n];
        let mut seen: Vec<u64> = vec![0; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut term_df = vec![0usize; query.terms.len()];
        // The most a term can score here: the weight of its best reading found in any group.
        let mut reach = vec![0f32; query.terms.len()];
        let mut lexical_reach = vec![0f32; query.terms.len()];
        // A correction only where what was typed is found nowhere: never above the exact word.
        let mut typed_found = vec![false; query.terms.len()];
        for (t, alternative) in &alternatives {
            if alternative.via == Via::Exact && !alternative.latin {
                typed_found[*t] |= self.postings(alternative).iter().all(|l| !l.is_empty())
                    && self.any_contains(alternative);
            }
        }
        for (k, (t, alternative)) in alternatives.iter().enumerate() {
            if alternative.via == Via::Typo && typed_found[*t] {
                continue;
            }
            let lists = self.postings(alternative);
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
                for &doc in list {
                    let d = doc as usize;
                    if seen[d] == 0 {
                        touched.push(doc);
                    }
                    seen[d] |= 1 << k;
                    prescore[d] += share * rarity;
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

        touched.retain(|&doc| {
            let d = &self.index.docs[doc as usize];
            (!query.recruiting_only || d.recruiting)
                && filter_area
                    .as_ref()
                    .is_none_or(|a| d.area() == a || d.area() == CITY_WIDE)
        });
        touched.sort_unstable_by(|a, b| {
            prescore[*b as usize]
                .total_cmp(&prescore[*a as usize])
                .then(a.cmp(b))
        });
        touched.truncate(CANDIDATES);

        let mut hits: Vec<Hit> = touched
            .iter()
            .map(|&doc| {
                self.score_doc(
                    doc as usize,
                    seen[doc as usize],
                    &Scoring {
                        alternatives: &alternatives,
                        query: &query,
                        term_weights: &term_weights,
                        reach: &reach,
                        total_weight,
                        typed_found: &typed_found,
                    },
                )
            })
            .filter(|hit| hit.score >= SUGGEST)
            .collect();
        self.put_named_first(raw, &query, options, &mut hits);
        hits.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                self.organizations[a.org]
                    .id
                    .cmp(&self.organizations[b.org].id)
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
                    .any(|h| self.index.docs[h.org].area() == area);
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
        let reading = kana.then(|| crate::text::reading_key(&name));
        let filter_area = options.area.as_deref().map(normalize);
        for doc in self.index.named_by(&name, reading.as_deref()) {
            let d = &self.index.docs[doc as usize];
            let allowed = (!query.recruiting_only || d.recruiting)
                && filter_area
                    .as_ref()
                    .is_none_or(|a| d.area() == a || d.area() == CITY_WIDE);
            if !allowed {
                continue;
            }
            let reason = Reason {
                typed: raw.trim().to_string(),
                matched: self.organizations[doc as usize].name.clone(),
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

    /// Whether some group's text has the alternative as written (its pairs may be apart).
    fn any_contains(&self, alternative: &Alternative) -> bool {
        let lists = self.postings(alternative);
        let Some(shortest) = lists.iter().min_by_key(|l| l.len()) else {
            return false;
        };
        // A sample is enough: the word is either common in these groups or a near-miss.
        shortest.iter().take(ANY_CONTAINS_SAMPLE).any(|&doc| {
            let d = &self.index.docs[doc as usize];
            Field::ALL
                .iter()
                .any(|&f| d.text(f).contains(alternative.text.as_str()))
        })
    }

    /// The posting lists an alternative is found through.
    fn postings(&self, alternative: &Alternative) -> Vec<&[u32]> {
        if alternative.latin {
            return self
                .index
                .latin_words
                .iter()
                .filter(|(word, _)| word.starts_with(alternative.text.as_str()))
                .map(|(_, list)| list.as_slice())
                .collect();
        }
        let mut texts = vec![alternative.text.as_str()];
        if let Some(reading) = &alternative.reading {
            texts.push(reading);
        }
        let mut lists: Vec<&[u32]> = Vec::new();
        for text in texts {
            let chars: Vec<char> = text.chars().collect();
            if chars.len() == 1 {
                lists.extend(self.index.unigrams.get(&chars[0]).map(Vec::as_slice));
            }
            for pair in chars.windows(2) {
                if let Some(list) = self.index.bigrams.get(&bigram_key(pair[0], pair[1])) {
                    // A pair repeated in the word counts once.
                    if !lists.iter().any(|l| std::ptr::eq(*l, list.as_slice())) {
                        lists.push(list);
                    }
                }
            }
        }
        // An expansion only matches as written, so it has all its pairs and the rarest two find
        // it. What the person typed keeps every pair: a typo may break any of them.
        if !matches!(alternative.via, Via::Exact | Via::Typo) && lists.len() > EXPANSION_PAIRS {
            lists.sort_by_key(|list| list.len());
            lists.truncate(EXPANSION_PAIRS);
        }
        lists
    }

    fn score_doc(&self, doc: usize, seen: u64, scoring: &Scoring) -> Hit {
        let Scoring {
            alternatives,
            query,
            term_weights,
            reach,
            total_weight,
            typed_found,
        } = *scoring;
        let d = &self.index.docs[doc];
        let mut best: Vec<(f32, Option<Reason>)> = vec![(0.0, None); query.terms.len()];
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
                    best[*t] = (
                        value,
                        Some(Reason {
                            typed: query.terms[*t].typed.clone(),
                            matched: self
                                .display
                                .get(&alternative.text)
                                .unwrap_or(&alternative.text)
                                .clone(),
                            via: alternative.via,
                            field,
                        }),
                    );
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
        let mut reasons: Vec<(f32, Reason)> = best
            .into_iter()
            .zip(term_weights)
            .filter_map(|((v, r), w)| r.map(|r| (v * w, r)))
            .collect();
        reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
        Hit {
            org: doc,
            score,
            reasons: reasons.into_iter().map(|(_, r)| r).collect(),
        }
    }

    fn closest_fields(&self, hits: &[Hit]) -> Vec<u8> {
        let mut fields: Vec<u8> = Vec::new();
        for hit in hits {
            if let Some(&primary) = self.organizations[hit.org].fields.first() {
                if !fields.contains(&primary) {
                    fields.push(primary);
                }
            }
        }
        fields
    }

    /// Group names for autocomplete: names containing what was typed (by text or reading).
    pub fn complete_names(&self, typed: &str, limit: usize) -> Vec<&Organization> {
        let typed = normalize(typed);
        let reading = crate::text::reading_key(&typed);
        self.organizations
            .iter()
            .zip(&self.index.docs)
            .filter(|(_, d)| {
                typed.is_empty()
                    || d.text(Field::Name).contains(&typed)
                    || (!reading.is_empty() && d.text(Field::Reading).contains(&reading))
            })
            .map(|(o, _)| o)
            .take(limit)
            .collect()
    }
}

/// Ways people name a district, for any city: the name with a generic word around it (旭地区,
/// 旭周辺, 旭のあたり, 旭の近く, 旭駅) and, with the dictionary, its reading (あさひ).
/// Normalised.
fn district_forms(area: &str, analyzer: Option<&crate::morph::Analyzer>) -> Vec<String> {
    const AROUND: &[&str] = &[
        "地区",
        "地域",
        "周辺",
        "付近",
        "のあたり",
        "あたり",
        "の近く",
        "近く",
        "駅",
        "駅前",
        "駅周辺",
        "駅の近く",
        "地区周辺",
        "地区の近く",
        "エリア",
    ];
    let name = normalize(area);
    let mut names = vec![name.clone()];
    if let Some(analyzer) = analyzer {
        let reading = normalize(&analyzer.reading(area));
        // Only a reading the dictionary knows (it differs from the letters) and long enough
        // not to be a common word.
        if reading != name && reading.chars().count() >= 3 {
            names.push(reading);
        }
    }
    let mut forms = Vec::new();
    for name in &names {
        forms.push(name.clone());
        for around in AROUND {
            forms.push(format!("{name}{}", normalize(around)));
        }
    }
    forms
}

/// The alternative's reading begins the group's name reading and is most of it (きっずかふぇ for
/// Kids Café ひばり): an exact reading of the name, not letters that happen to start it.
fn names_most(alternative: &Alternative, doc: &index::Doc) -> bool {
    let name = doc.text(Field::Reading);
    alternative.reading.as_deref().is_some_and(|reading| {
        name.starts_with(reading) && 2 * reading.chars().count() >= name.chars().count()
    })
}

/// What scoring one group needs to know about the query.
#[derive(Clone, Copy)]
struct Scoring<'a> {
    alternatives: &'a [(usize, &'a Alternative)],
    query: &'a Query,
    term_weights: &'a [f32],
    /// The most each term can score in any group.
    reach: &'a [f32],
    total_weight: f32,
    /// Each term's own form is found as written in some group.
    typed_found: &'a [bool],
}

/// Field names for a hit's fields, in `lang`.
pub fn field_names(org: &Organization, lang: Lang) -> Vec<&'static str> {
    org.fields
        .iter()
        .filter_map(|&no| crate::directory::fields::field_name(no, lang))
        .collect()
}
