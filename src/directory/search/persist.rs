//! The built index as a compact, versioned byte blob, so a fresh process (`kyodo find`) loads
//! what another built instead of rebuilding it (seconds at 100,000 groups). Little-endian;
//! layout: magic `KYIX`, [`FORMAT`], the store's distinct strings, its group records, their
//! starts and the groups' normalised text ids (see `store`), the three posting tables, name
//! readings and names: loading copies them as they are.
//! Everything read is bounds-checked: a damaged blob is an error, never a panic later.

use std::hash::Hash;

use rustc_hash::FxHashMap;

use super::index::{Index, Postings};
use super::postings::read_varint;
use super::store::{Store, Texts};

const MAGIC: &[u8; 4] = b"KYIX";
/// Raise whenever the layout or what `Index::build` derives from a group changes.
const FORMAT: u32 = 5;

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

pub fn encode(index: &Index) -> Vec<u8> {
    let texts = &index.store.texts;
    let mut w = Writer(Vec::with_capacity(64 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.len(texts.len());
    for id in 0..texts.len() as u32 {
        w.str(texts.get(id));
    }
    for part in index.store.parts() {
        w.u32s(part);
    }
    w.postings(&index.bigrams, |w, k| {
        w.0.extend_from_slice(&k.to_le_bytes())
    });
    w.postings(&index.unigrams, |w, k| w.u32(u32::from(*k)));
    w.postings(&index.latin_words, |w, k| w.str(k));
    w.u32s(&index.name_readings);
    w.u32s(&index.names);
    w.0
}

pub fn decode(bytes: &[u8]) -> Result<Index, PersistError> {
    let mut r = Reader(bytes);
    if r.take(4)? != MAGIC {
        return Err(PersistError::Magic);
    }
    let format = r.u32()?;
    if format != FORMAT {
        return Err(PersistError::Format(format));
    }
    let mut texts = Texts::default();
    for _ in 0..r.len()? {
        texts.push(r.str()?);
    }
    let parts = [r.u32s()?, r.u32s()?, r.u32s()?];
    let store = Store::from_parts(texts, parts).ok_or(PersistError::Damaged)?;
    let n = store.len();
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
    Ok(Index {
        store,
        bigrams,
        unigrams,
        latin_words,
        name_readings,
        names,
    })
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
