//! "Find a group doing X": query → ranked, explained results, confident ones apart from
//! weaker suggestions. Each stage has its own file: `query` (understand: `filters`, `terms`,
//! `terms_ja`, `terms_en`) → `index` and `candidates` (posting lists) → `decide` (rank and split)
//! → `rank` (one group's score and reasons) → `score` (one text); `recent` keeps recent
//! outcomes. Here: the [`Searcher`] itself.

pub mod baseline;
mod bilingual;
mod candidates;
mod decide;
mod filters;
mod index;
pub mod lexicon;
pub mod persist;
mod pieces;
mod postings;
pub mod query;
mod rank;
mod readings;
mod recent;
mod score;
mod semantic;
mod store;
mod terms;
mod terms_en;
mod terms_ja;
mod vocabulary;

use std::collections::HashMap;

pub use index::Field;
pub use lexicon::{Lexicon, LexiconError, LexiconParts};
pub use persist::PersistError;
pub use query::Via;
pub use store::Group;

use crate::directory::fields::FIELDS;
use crate::directory::organization::Organization;
use crate::lang::Lang;
use crate::text::normalize;
use filters::Filters;
use index::Index;
use query::{Areas, Query};
use score::Scorer;
use vocabulary::Vocabulary;

/// The district a city-wide group is listed under (normalised form of 市内全域).
const CITY_WIDE: &str = "市内全域";
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
    /// Position in the directory ([`Searcher::organization`] gives the group).
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
    /// The groups (held compactly, see `store`) and their postings.
    index: Index,
    lexicon: Lexicon,
    vocabulary: Vocabulary,
    /// District names and aliases, recruiting words and request phrases: what a query names
    /// besides its topic.
    filters: Filters,
    /// District (normalised) → as the directory writes it.
    area_names: HashMap<String, String>,
    /// Normalised word → as the lexicon or the directory writes it, for explanations.
    display: HashMap<String, String>,
    /// The index's Latin words, sorted: the words a Latin alternative begins are one range.
    latin_sorted: Vec<Box<str>>,
    scorer: Scorer,
    /// Outcomes of queries asked of this searcher lately (`recent`).
    recent: recent::RecentOutcomes,
}

impl Searcher {
    pub fn new(organizations: Vec<Organization>, lexicon: Lexicon) -> Searcher {
        Searcher::with_index(Index::build(organizations), lexicon)
    }

    /// The searcher over an index stored by [`Searcher::to_bytes`] (from the same build, see
    /// [`persist::build_key`]); answers exactly as [`Searcher::new`] over the same groups.
    /// Errors: the blob is not one, of another format, or damaged.
    pub fn from_bytes(bytes: &[u8], lexicon: Lexicon) -> Result<Searcher, PersistError> {
        Ok(Searcher::with_index(persist::decode(bytes)?, lexicon))
    }

    /// The groups and the built index as a compact blob (about 1 KB a group).
    pub fn to_bytes(&self) -> Vec<u8> {
        persist::encode(&self.index)
    }

    /// What [`Searcher::to_bytes`] gives for a searcher over `organizations`, without the
    /// vocabulary a searcher also builds (for whoever only stores the index).
    pub fn index_bytes(organizations: Vec<Organization>) -> Vec<u8> {
        persist::encode(&Index::build(organizations))
    }

    /// Starts loading, on other threads, the language resources `lexicon` uses, so they are
    /// ready (or nearer) when the first query needs them.
    pub fn warm_resources(lexicon: &Lexicon) {
        if lexicon.dictionary {
            std::thread::spawn(crate::morph::analyzer);
        }
        if lexicon.semantic {
            std::thread::spawn(crate::vectors::vectors);
        }
        if lexicon.bilingual {
            std::thread::spawn(bilingual::warm);
        }
    }

