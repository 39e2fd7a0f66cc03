//! Outcomes of recent searches, given again when the same thing is asked of the same index: the
//! query result cache search engines keep (Solr's `queryResultCache`, Elasticsearch's shard
//! request cache). People ask a civic bot the same few things again and again (子ども食堂,
//! ボランティア); an outcome depends only on the index and what was asked, so it is worked out
//! once per index. The cache belongs to its [`Searcher`]: a new directory or lexicon builds a
//! new searcher with an empty cache (`chat::core`), so an outcome is never older than its index.
//! What was typed is held in memory only, short searches only, and for at most [`MAX_AGE`]:
//! the worker lets older ones go every tick (`crate::retention` lists it). A cached answer
//! comes sooner, which tells nothing a person could not learn by searching the same words.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hashlink::LinkedHashMap;

use super::{Outcome, SearchOptions, Searcher};

/// Outcomes kept; the one worked out first goes first. An outcome holds a few hits and their
/// reasons (about a kilobyte), so the cache stays under a megabyte.
const ENTRIES: usize = 256;
/// Longer queries (a situation told in sentences) seldom come twice and may say more about
/// the person: searched, not kept. In columns, a letter beyond ASCII counting two as it does on
/// screen: 20 Japanese characters, or 40 Latin ("find a group teaching Japanese" is 30).
const MAX_QUERY_COLUMNS: usize = 40;
/// An outcome is given again for this long after it was worked out; then what was typed is
/// let go.
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

/// The recent outcomes of one searcher (its field `recent`).
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

    /// Lets go of every entry worked out [`MAX_AGE`] or more before `now`.
    fn forget_expired(&self, now: Instant) {
        let mut entries = self.entries();
        while let Some((_, (at, _))) = entries.front() {
            if now.saturating_duration_since(*at) < MAX_AGE {
                break;
            }
            entries.pop_front();
        }
    }

    /// `searcher`'s outcome at `now`: the one kept if it is younger than [`MAX_AGE`], else
    /// searched now and kept (unless the query is long).
    fn outcome(
        &self,
        searcher: &Searcher,
        query: &str,
        options: &SearchOptions,
        now: Instant,
    ) -> Arc<Outcome> {
        self.forget_expired(now);
        if !short(query) {
            return Arc::new(searcher.search(query, options));
        }
        let asked = Asked {
            query: query.into(),
            area: options.area.as_deref().map(Into::into),
            recruiting_only: options.recruiting_only,
            limit: options.limit,
        };
        // What is left after the sweep above is younger than its age.
        let kept = self.entries().get(&asked).map(|(_, kept)| kept.clone());
        if let Some(kept) = kept {
            return kept;
        }
        // Searched outside the lock: another query is not held up meanwhile.
        let outcome = Arc::new(searcher.search(query, options));
        let mut entries = self.entries();
        if entries.len() >= ENTRIES {
            entries.pop_front();
        }
        entries.insert(asked, (now, outcome.clone()));
        outcome
    }
}

/// Whether `query` is short enough to keep ([`MAX_QUERY_COLUMNS`]).
fn short(query: &str) -> bool {
    let mut columns = 0;
    query.chars().all(|c| {
        columns += if c.is_ascii() { 1 } else { 2 };
        columns <= MAX_QUERY_COLUMNS
    })
}

impl Searcher {
    /// [`Searcher::search`], given from the recent outcomes when the same query and options
    /// were asked of this searcher in the last [`MAX_AGE`] (the same results, reasons and
    /// order).
    pub fn search_cached(&self, query: &str, options: &SearchOptions) -> Arc<Outcome> {
        self.recent.outcome(self, query, options, Instant::now())
    }

    /// Lets go of the recent searches older than [`MAX_AGE`] (the worker calls it every tick,
    /// so what was typed is not held longer when nobody searches).
    pub fn forget_old_searches(&self) {
        self.recent.forget_expired(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::organization::Organization;
    use crate::directory::search::Lexicon;

    fn group(id: &str, name: &str, area: &str, recruiting: bool) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            name_kana: String::new(),
            form: "任意団体".into(),
            fields: vec![1],
            area: area.into(),
            description: format!("{name}の活動です"),
            keywords: Vec::new(),
            target: Vec::new(),
            recruiting,
            contact: String::new(),
            name_en: String::new(),
            description_en: String::new(),
        }
    }

