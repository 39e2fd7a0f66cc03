//! The groups as the searcher holds them: every distinct string once, packed in blocks, and
//! each group as a short record of string ids (its fields as the registry lists them) with the
//! ids of its normalised index texts. An [`Organization`] is made again only for the groups a
//! search returns. At 100,000 groups about 65 MB with the index texts, where the
//! `Organization`s alone take 128 MB (`cargo bench --bench search`).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::index::Field;
use crate::directory::organization::Organization;

/// Distinct strings, one after another in blocks of about [`BLOCK`] bytes (a longer string has a
/// block of its own): blocks of this size are carved from memory the process already has
/// (such as the groups it was handed and has let go of) rather than mapped anew.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Texts {
    blocks: Vec<String>,
    spans: Vec<Span>,
}

const BLOCK: usize = 64 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    block: u32,
    start: u32,
    len: u32,
}

impl Texts {
    /// String `id`; "" for an id it does not have.
    #[inline]
    pub fn get(&self, id: u32) -> &str {
        let Some(span) = self.spans.get(id as usize) else {
            return "";
        };
        let start = span.start as usize;
        self.blocks
            .get(span.block as usize)
            .and_then(|b| b.get(start..start + span.len as usize))
            .unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Adds `s` as the next id.
    pub fn push(&mut self, s: &str) -> u32 {
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= s.len());
        if !fits {
            self.blocks.push(String::with_capacity(BLOCK.max(s.len())));
        }
        let block = self.blocks.len() - 1;
        let text = &mut self.blocks[block];
        self.spans.push(Span {
            block: block as u32,
            start: text.len() as u32,
            len: s.len() as u32,
        });
        text.push_str(s);
        self.spans.len() as u32 - 1
    }
}

/// Builds [`Texts`], giving a repeated string the id it already has.
#[derive(Default)]
struct Interner {
    texts: Texts,
    /// String hash → the first string with it (a collision just stores the string again).
    ids: FxHashMap<u64, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        let hash = hash_of(s);
        if let Some(&id) = self.ids.get(&hash) {
            if self.texts.get(id) == s {
                return id;
            }
        }
        let id = self.texts.push(s);
        self.ids.entry(hash).or_insert(id);
        id
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Places in a group's record: nine string ids, a flags word, then three counted lists (field
/// numbers, keyword ids, target ids). Name-en and description-en are adjacent: together they
/// are the English text's source.
const ID: usize = 0;
const NAME: usize = 1;
const NAME_KANA: usize = 2;
const FORM: usize = 3;
const AREA: usize = 4;
const DESCRIPTION: usize = 5;
const CONTACT: usize = 6;
const NAME_EN: usize = 7;
const DESCRIPTION_EN: usize = 8;
const FLAGS: usize = 9;
const LISTS: usize = 10;

/// The groups: records of string ids over one [`Texts`], and each group's normalised index
/// texts (ids, in `Field::ALL` order).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Store {
    pub texts: Texts,
    records: Vec<u32>,
    /// Group `i`'s record is `records[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    normals: Vec<u32>,
}

/// One group in a [`Store`].
#[derive(Clone, Copy)]
pub struct Group<'a> {
    texts: &'a Texts,
    record: &'a [u32],
}

impl<'a> Group<'a> {
    fn text(self, at: usize) -> &'a str {
        self.texts
            .get(self.record.get(at).copied().unwrap_or(u32::MAX))
    }

    /// The `k`th counted list (0: field numbers, 1: keywords, 2: target).
    fn list(self, k: usize) -> &'a [u32] {
        let mut at = LISTS;
        for _ in 0..k {
            at += 1 + self.record.get(at).copied().unwrap_or(0) as usize;
        }
        let len = self.record.get(at).copied().unwrap_or(0) as usize;
        self.record.get(at + 1..at + 1 + len).unwrap_or_default()
    }

    fn strings(self, k: usize) -> impl Iterator<Item = &'a str> + 'a {
        let texts = self.texts;
        self.list(k).iter().map(move |&id| texts.get(id))
    }

    pub fn id(self) -> &'a str {
        self.text(ID)
    }

    pub fn name(self) -> &'a str {
        self.text(NAME)
    }

    pub fn name_kana(self) -> &'a str {
        self.text(NAME_KANA)
    }

    pub fn area(self) -> &'a str {
        self.text(AREA)
    }

    pub fn description(self) -> &'a str {
        self.text(DESCRIPTION)
    }

    /// The English name and description.
    pub fn english(self) -> [&'a str; 2] {
        [self.text(NAME_EN), self.text(DESCRIPTION_EN)]
    }

    pub fn contact(self) -> &'a str {
        self.text(CONTACT)
    }

    pub fn recruiting(self) -> bool {
        self.record.get(FLAGS).is_some_and(|f| f & 1 != 0)
    }

    /// NPO-law activity field numbers, primary first.
    pub fn fields(self) -> impl Iterator<Item = u8> + 'a {
        self.list(0).iter().map(|&no| no as u8)
    }

    pub fn keywords(self) -> impl Iterator<Item = &'a str> + 'a {
        self.strings(1)
    }

    pub fn target(self) -> impl Iterator<Item = &'a str> + 'a {
        self.strings(2)
    }

    /// The part of the record an index text of `field` is made from.
    fn source(self, field: Field) -> &'a [u32] {
        let at = |i: usize| self.record.get(i..i + 1).unwrap_or_default();
        match field {
            Field::Name => at(NAME),
            Field::Keywords => self.list(1),
            Field::Reading => at(NAME_KANA),
            Field::Target => self.list(2),
            Field::Fields => self.list(0),
            Field::Description => at(DESCRIPTION),
            Field::English => self
                .record
                .get(NAME_EN..=DESCRIPTION_EN)
                .unwrap_or_default(),
            Field::Area => at(AREA),
        }
    }

    pub fn to_organization(self) -> Organization {
        Organization {
            id: self.id().to_string(),
            name: self.name().to_string(),
            name_kana: self.name_kana().to_string(),
            form: self.text(FORM).to_string(),
            fields: self.fields().collect(),
            area: self.area().to_string(),
            description: self.description().to_string(),
            keywords: self.keywords().map(str::to_string).collect(),
            target: self.target().map(str::to_string).collect(),
            recruiting: self.recruiting(),
            contact: self.contact().to_string(),
            name_en: self.text(NAME_EN).to_string(),
            description_en: self.text(DESCRIPTION_EN).to_string(),
        }
    }
}

