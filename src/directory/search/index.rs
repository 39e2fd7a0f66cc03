//! The in-memory index: each group's texts in normalised form, and postings from character
//! bigrams (all texts), single characters (names and keywords) and Latin words to groups.
//! Built once per directory load and shared read-only.

pub use super::postings::Postings;
use super::store::{Group, Store};
use crate::directory::fields::field_name;
use crate::directory::organization::Organization;
use crate::lang::Lang;
use crate::text::{normalize, reading_key, script_of, Script};

/// The texts of a group a term can match, from most to least telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Keywords,
    Reading,
    Target,
    Fields,
    Description,
    English,
    /// The district the group is in: what a district named alone finds.
    Area,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::Keywords,
        Field::Reading,
        Field::Target,
        Field::Fields,
        Field::Description,
        Field::English,
        Field::Area,
    ];

    pub fn weight(self) -> f32 {
        match self {
            Field::Name | Field::Keywords => 1.0,
            Field::Reading => 0.9,
            Field::English => 0.9,
            Field::Description => 0.7,
            Field::Target => 0.85,
            Field::Fields | Field::Area => 0.6,
        }
    }

    /// Short texts where a fuzzy (gapped) match still means something.
    pub fn fuzzy(self) -> bool {
        matches!(
            self,
            Field::Name | Field::Keywords | Field::Reading | Field::Target
        )
    }

    /// Fields Latin (English) words are looked for in.
    pub fn latin(self) -> bool {
        matches!(self, Field::Name | Field::Keywords | Field::English)
    }
}

/// Legal-form prefixes say nothing about the activity ("活動" in 特定非営利活動法人 would
/// match every query about activities).
const LEGAL_FORMS: &[&str] = &[
    "認定特定非営利活動法人",
    "特定非営利活動法人",
    "認定npo法人",
    "npo法人",
    "社会福祉法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
];
const LEGAL_FORM_READINGS: &[&str] = &[
    "にんていとくていひえいりかつどうほうじん",
    "とくていひえいりかつどうほうじん",
    "にんていえぬぴおほうじん",
    "えぬぴおほうじん",
    "しやかいふくしほうじん",
    "いつぱんしやだんほうじん",
    "いつぱんざいだんほうじん",
    "こうえきしやだんほうじん",
    "こうえきざいだんほうじん",
];

/// One group as the index reads it: its normalised texts and whether it recruits.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    store: &'a Store,
    doc: usize,
}

impl<'a> Doc<'a> {
    pub fn recruiting(&self) -> bool {
        self.store.group(self.doc).recruiting()
    }

    #[inline]
    pub fn text(&self, field: Field) -> &'a str {
        self.store.normal(self.doc, field)
    }

    pub fn area(&self) -> &'a str {
        self.text(Field::Area)
    }
}

/// A group's normalised text of `field`: names without their legal form, lists joined by
/// spaces, the fields by their names in every language.
fn normal(field: Field, group: Group<'_>) -> String {
    match field {
        Field::Name => {
            let mut name = normalize(group.name());
            for form in LEGAL_FORMS {
                if name.contains(form) {
                    name = name.replace(form, " ").trim().to_string();
                }
            }
            name
        }
        Field::Reading => {
            let mut reading = reading_key(group.name_kana());
            for form in LEGAL_FORM_READINGS {
                if let Some(rest) = reading.strip_prefix(form) {
                    reading = rest.to_string();
                }
            }
            reading
        }
        Field::Keywords => normalize(&group.keywords().collect::<Vec<_>>().join(" ")),
        Field::Target => normalize(&group.target().collect::<Vec<_>>().join(" ")),
        Field::Fields => group
            .fields()
            .flat_map(|no| Lang::ALL.map(|lang| field_name(no, lang).unwrap_or("")))
            .map(normalize)
            .collect::<Vec<_>>()
            .join(" "),
        Field::Description => normalize(group.description()),
        Field::English => normalize(&group.english().join(" ")),
        Field::Area => normalize(group.area()),
    }
}

pub fn bigram_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

#[derive(Debug, Default)]
pub struct Index {
    /// The groups and their normalised texts.
    pub store: Store,
    /// Character bigram → groups having it in any text.
    pub bigrams: Postings<u64>,
    /// Single character → groups having it in their name or keywords.
    pub unigrams: Postings<char>,
    /// Latin word → groups having it (English texts, Latin in names and keywords).
    pub latin_words: Postings<Box<str>>,
    /// Name readings (reading keys) with their group, sorted: a name said in kana is found by
    /// prefix.
    pub name_readings: Vec<u32>,
    /// Groups sorted by name (normalised, legal form and spaces removed; see [`name_order`]),
    /// then position: a name is found by binary search without a second copy of the names.
    pub names: Vec<u32>,
}

