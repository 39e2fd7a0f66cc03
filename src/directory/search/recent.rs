//! Outcomes of recent searches, given again when the same thing is asked of the same index: the
//! query result cache search engines keep (Solr's `queryResultCache`, Elasticsearch's shard
//! request cache). People ask a civic bot the same few things again and again (子ども食堂,
//! ボランティア); an outcome depends only on the index and what was asked, so it is worked out
//! once per index. The cache belongs to its [`Searcher`]: a new directory or lexicon builds a
//! new searcher with an empty cache (`chat::core`), so an outcome is never older than its index.
//! What was typed is held in memory only, short searches only, and for at most
//! [`MAX_AGE`] (`crate::retention` lists it).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hashlink::LinkedHashMap;

use super::{Outcome, SearchOptions, Searcher};

/// Outcomes kept; the first asked goes first. An outcome holds a few hits and their reasons
/// (about a kilobyte), so the cache stays under a megabyte.
const ENTRIES: usize = 256;
/// Longer queries (a situation told in a sentence: about 30 Japanese characters) seldom come
/// twice and may say more about the person: searched, not kept.
const MAX_QUERY_BYTES: usize = 90;
/// An outcome is given again for this long after it was worked out; then what was typed is
/// let go (on the next search).
pub const MAX_AGE: Duration = Duration::from_secs(30 * 60);

/// What was asked, exactly as typed: two spellings are two entries (the search folds them).
#[derive(Hash, PartialEq, Eq)]
struct Asked {
    query: Box<str>,
    area: Option<Box<str>>,
    recruiting_only: bool,
    limit: usize,
}

/// Asked → (when it was worked out, outcome), in the order worked out.
type Entries = LinkedHashMap<Asked, (Instant, Arc<Outcome>)>;

#[derive(Default)]
pub(super) struct RecentOutcomes {
    entries: Mutex<Entries>,
}

impl RecentOutcomes {
    fn entries(&self) -> MutexGuard<'_, Entries> {
        // A panic elsewhere cannot leave an entry half-written: each is one insert.
        match self.entries.lock() {
            Ok(entries) => entries,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// `searcher`'s outcome at `now`: the one kept if it is younger than [`MAX_AGE`], else
    /// searched now and kept (unless the query is long). Older entries are let go first.
    fn outcome(
        &self,
        searcher: &Searcher,
        query: &str,
        options: &SearchOptions,
        now: Instant,
    ) -> Arc<Outcome> {
        let asked = Asked {
            query: query.into(),
            area: options.area.as_deref().map(Into::into),
            recruiting_only: options.recruiting_only,
            limit: options.limit,
        };
        {
            let mut entries = self.entries();
            while let Some((_, (at, _))) = entries.front() {
                if now.saturating_duration_since(*at) < MAX_AGE {
                    break;
                }
                entries.pop_front();
            }
            if let Some((_, kept)) = entries.get(&asked) {
                return kept.clone();
            }
        }
        // Searched outside the lock: another query is not held up meanwhile.
        let outcome = Arc::new(searcher.search(query, options));
        if query.len() <= MAX_QUERY_BYTES {
            let mut entries = self.entries();
            if entries.len() >= ENTRIES {
                entries.pop_front();
            }
            entries.insert(asked, (now, outcome.clone()));
        }
        outcome
    }
}

impl Searcher {
    /// [`Searcher::search`], given from the recent outcomes when the same query and options
    /// were asked of this searcher in the last [`MAX_AGE`] (the same results, reasons and
    /// order).
    pub fn search_cached(&self, query: &str, options: &SearchOptions) -> Arc<Outcome> {
        self.recent.outcome(self, query, options, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::organization::Organization;
    use crate::directory::search::Lexicon;

    fn group(id: &str, name: &str, description: &str) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            name_kana: String::new(),
            form: "任意団体".into(),
            fields: vec![1],
            area: "北区".into(),
            description: description.into(),
            keywords: Vec::new(),
            target: Vec::new(),
            recruiting: false,
            contact: String::new(),
            name_en: String::new(),
            description_en: String::new(),
        }
    }

    fn names(searcher: &Searcher, outcome: &Outcome) -> Vec<String> {
        outcome
            .results
            .iter()
            .map(|hit| searcher.organization(hit).name)
            .collect()
    }

    #[test]
    fn asked_again_gives_what_the_search_gives() {
        let searcher = Searcher::new(
            vec![
                group("1", "みどり子ども食堂", "子ども食堂を毎月開いています"),
                group("2", "ひかり合唱団", "合唱の練習"),
            ],
            Lexicon::default(),
        );
        let options = SearchOptions {
            limit: 5,
            ..SearchOptions::default()
        };
        let first = searcher.search_cached("子ども食堂", &options);
        let again = searcher.search_cached("子ども食堂", &options);
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same query is not searched twice"
        );
        assert_eq!(names(&searcher, &again), ["みどり子ども食堂"]);
        // Other options or another query are their own searches.
        let elsewhere = SearchOptions {
            area: Some("北区".into()),
            ..options.clone()
        };
        assert!(!Arc::ptr_eq(
            &first,
            &searcher.search_cached("子ども食堂", &elsewhere)
        ));
        let choir = searcher.search_cached("合唱", &options);
        assert_eq!(names(&searcher, &choir), ["ひかり合唱団"]);
        let fresh = searcher.search("子ども食堂", &options);
        assert_eq!(names(&searcher, &fresh), names(&searcher, &first));
    }

    #[test]
    fn keeps_at_most_its_size_and_lets_go_of_what_was_typed_after_its_age() {
        let searcher = Searcher::new(vec![group("1", "ひかり合唱団", "合唱")], Lexicon::default());
        let options = SearchOptions::default();
        let start = Instant::now();
        let recent = RecentOutcomes::default();
        let first = recent.outcome(&searcher, "合唱 0", &options, start);
        for i in 1..=ENTRIES {
            recent.outcome(&searcher, &format!("合唱 {i}"), &options, start);
        }
        assert_eq!(recent.entries().len(), ENTRIES);
        assert!(
            !Arc::ptr_eq(
                &first,
                &recent.outcome(&searcher, "合唱 0", &options, start)
            ),
            "the first asked was dropped and is searched again"
        );
        // After its age every query typed is gone, even those never asked again.
        let later = start + MAX_AGE;
        recent.outcome(&searcher, "合唱", &options, later);
        let kept: Vec<String> = recent
            .entries()
            .keys()
            .map(|k| k.query.to_string())
            .collect();
        assert_eq!(kept, ["合唱"]);
        // A sentence is searched, not kept.
        let sentence =
            "母が一人暮らしで最近物忘れが増えてきたので見守りをしてくれる団体を探しています";
        let told = recent.outcome(&searcher, sentence, &options, later);
        assert!(!Arc::ptr_eq(
            &told,
            &recent.outcome(&searcher, sentence, &options, later)
        ));
        assert_eq!(recent.entries().len(), 1);
    }
}