impl Store {
    /// The groups, each taken apart as it is read (so the `Organization`s are freed while the
    /// store grows), with each group's index texts made by `normal` from it. A text made from
    /// the same parts as an earlier group's is not made again.
    pub fn build(
        organizations: Vec<Organization>,
        normal: impl Fn(Field, Group<'_>) -> String,
    ) -> Store {
        let n = organizations.len();
        let mut interner = Interner::default();
        let mut records = Vec::with_capacity(n * (LISTS + 8));
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0u32);
        let mut normals = Vec::with_capacity(n * Field::ALL.len());
        // (field, hash of its source ids) → (normal text id, the group it was made for).
        let mut made: FxHashMap<(u8, u64), (u32, u32)> = FxHashMap::default();
        for (g, org) in organizations.into_iter().enumerate() {
            let start = records.len();
            for s in [
                &org.id,
                &org.name,
                &org.name_kana,
                &org.form,
                &org.area,
                &org.description,
                &org.contact,
                &org.name_en,
                &org.description_en,
            ] {
                records.push(interner.id(s));
            }
            records.push(u32::from(org.recruiting));
            records.push(org.fields.len() as u32);
            records.extend(org.fields.iter().map(|&no| u32::from(no)));
            for list in [&org.keywords, &org.target] {
                records.push(list.len() as u32);
                for s in list {
                    records.push(interner.id(s));
                }
            }
            drop(org);
            starts.push(records.len() as u32);
            for field in Field::ALL {
                let group = |at: usize| Group {
                    texts: &interner.texts,
                    record: &records[starts[at] as usize..starts[at + 1] as usize],
                };
                let source = group(g).source(field);
                let key = (field as u8, hash_of(source));
                let earlier = made
                    .get(&key)
                    .filter(|(_, by)| group(*by as usize).source(field) == source);
                let id = match earlier {
                    Some(&(id, _)) => id,
                    None => {
                        let text = normal(field, group(g));
                        let id = interner.id(&text);
                        made.insert(key, (id, g as u32));
                        id
                    }
                };
                normals.push(id);
            }
            debug_assert_eq!(start, starts[g] as usize);
        }
        drop(made);
        records.shrink_to_fit();
        interner.texts.spans.shrink_to_fit();
        Store {
            texts: interner.texts,
            records,
            starts,
            normals,
        }
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Group `i` (an empty one past the end).
    pub fn group(&self, i: usize) -> Group<'_> {
        let record = match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.records.get(a as usize..b as usize),
            _ => None,
        };
        Group {
            texts: &self.texts,
            record: record.unwrap_or_default(),
        }
    }

    /// Group `doc`'s normalised text of `field`.
    #[inline]
    pub fn normal(&self, doc: usize, field: Field) -> &str {
        let at = doc * Field::ALL.len() + field as usize;
        self.texts
            .get(self.normals.get(at).copied().unwrap_or(u32::MAX))
    }

    /// Records, their starts and the normal text ids, for storing.
    pub fn parts(&self) -> [&[u32]; 3] {
        [&self.records, &self.starts, &self.normals]
    }

    /// From [`Store::parts`]: `None` unless every record reads whole and every id is a string
    /// of `texts`.
    pub fn from_parts(texts: Texts, [records, starts, normals]: [Vec<u32>; 3]) -> Option<Store> {
        let n = starts.len().checked_sub(1)?;
        let count = texts.len() as u32;
        let fits = starts.first() == Some(&0)
            && starts.last() == Some(&(records.len() as u32))
            && starts.windows(2).all(|w| w[0] <= w[1])
            && normals.len() == n * Field::ALL.len()
            && normals.iter().all(|&id| id < count);
        if !fits {
            return None;
        }
        let store = Store {
            texts,
            records,
            starts,
            normals,
        };
        for i in 0..n {
            let record = store.group(i).record;
            if !record_reads(record, count) {
                return None;
            }
        }
        Some(store)
    }
}

/// Nine string ids, flags, then exactly three counted lists: field numbers below 256, then
/// two lists of string ids.
fn record_reads(record: &[u32], count: u32) -> bool {
    let Some(head) = record.get(..LISTS) else {
        return false;
    };
    if head[..FLAGS].iter().any(|&id| id >= count) {
        return false;
    }
    let mut rest = &record[LISTS..];
    for k in 0..3 {
        let Some((&len, tail)) = rest.split_first() else {
            return false;
        };
        let Some(items) = tail.get(..len as usize) else {
            return false;
        };
        let limit = if k == 0 { 256 } else { count };
        if items.iter().any(|&v| v >= limit) {
            return false;
        }
        rest = &tail[len as usize..];
    }
    rest.is_empty()
}
