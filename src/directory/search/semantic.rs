//! The semantic layer: directory words (keywords, who a group serves) as word vectors, so a
//! query word the directory never uses finds the directory words nearest in meaning
//! (物忘れ → 認知症; 犬 → ペット防災). Hybrid with the lexical score: a neighbour is one more
//! related alternative of the term, weighed like one, and named in the explanation.

use crate::morph::Analyzer;
use crate::vectors::{cosine, WordVectors};

/// Nearer than this (cosine of unit vectors) counts as related.
const MIN_SIMILARITY: f32 = 0.5;
/// Most neighbours one query word brings.
const MAX_NEIGHBOURS: usize = 3;

#[derive(Debug, Default)]
pub struct Semantic {
    words: Vec<String>,
    known: std::collections::HashSet<String>,
    /// Unit vectors of `words`, `dims` floats each.
    data: Vec<f32>,
    dims: usize,
}

impl Semantic {
    /// Adds a directory word (as written) under its normalised form, if it has a vector.
    pub fn insert(
        &mut self,
        vectors: &WordVectors,
        analyzer: Option<&Analyzer>,
        written: &str,
        word: &str,
    ) {
        if !self.known.insert(word.to_string()) {
            return;
        }
        if let Some(v) = vectors.embed(analyzer, written) {
            self.dims = v.len();
            self.words.push(word.to_string());
            self.data.extend(v);
        }
    }

    /// The directory words nearest in meaning to `written`, nearest first, with their cosine.
    pub fn neighbours(
        &self,
        vectors: &WordVectors,
        analyzer: Option<&Analyzer>,
        written: &str,
    ) -> Vec<(String, f32)> {
        let Some(v) = vectors.embed(analyzer, written) else {
            return Vec::new();
        };
        if self.dims == 0 {
            return Vec::new();
        }
        let mut near: Vec<(usize, f32)> = self
            .data
            .chunks_exact(self.dims)
            .enumerate()
            .map(|(i, w)| (i, cosine(&v, w)))
            .filter(|(_, c)| *c >= MIN_SIMILARITY)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.into_iter()
            .take(MAX_NEIGHBOURS)
            .map(|(i, c)| (self.words[i].clone(), c))
            .collect()
    }
}
