//! The in-memory index: each group's texts in normalised form, and postings from character
//! bigrams (all texts), single characters (names and keywords) and Latin words to groups.
//! Built once per directory load and shared read-only.

use std::collections::HashMap;

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

#[derive(Debug)]
pub struct Doc {
    /// Normalised texts, indexed like `Field::ALL`.
    pub texts: [String; 8],
    pub recruiting: bool,
}

impl Doc {
    pub fn text(&self, field: Field) -> &str {
        &self.texts[field as usize]
    }

    pub fn area(&self) -> &str {
        self.text(Field::Area)
    }

    fn from_org(org: &Organization) -> Doc {
        let mut name = normalize(&org.name);
        for form in LEGAL_FORMS {
            name = name.replace(form, " ").trim().to_string();
        }
        let mut reading = reading_key(&org.name_kana);
        for form in LEGAL_FORM_READINGS {
            if let Some(rest) = reading.strip_prefix(form) {
                reading = rest.to_string();
            }
        }
        let fields = org
            .fields
            .iter()
            .flat_map(|&no| Lang::ALL.map(|lang| field_name(no, lang).unwrap_or("")))
            .map(normalize)
            .collect::<Vec<_>>()
            .join(" ");
        let english = normalize(&format!("{} {}", org.name_en, org.description_en));
        Doc {
            texts: [
                name,
                normalize(&org.keywords.join(" ")),
                reading,
                normalize(&org.target.join(" ")),
                fields,
                normalize(&org.description),
                english,
                normalize(&org.area),
            ],
            recruiting: org.recruiting,
        }
    }
}

pub fn bigram_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

#[derive(Debug, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
    /// Character bigram → groups having it in any text (ascending, once each).
    pub bigrams: HashMap<u64, Vec<u32>>,
    /// Single character → groups having it in their name or keywords.
    pub unigrams: HashMap<char, Vec<u32>>,
    /// Latin word → groups having it (English texts, Latin in names and keywords).
    pub latin_words: HashMap<String, Vec<u32>>,
    /// Name readings (reading keys) with their group, sorted: a name said in kana is found by
    /// prefix.
    pub name_readings: Vec<(String, u32)>,
    /// Names (normalised, legal form and spaces removed) → groups.
    pub names: HashMap<String, Vec<u32>>,
}

fn push_once(list: &mut Vec<u32>, doc: u32) {
    if list.last() != Some(&doc) {
        list.push(doc);
    }
}

impl Index {
    pub fn build(orgs: &[Organization]) -> Index {
        let mut index = Index::default();
        for (i, org) in orgs.iter().enumerate() {
            let doc = Doc::from_org(org);
            let id = i as u32;
            for field in Field::ALL {
                let text = doc.text(field);
                let chars: Vec<char> = text.chars().collect();
                for pair in chars.windows(2) {
                    if pair[0] != ' ' && pair[1] != ' ' {
                        push_once(
                            index
                                .bigrams
                                .entry(bigram_key(pair[0], pair[1]))
                                .or_default(),
                            id,
                        );
                    }
                }
                if matches!(field, Field::Name | Field::Keywords) {
                    for &c in &chars {
                        if c != ' ' {
                            push_once(index.unigrams.entry(c).or_default(), id);
                        }
                    }
                }
                if field.latin() {
                    for word in latin_words(text) {
                        push_once(index.latin_words.entry(word).or_default(), id);
                    }
                }
            }
            if !doc.text(Field::Reading).is_empty() {
                index
                    .name_readings
                    .push((doc.text(Field::Reading).to_string(), id));
            }
            index
                .names
                .entry(doc.text(Field::Name).replace(' ', ""))
                .or_default()
                .push(id);
            index.docs.push(doc);
        }
        index.name_readings.sort_unstable();
        // Bigrams of a doc arrive field by field, so a doc can repeat out of order.
        for list in index
            .bigrams
            .values_mut()
            .chain(index.unigrams.values_mut())
            .chain(index.latin_words.values_mut())
        {
            list.sort_unstable();
            list.dedup();
        }
        index
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Groups the whole query names: its name as written, or most of its name's reading from
    /// the start (a kana query; `reading` is its reading key).
    pub fn named_by(&self, name: &str, reading: Option<&str>) -> Vec<u32> {
        let mut found: Vec<u32> = self.names.get(name).cloned().unwrap_or_default();
        if let Some(reading) = reading.filter(|r| r.chars().count() >= 3) {
            let from = self
                .name_readings
                .partition_point(|(r, _)| r.as_str() < reading);
            for (r, doc) in &self.name_readings[from..] {
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

/// Runs of Latin letters and digits in a normalised text.
pub fn latin_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !matches!(script_of(c), Script::Latin | Script::Digit))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
}
