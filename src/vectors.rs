//! Japanese word vectors: how near two words are in meaning, for needs worded as situations
//! (物忘れ → 認知症カフェ, 犬 → ペット防災). From chiVe through PyPI `ja-ginza` (see
//! scripts/build-word-vectors.py and resources/LICENSE.chive), reduced to 100 dimensions and
//! embedded in the binary (resources/word-vectors.bin.zst, ~4 MB). Loaded once, on first use.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::morph::{Analyzer, Kind};

static VECTORS: &[u8] = include_bytes!("../resources/word-vectors.bin.zst");

#[derive(Debug)]
pub struct WordVectors {
    dims: usize,
    /// Unit vectors, `dims` floats each.
    data: Vec<f32>,
    rows: HashMap<String, u32>,
}

/// The embedded vectors; `None` (logged once) if they cannot load.
pub fn vectors() -> Option<&'static WordVectors> {
    static LOADED: OnceLock<Option<WordVectors>> = OnceLock::new();
    LOADED
        .get_or_init(|| match WordVectors::embedded() {
            Ok(v) => Some(v),
            Err(error) => {
                tracing::error!(%error, "word vectors unavailable");
                None
            }
        })
        .as_ref()
}

#[derive(Debug, thiserror::Error)]
#[error("the embedded word vectors are damaged: {0}")]
pub struct VectorsError(String);

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, VectorsError> {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| VectorsError("truncated".into()))
}

impl WordVectors {
    pub fn embedded() -> Result<WordVectors, VectorsError> {
        let mut bytes = Vec::new();
        ruzstd::decoding::StreamingDecoder::new(VECTORS)
            .map_err(|e| VectorsError(e.to_string()))?
            .read_to_end(&mut bytes)
            .map_err(|e| VectorsError(e.to_string()))?;
        if bytes.get(..4) != Some(b"KYWV".as_slice()) {
            return Err(VectorsError("not a word-vector file".into()));
        }
        let rows = u32_at(&bytes, 4)? as usize;
        let dims = u32_at(&bytes, 8)? as usize;
        let stride = 4 + dims;
        let body = bytes
            .get(12..12 + rows * stride)
            .ok_or_else(|| VectorsError("truncated".into()))?;
        let mut data = Vec::with_capacity(rows * dims);
        for row in body.chunks_exact(stride) {
            let scale = f32::from_le_bytes([row[0], row[1], row[2], row[3]]);
            let v: Vec<f32> = row[4..]
                .iter()
                .map(|&b| f32::from(b as i8) * scale)
                .collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
            data.extend(v.iter().map(|x| x / norm));
        }
        let words = std::str::from_utf8(&bytes[12 + rows * stride..])
            .map_err(|e| VectorsError(e.to_string()))?;
        let rows_by_word = words
            .lines()
            .filter_map(|line| {
                let (word, row) = line.split_once('\t')?;
                let row: u32 = row.parse().ok()?;
                ((row as usize) < rows).then(|| (word.to_string(), row))
            })
            .collect();
        Ok(WordVectors {
            dims,
            data,
            rows: rows_by_word,
        })
    }

    fn row(&self, word: &str) -> Option<&[f32]> {
        let row = *self.rows.get(word)? as usize;
        self.data.get(row * self.dims..(row + 1) * self.dims)
    }

    /// The unit vector of a word or short phrase (written as people write it, katakana kept):
    /// its own if known, else the mean of its nouns, verbs and adjectives (by base form; an
    /// affix such as 会 or 者 would pull every compound towards every other).
    pub fn embed(&self, analyzer: Option<&Analyzer>, text: &str) -> Option<Vec<f32>> {
        if let Some(v) = self.row(text) {
            return Some(v.to_vec());
        }
        let analyzer = analyzer?;
        let mut sum = vec![0f32; self.dims];
        let mut found = 0;
        for word in analyzer.words(text) {
            if matches!(word.kind, Kind::Function | Kind::Affix) {
                continue;
            }
            if let Some(v) = self.row(&word.surface).or_else(|| self.row(&word.base)) {
                sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
                found += 1;
            }
        }
        if found == 0 {
            return None;
        }
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 1e-6).then(|| sum.iter().map(|x| x / norm).collect())
    }
}

/// Cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_words_are_nearer_than_unrelated_ones() {
        let v = vectors().expect("vectors load");
        let a = crate::morph::analyzer();
        let e = |t: &str| v.embed(a, t).expect(t);
        assert!(cosine(&e("犬"), &e("ペット")) > cosine(&e("犬"), &e("合唱")));
        assert!(cosine(&e("物忘れ"), &e("認知症")) > cosine(&e("物忘れ"), &e("サッカー")));
    }
}
