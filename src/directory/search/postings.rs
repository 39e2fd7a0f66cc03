//! Posting tables: keys (character pairs, characters, Latin words) → the groups having them,
//! compressed, decoded as they are read.

use rustc_hash::FxHashMap;

/// Keys → ascending group positions, all lists in one byte array, each as the gaps between
/// its groups in LEB128 (about a byte a posting, a quarter of plain u32s; no slack).
#[derive(Debug)]
pub struct Postings<K> {
    /// Key → (first byte, number of groups).
    spans: FxHashMap<K, (u32, u32)>,
    bytes: Vec<u8>,
}

impl<K> Default for Postings<K> {
    fn default() -> Self {
        Postings {
            spans: FxHashMap::default(),
            bytes: Vec::new(),
        }
    }
}

/// One posting list: `len` ascending group positions, gap-encoded.
#[derive(Debug, Clone, Copy)]
pub struct List<'a> {
    bytes: &'a [u8],
    len: u32,
}

impl<'a> List<'a> {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether both are the same list of the same table.
    pub fn same(&self, other: &List<'_>) -> bool {
        std::ptr::eq(self.bytes.as_ptr(), other.bytes.as_ptr()) && self.len == other.len
    }

    /// The groups, ascending.
    pub fn iter(&self) -> Groups<'a> {
        Groups {
            bytes: self.bytes,
            left: self.len,
            previous: 0,
        }
    }
}

/// Decodes a [`List`].
pub struct Groups<'a> {
    bytes: &'a [u8],
    left: u32,
    previous: u32,
}

impl Iterator for Groups<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (gap, used) = read_varint(self.bytes)?;
        self.bytes = &self.bytes[used..];
        self.previous = self.previous.wrapping_add(gap);
        Some(self.previous)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

/// A LEB128 value at the start of `bytes` and the bytes it takes; `None` when cut short or
/// longer than a u32.
#[inline]
pub fn read_varint(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut v: u32 = 0;
    for (i, &b) in bytes.iter().take(5).enumerate() {
        v |= u32::from(b & 0x7F).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

pub fn write_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(v: u32) -> u32 {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

impl<K: std::hash::Hash + Eq + Clone> Postings<K> {
    /// From each group's keys (`keys_of(doc)`, repeats allowed; called twice: to measure, then
    /// to fill). A key repeated within a group is counted once by remembering the last group
    /// that had it, so nothing is sorted.
    pub(super) fn build(docs: usize, mut keys_of: impl FnMut(usize, &mut Vec<K>)) -> Postings<K> {
        // Key → (groups, bytes, last group).
        let mut sizes: FxHashMap<K, (u32, u32, u32)> = FxHashMap::default();
        let mut keys = Vec::new();
        for doc in 0..docs {
            let doc = doc as u32;
            keys.clear();
            keys_of(doc as usize, &mut keys);
            for key in keys.drain(..) {
                let (count, size, last) = sizes.entry(key).or_insert((0, 0, u32::MAX));
                if *count == 0 {
                    *size += varint_len(doc);
                } else if *last != doc {
                    *size += varint_len(doc - *last);
                } else {
                    continue;
                }
                *last = doc;
                *count += 1;
            }
        }
        // Key → (first byte, groups, write position, last group) while filling.
        let mut fill: FxHashMap<K, (u32, u32, u32, u32)> = FxHashMap::default();
        fill.reserve(sizes.len());
        let mut total = 0u32;
        for (key, (count, size, _)) in sizes {
            fill.insert(key, (total, count, total, u32::MAX));
            total += size;
        }
        let mut bytes = vec![0u8; total as usize];
        let mut one = Vec::with_capacity(5);
        for doc in 0..docs {
            let doc = doc as u32;
            keys.clear();
            keys_of(doc as usize, &mut keys);
            for key in keys.drain(..) {
                if let Some((start, _, at, last)) = fill.get_mut(&key) {
                    if *last == doc {
                        continue;
                    }
                    let gap = if *at == *start { doc } else { doc - *last };
                    one.clear();
                    write_varint(&mut one, gap);
                    bytes[*at as usize..*at as usize + one.len()].copy_from_slice(&one);
                    *at += one.len() as u32;
                    *last = doc;
                }
            }
        }
        let spans = fill
            .into_iter()
            .map(|(key, (start, count, _, _))| (key, (start, count)))
            .collect();
        Postings { spans, bytes }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<List<'_>>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let &(start, len) = self.spans.get(key)?;
        Some(List {
            bytes: self.bytes.get(start as usize..)?,
            len,
        })
    }

    /// The spans (first byte, groups) by key and the bytes they point into, for storing.
    pub fn parts(&self) -> (&FxHashMap<K, (u32, u32)>, &[u8]) {
        (&self.spans, &self.bytes)
    }

    /// From [`Postings::parts`]; the caller has checked every list decodes inside `bytes`.
    pub fn from_parts(spans: FxHashMap<K, (u32, u32)>, bytes: Vec<u8>) -> Postings<K> {
        Postings { spans, bytes }
    }

    /// Every key with its list, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, List<'_>)> {
        self.spans.iter().filter_map(|(key, &(start, len))| {
            Some((
                key,
                List {
                    bytes: self.bytes.get(start as usize..)?,
                    len,
                },
            ))
        })
    }
}
