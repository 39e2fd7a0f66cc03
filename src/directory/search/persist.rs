//! The built index as a compact, versioned byte blob, so a fresh process (`kyodo find`) loads
//! what another built instead of rebuilding it (seconds at 100,000 groups). Little-endian;
//! layout: magic `KYIX`, [`FORMAT`], the groups, a table of the distinct index texts, each
//! group's texts as indices into it, the three posting tables, name readings and names.
//! Everything read is bounds-checked: a damaged blob is an error, never a panic later.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::index::{Doc, Index, Postings};
use super::postings::read_varint;
use crate::directory::organization::Organization;

const MAGIC: &[u8; 4] = b"KYIX";
/// Raise whenever the layout or what `Index::build` derives from a group changes.
const FORMAT: u32 = 4;

/// What a stored index must have been built by to be used: this layout, this release and the
/// same normalisation (its kanji variant table).
pub fn build_key() -> String {
    format!(
        "{FORMAT}:{}:{:016x}",
        env!("CARGO_PKG_VERSION"),
        crate::text::variants_fingerprint()
    )
}

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("not a search index blob")]
    Magic,
    #[error("search index format {0}, this build reads {FORMAT}")]
    Format(u32),
    #[error("the search index blob is truncated or damaged")]
    Damaged,
}

pub fn encode(orgs: &[Organization], index: &Index) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.len(orgs.len());
    for o in orgs {
        for s in [&o.id, &o.name, &o.name_kana, &o.form] {
            w.str(s);
        }
        w.bytes(&o.fields);
        w.str(&o.area);
        w.str(&o.description);
        for list in [&o.keywords, &o.target] {
            w.len(list.len());
            list.iter().for_each(|s| w.str(s));
        }
        w.0.push(u8::from(o.recruiting));
        for s in [&o.contact, &o.name_en, &o.description_en] {
            w.str(s);
        }
    }
    // Shared texts (one Arc) are written once.
    let mut table: HashMap<*const u8, u32> = HashMap::new();
    let mut texts: Vec<&str> = Vec::new();
    let mut refs: Vec<u32> = Vec::with_capacity(index.docs.len() * 8);
    for doc in &index.docs {
        for text in &doc.texts {
            let at = *table.entry(text.as_ptr()).or_insert_with(|| {
                texts.push(text);
                texts.len() as u32 - 1
            });
            refs.push(at);
        }
    }
    w.len(texts.len());
    texts.iter().for_each(|s| w.str(s));
    w.u32s(&refs);
    w.0.extend(index.docs.iter().map(|d| u8::from(d.recruiting)));
    w.postings(&index.bigrams, |w, k| {
        w.0.extend_from_slice(&k.to_le_bytes())
    });
    w.postings(&index.unigrams, |w, k| w.u32(u32::from(*k)));
    w.postings(&index.latin_words, |w, k| w.str(k));
    w.u32s(&index.name_readings);
    w.u32s(&index.names);
    w.0
}

