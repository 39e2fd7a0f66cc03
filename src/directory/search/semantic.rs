//! The semantic layer: directory words (keywords, who a group serves) as word vectors, so a
//! query word the directory never uses finds the directory words nearest in meaning
//! (物忘れ → 認知症; 犬 → ペット防災). Hybrid with the lexical score: a neighbour is one more
//! related alternative of the term, weighed like one, and named in the explanation. Each word
//! remembers whether the directory uses it for whom groups serve (its `target` column): a query
//! word nearest to one of those (祖父 → 父親) names a person in the situation, not the need.

use crate::morph::Analyzer;
use crate::vectors::{cosine, WordVectors};

/// Nearer than this (cosine of unit vectors) counts as related.
const MIN_SIMILARITY: f32 = 0.55;
/// Most neighbours one query word brings.
const MAX_NEIGHBOURS: usize = 3;

/// A directory word near in meaning to a query word.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    /// Normalised, as the directory has it.
    pub word: String,
    /// Cosine of the two unit vectors.
    pub similarity: f32,
    /// The directory uses it for whom a group serves (父親, 高齢者), whatever else.
    pub serves: bool,
}

#[derive(Debug, Default)]
pub struct Semantic {
    words: Vec<String>,
    /// Parallel to `words`: see [`Neighbour::serves`].
    serves: Vec<bool>,
    /// Word → its position in `words`, or `None` for a word without a vector.
    known: std::collections::HashMap<String, Option<usize>>,
    /// Unit vectors of `words`, `dims` floats each.
    data: Vec<f32>,
    dims: usize,
}

impl Semantic {
    /// Adds a directory word (as written) under its normalised form, if it has a vector;
    /// `serves`: it came from whom a group serves (else from what it does).
    pub fn insert(
        &mut self,
        vectors: &WordVectors,
        analyzer: Option<&Analyzer>,
        written: &str,
        word: &str,
        serves: bool,
    ) {
        if let Some(known) = self.known.get(word) {
            if let Some(i) = *known {
                self.serves[i] |= serves;
            }
            return;
        }
        let row = vectors.embed(analyzer, written).map(|v| {
            self.dims = v.len();
            self.words.push(word.to_string());
            self.serves.push(serves);
            self.data.extend(v);
            self.words.len() - 1
        });
        self.known.insert(word.to_string(), row);
    }

    /// The directory words nearest in meaning to `written`, nearest first; `None` when
    /// `written` has no vector (its meaning is unknown, not far from everything).
    pub fn neighbours(
        &self,
        vectors: &WordVectors,
        analyzer: Option<&Analyzer>,
        written: &str,
    ) -> Option<Vec<Neighbour>> {
        let v = vectors.embed(analyzer, written)?;
        if self.dims == 0 {
            return Some(Vec::new());
        }
        let mut near: Vec<(usize, f32)> = self
            .data
            .chunks_exact(self.dims)
            .enumerate()
            .map(|(i, w)| (i, cosine(&v, w)))
            .filter(|(_, c)| *c >= MIN_SIMILARITY)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(
            near.into_iter()
                .take(MAX_NEIGHBOURS)
                .map(|(i, similarity)| Neighbour {
                    word: self.words[i].clone(),
                    similarity,
                    serves: self.serves[i],
                })
                .collect(),
        )
    }
}