impl Index {
    pub fn build(orgs: Vec<Organization>) -> Index {
        Index::over(Store::build(orgs, normal))
    }

    /// The postings of the groups in `store`: the character pairs on one thread, the rest on
    /// another (each table is built alone; together they take most of a build).
    fn over(store: Store) -> Index {
        let (bigrams, (unigrams, latin_words, name_readings, names)) =
            std::thread::scope(|scope| {
                let rest = scope.spawn(|| {
                    (
                        unigrams(&store),
                        latin(&store),
                        name_readings(&store),
                        names(&store),
                    )
                });
                let bigrams = bigrams(&store);
                let rest = rest
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (bigrams, rest)
            });
        Index {
            store,
            bigrams,
            unigrams,
            latin_words,
            name_readings,
            names,
        }
    }

    pub fn len(&self) -> usize {
        self.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// Group `doc` as the index reads it.
    #[inline]
    pub fn doc(&self, doc: usize) -> Doc<'_> {
        Doc {
            store: &self.store,
            doc,
        }
    }

    /// Groups the whole query names: its name as written, or most of its name's reading from
    /// the start (a kana query; `reading` is its reading key).
    pub fn named_by(&self, name: &str, reading: Option<&str>) -> Vec<u32> {
        let name_of = |doc: &u32| self.doc(*doc as usize).text(Field::Name);
        let from = self
            .names
            .partition_point(|d| name_order(name_of(d), name).is_lt());
        let mut found: Vec<u32> = self.names[from..]
            .iter()
            .take_while(|d| name_order(name_of(d), name).is_eq())
            .copied()
            .collect();
        if let Some(reading) = reading.filter(|r| r.chars().count() >= 3) {
            let reading_of = |doc: &u32| self.doc(*doc as usize).text(Field::Reading);
            let from = self
                .name_readings
                .partition_point(|d| reading_of(d) < reading);
            for doc in &self.name_readings[from..] {
                let r = reading_of(doc);
                if !r.starts_with(reading) {
                    break;
                }
                if 2 * reading.chars().count() >= r.chars().count() && !found.contains(doc) {
                    found.push(*doc);
                }
            }
        }
        found
    }
}

fn bigrams(store: &Store) -> Postings<u64> {
    Postings::build(store.len(), |i, keys| {
        for field in Field::ALL {
            let mut chars = store.normal(i, field).chars();
            let Some(mut previous) = chars.next() else {
                continue;
            };
            for c in chars {
                if previous != ' ' && c != ' ' {
                    keys.push(bigram_key(previous, c));
                }
                previous = c;
            }
        }
    })
}

fn unigrams(store: &Store) -> Postings<char> {
    Postings::build(store.len(), |i, keys| {
        for field in [Field::Name, Field::Keywords] {
            keys.extend(store.normal(i, field).chars().filter(|&c| c != ' '));
        }
    })
}

fn latin(store: &Store) -> Postings<Box<str>> {
    Postings::build(store.len(), |i, keys: &mut Vec<Box<str>>| {
        for field in Field::ALL.into_iter().filter(|f| f.latin()) {
            keys.extend(latin_words(store.normal(i, field)).map(String::into_boxed_str));
        }
    })
}

fn name_readings(store: &Store) -> Vec<u32> {
    let reading = |i: u32| store.normal(i as usize, Field::Reading);
    let mut found: Vec<u32> = (0..store.len() as u32)
        .filter(|&i| !reading(i).is_empty())
        .collect();
    found.sort_unstable_by(|&a, &b| reading(a).cmp(reading(b)).then(a.cmp(&b)));
    found
}

fn names(store: &Store) -> Vec<u32> {
    let name = |i: u32| store.normal(i as usize, Field::Name);
    let mut names: Vec<u32> = (0..store.len() as u32).collect();
    names.sort_unstable_by(|&a, &b| name_order(name(a), name(b)).then(a.cmp(&b)));
    names
}

/// Names compared as if their spaces were removed.
pub fn name_order(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.bytes().filter(|&c| c != b' ');
    a.cmp(b.bytes().filter(|&c| c != b' '))
}

/// Runs of Latin letters and digits in a normalised text.
pub fn latin_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !matches!(script_of(c), Script::Latin | Script::Digit))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
}