    /// The searcher over the groups and their index as [`persist::decode`] gives them back.
    pub fn with_index(index: Index, lexicon: Lexicon) -> Searcher {
        let mut vocabulary = Vocabulary::default();
        vocabulary.analyzer = lexicon.dictionary.then(crate::morph::analyzer).flatten();
        vocabulary.vectors = lexicon.semantic.then(crate::vectors::vectors).flatten();
        for word in lexicon.words() {
            vocabulary.insert(word);
        }
        vocabulary.spell_alike(&lexicon.variants);
        let mut areas: Areas = HashMap::new();
        let mut area_names: HashMap<String, String> = HashMap::new();
        let mut display: HashMap<String, String> = lexicon.display.clone();
        // Registries repeat their words: each distinct one is read (and embedded) once.
        let mut seen: rustc_hash::FxHashSet<(&str, bool)> = Default::default();
        let mut normals: rustc_hash::FxHashMap<&str, String> = Default::default();
        for i in 0..index.len() {
            let (org, doc) = (index.store.group(i), index.doc(i));
            let concepts = org.keywords().map(|w| (w, false));
            for (word, serves) in concepts.chain(org.target().map(|w| (w, true))) {
                // Every use counts (whom a word names is told by how often); the work of
                // reading and embedding it is done once.
                let normal = normals.entry(word).or_insert_with(|| normalize(word));
                vocabulary.count_use(normal, serves);
                if !seen.insert((word, serves)) {
                    continue;
                }
                vocabulary.insert_concept(word, serves);
                display
                    .entry(normal.clone())
                    .or_insert_with(|| word.to_string());
            }
            // Name parts, so a sentence naming a group (あゆみ会の…) finds its words.
            for part in doc.text(Field::Name).split(' ') {
                vocabulary.insert(part);
            }
            // The last group's spelling of a district names it.
            if let Some(written) = area_names.get_mut(doc.area()) {
                if written != org.area() {
                    org.area().clone_into(written);
                }
                continue;
            }
            let area = doc.area().to_string();
            if area != CITY_WIDE {
                for form in district_forms(org.area(), vocabulary.analyzer) {
                    areas.entry(form).or_insert_with(|| area.clone());
                }
            }
            areas.insert(area.clone(), area.clone());
            area_names.insert(area, org.area().to_string());
        }
        // In a fixed order: a reading keeps only its first few words, so every process (and a
        // stored index's loader) must offer them alike.
        let mut written: Vec<&String> = lexicon.display.values().collect();
        written.sort_unstable();
        for written in written {
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
        let filters = Filters::new(&lexicon, &areas);
        let mut latin_sorted: Vec<Box<str>> = index
            .latin_words
            .iter()
            .map(|(word, _)| word.clone())
            .collect();
        latin_sorted.sort_unstable();
        Searcher {
            index,
            lexicon,
            vocabulary,
            filters,
            area_names,
            display,
            latin_sorted,
            scorer: Scorer::new(vocabulary_analyzer),
            recent: Default::default(),
        }
    }

    /// Number of groups in the directory.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Every group, in the directory's order (each made from the compact store as it is read).
    pub fn organizations(&self) -> impl ExactSizeIterator<Item = Organization> + '_ {
        (0..self.index.len()).map(|i| self.index.store.group(i).to_organization())
    }

    /// The group a hit is of.
    pub fn organization(&self, hit: &Hit) -> Organization {
        self.group(hit).to_organization()
    }

    /// The group a hit is of, read in place (nothing copied: for a reply that shows a few of
    /// its texts).
    pub fn group(&self, hit: &Hit) -> Group<'_> {
        self.index.store.group(hit.org)
    }

    /// Districts of the directory, in the directory's spelling, sorted.
    pub fn areas(&self) -> Vec<String> {
        let store = &self.index.store;
        let mut areas: Vec<&str> = (0..store.len()).map(|i| store.group(i).area()).collect();
        areas.sort_unstable();
        areas.dedup();
        areas.into_iter().map(str::to_string).collect()
    }

    pub fn understand(&self, raw: &str) -> Query {
        query::understand(raw, &self.lexicon, &self.vocabulary, &self.filters)
    }

    /// Group names for autocomplete: names containing what was typed (by text or reading).
    pub fn complete_names(&self, typed: &str, limit: usize) -> Vec<Group<'_>> {
        let typed = normalize(typed);
        let reading = crate::text::reading_key_of_normalized(&typed);
        (0..self.index.len())
            .filter(|&i| {
                let d = self.index.doc(i);
                typed.is_empty()
                    || d.text(Field::Name).contains(&typed)
                    || (!reading.is_empty() && d.text(Field::Reading).contains(&reading))
            })
            .take(limit)
            .map(|i| self.index.store.group(i))
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

/// Field names for activity field numbers (a group's `fields()`), primary first, in `lang`.
pub fn field_names(fields: impl Iterator<Item = u8>, lang: Lang) -> Vec<&'static str> {
    fields
        .filter_map(|no| crate::directory::fields::field_name(no, lang))
        .collect()
}