pub fn decode(bytes: &[u8]) -> Result<(Vec<Organization>, Index), PersistError> {
    let mut r = Reader(bytes);
    if r.take(4)? != MAGIC {
        return Err(PersistError::Magic);
    }
    let format = r.u32()?;
    if format != FORMAT {
        return Err(PersistError::Format(format));
    }
    let n = r.len()?;
    let mut orgs = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let (id, name, name_kana, form) = (r.string()?, r.string()?, r.string()?, r.string()?);
        let fields = r.bytes()?.to_vec();
        let (area, description) = (r.string()?, r.string()?);
        let keywords = r.strings()?;
        let target = r.strings()?;
        let recruiting = r.take(1)?[0] != 0;
        orgs.push(Organization {
            id,
            name,
            name_kana,
            form,
            fields,
            area,
            description,
            keywords,
            target,
            recruiting,
            contact: r.string()?,
            name_en: r.string()?,
            description_en: r.string()?,
        });
    }
    let count = r.len()?;
    let mut texts: Vec<Arc<str>> = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        texts.push(r.str()?.into());
    }
    let refs = r.u32s()?;
    let recruiting = r.take(n)?;
    if refs.len() != n * 8 {
        return Err(PersistError::Damaged);
    }
    let text = |at: u32| texts.get(at as usize).cloned().ok_or(PersistError::Damaged);
    let mut docs = Vec::with_capacity(n);
    for (chunk, &recruiting) in refs.chunks_exact(8).zip(recruiting) {
        let mut got = [(); 8].map(|_| Arc::<str>::from(""));
        for (slot, &at) in got.iter_mut().zip(chunk) {
            *slot = text(at)?;
        }
        docs.push(Doc {
            texts: got,
            recruiting: recruiting != 0,
        });
    }
    let bigrams = r.postings(n, |r| {
        Ok(u64::from_le_bytes(
            r.take(8)?.try_into().map_err(|_| PersistError::Damaged)?,
        ))
    })?;
    let unigrams = r.postings(n, |r| char::from_u32(r.u32()?).ok_or(PersistError::Damaged))?;
    let latin_words = r.postings(n, |r| Ok(r.str()?.into()))?;
    let name_readings = r.u32s()?;
    let names = r.u32s()?;
    if name_readings.iter().chain(&names).any(|&d| d as usize >= n) || names.len() != n {
        return Err(PersistError::Damaged);
    }
    if !r.0.is_empty() {
        return Err(PersistError::Damaged);
    }
    let index = Index {
        docs,
        bigrams,
        unigrams,
        latin_words,
        name_readings,
        names,
    };
    Ok((orgs, index))
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn u32s(&mut self, values: &[u32]) {
        self.len(values.len());
        self.0.reserve(values.len() * 4);
        values.iter().for_each(|v| self.u32(*v));
    }
    /// The table's lists as they are held (gap-encoded), then each key with where its list
    /// starts and how many groups it has.
    fn postings<K: Hash + Eq + Clone>(
        &mut self,
        postings: &Postings<K>,
        key: impl Fn(&mut Writer, &K),
    ) {
        let (spans, bytes) = postings.parts();
        self.bytes(bytes);
        self.len(spans.len());
        for (k, &(start, len)) in spans {
            key(self, k);
            self.u32(start);
            self.u32(len);
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PersistError> {
        if self.0.len() < n {
            return Err(PersistError::Damaged);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u32(&mut self) -> Result<u32, PersistError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn len(&mut self) -> Result<usize, PersistError> {
        self.u32().map(|n| n as usize)
    }
    fn bytes(&mut self) -> Result<&'a [u8], PersistError> {
        let n = self.len()?;
        self.take(n)
    }
    fn str(&mut self) -> Result<&'a str, PersistError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| PersistError::Damaged)
    }
    fn string(&mut self) -> Result<String, PersistError> {
        self.str().map(str::to_string)
    }
    fn strings(&mut self) -> Result<Vec<String>, PersistError> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            out.push(self.string()?);
        }
        Ok(out)
    }
    fn u32s(&mut self) -> Result<Vec<u32>, PersistError> {
        let n = self.len()?;
        let bytes = self.take(n.checked_mul(4).ok_or(PersistError::Damaged)?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
    /// A posting table over `n` groups: every list decodes inside the table, ascending, every
    /// group below `n`.
    fn postings<K: Hash + Eq + Clone>(
        &mut self,
        n: usize,
        key: impl Fn(&mut Reader<'a>) -> Result<K, PersistError>,
    ) -> Result<Postings<K>, PersistError> {
        let bytes = self.bytes()?;
        let count = self.len()?;
        let mut spans = FxHashMap::default();
        spans.reserve(count.min(self.0.len()));
        for _ in 0..count {
            let k = key(self)?;
            let (start, len) = (self.u32()?, self.u32()?);
            let mut rest = bytes.get(start as usize..).ok_or(PersistError::Damaged)?;
            let mut previous: Option<u32> = None;
            for _ in 0..len {
                let (gap, used) = read_varint(rest).ok_or(PersistError::Damaged)?;
                rest = &rest[used..];
                let doc = match previous {
                    None => gap,
                    Some(p) if gap > 0 => p.checked_add(gap).ok_or(PersistError::Damaged)?,
                    Some(_) => return Err(PersistError::Damaged),
                };
                if doc as usize >= n {
                    return Err(PersistError::Damaged);
                }
                previous = Some(doc);
            }
            spans.insert(k, (start, len));
        }
        Ok(Postings::from_parts(spans, bytes.to_vec()))
    }
}