    fn names(searcher: &Searcher, outcome: &Outcome) -> Vec<String> {
        let mut names: Vec<String> = outcome
            .results
            .iter()
            .map(|hit| searcher.organization(hit).name)
            .collect();
        names.sort();
        names
    }

    fn searcher() -> Searcher {
        Searcher::new(
            vec![
                group("1", "みどり子ども食堂", "北区", true),
                group("2", "ひまわり子ども食堂", "南区", false),
                group("3", "ひかり合唱団", "北区", true),
            ],
            Lexicon::default(),
        )
    }

    #[test]
    fn each_way_of_asking_gets_its_own_answer_and_asked_again_the_same() {
        let searcher = searcher();
        let all = SearchOptions {
            limit: 5,
            ..SearchOptions::default()
        };
        let south = SearchOptions {
            area: Some("南区".into()),
            ..all.clone()
        };
        let recruiting = SearchOptions {
            recruiting_only: true,
            ..all.clone()
        };
        let one = SearchOptions {
            limit: 1,
            ..all.clone()
        };
        let both = ["ひまわり子ども食堂", "みどり子ども食堂"];
        // Asked first without a district: a later ask with one must not get this answer.
        for _ in 0..2 {
            let found = searcher.search_cached("子ども食堂", &all);
            assert_eq!(names(&searcher, &found), both);
            let fresh = searcher.search("子ども食堂", &all);
            assert_eq!(names(&searcher, &found), names(&searcher, &fresh));
            assert_eq!(
                names(&searcher, &searcher.search_cached("子ども食堂", &south)),
                ["ひまわり子ども食堂"]
            );
            assert_eq!(
                names(
                    &searcher,
                    &searcher.search_cached("子ども食堂", &recruiting)
                ),
                ["みどり子ども食堂"]
            );
            assert_eq!(searcher.search_cached("子ども食堂", &one).results.len(), 1);
            assert_eq!(
                names(&searcher, &searcher.search_cached("合唱", &all)),
                ["ひかり合唱団"]
            );
        }
    }

    #[test]
    fn keeps_at_most_its_size_and_lets_go_of_what_was_typed_after_its_age() {
        let searcher = searcher();
        let options = SearchOptions::default();
        let start = Instant::now();
        let recent = RecentOutcomes::default();
        let first = recent.outcome(&searcher, "合唱 0", &options, start);
        let again = recent.outcome(&searcher, "合唱 0", &options, start + MAX_AGE / 2);
        assert!(
            Arc::ptr_eq(&first, &again),
            "given again, not searched again"
        );
        for i in 1..=ENTRIES {
            recent.outcome(&searcher, &format!("合唱 {i}"), &options, start);
        }
        assert_eq!(recent.entries().len(), ENTRIES);
        assert!(
            !Arc::ptr_eq(
                &first,
                &recent.outcome(&searcher, "合唱 0", &options, start)
            ),
            "the first worked out was dropped and is searched again"
        );
        // At its age every query typed is let go, even those never asked again.
        recent.forget_expired(start + MAX_AGE);
        assert_eq!(recent.entries().len(), 0);
        // A sentence is searched, not kept; a short query is.
        let later = start + MAX_AGE;
        let sentence =
            "母が一人暮らしで最近物忘れが増えてきたので見守りをしてくれる団体を探しています";
        let widest = "子".repeat(MAX_QUERY_COLUMNS / 2);
        let latin = "a".repeat(MAX_QUERY_COLUMNS);
        for query in [
            sentence,
            &widest,
            &format!("{widest}子"),
            &latin,
            &format!("{latin}a"),
        ] {
            recent.outcome(&searcher, query, &options, later);
        }
        let kept: Vec<String> = recent
            .entries()
            .keys()
            .map(|k| k.query.to_string())
            .collect();
        assert_eq!(kept, [widest, latin]);
    }
}
