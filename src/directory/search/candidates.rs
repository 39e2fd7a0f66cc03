//! Finding the groups an alternative may match: the index's posting lists for its character
//! pairs (or Latin words), and whether any group has it as written.

use super::index::{bigram_key, Field};
use super::postings::List;
use super::query::{Alternative, Via};
use super::Searcher;

/// Groups looked at to tell whether a typed word is found as written.
const ANY_CONTAINS_SAMPLE: usize = 256;
/// Character pairs an expansion is looked up by (its rarest).
const EXPANSION_PAIRS: usize = 2;

impl Searcher {
    /// Whether some group's text has the alternative as written (its pairs may be apart).
    /// `lists` are the alternative's posting lists (`postings`).
    pub(super) fn any_contains(&self, alternative: &Alternative, lists: &[List<'_>]) -> bool {
        let Some(shortest) = lists.iter().min_by_key(|l| l.len()) else {
            return false;
        };
        // A sample is enough: the word is either common in these groups or a near-miss.
        shortest.iter().take(ANY_CONTAINS_SAMPLE).any(|doc| {
            let d = self.index.doc(doc as usize);
            Field::ALL
                .iter()
                .any(|&f| d.text(f).contains(alternative.text.as_str()))
        })
    }

    /// The posting lists an alternative is found through.
    pub(super) fn postings(&self, alternative: &Alternative) -> Vec<List<'_>> {
        if alternative.latin {
            // The words it begins, by word (so every process adds up the same lists in the
            // same order): one range of the sorted words.
            let prefix = alternative.text.as_str();
            let from = self.latin_sorted.partition_point(|word| &**word < prefix);
            return self.latin_sorted[from..]
                .iter()
                .take_while(|word| word.starts_with(prefix))
                .filter_map(|word| self.index.latin_words.get(&**word))
                .collect();
        }
        let mut texts = vec![alternative.text.as_str()];
        if let Some(reading) = &alternative.reading {
            texts.push(reading);
        }
        let mut lists: Vec<List<'_>> = Vec::new();
        for text in texts {
            let mut letters = text.chars();
            let Some(mut previous) = letters.next() else {
                continue;
            };
            let mut single = true;
            for letter in letters {
                single = false;
                if let Some(list) = self.index.bigrams.get(&bigram_key(previous, letter)) {
                    // A pair repeated in the word counts once.
                    if !lists.iter().any(|l| l.same(&list)) {
                        lists.push(list);
                    }
                }
                previous = letter;
            }
            if single {
                lists.extend(self.index.unigrams.get(&previous));
            }
        }
        // An expansion only matches as written, so it has all its pairs and the rarest two find
        // it. What the person typed keeps every pair: a typo may break any of them.
        if !matches!(alternative.via, Via::Exact | Via::Typo) && lists.len() > EXPANSION_PAIRS {
            lists.sort_by_key(|list| list.len());
            lists.truncate(EXPANSION_PAIRS);
        }
        lists
    }
}
