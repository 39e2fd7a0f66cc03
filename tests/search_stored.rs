//! The stored search index (`kyodo find` loads it instead of rebuilding): a loaded index answers
//! exactly as one built from the same groups, and a damaged one is refused, never a panic.

mod sample;

use kyodo::directory::organization::Organization;
use kyodo::directory::search::{Lexicon, LexiconParts, Outcome, SearchOptions, Searcher};

fn lexicon() -> Lexicon {
    Lexicon::builtin(LexiconParts::ALL).expect("lexicon")
}

/// The queries of a labelled TSV under tests/data (column `query`).
fn queries(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(sample::data(path)).expect("queries");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let at = header
        .iter()
        .position(|c| *c == "query")
        .expect("query column");
    lines
        .filter_map(|l| l.split('\t').nth(at).map(str::to_string))
        .collect()
}

/// Everything a person sees of an answer: groups, order, scores, reasons, district notes.
fn seen(searcher: &Searcher, outcome: &Outcome) -> String {
    let hits = |hits: &[kyodo::directory::search::Hit]| -> Vec<String> {
        hits.iter()
            .map(|h| {
                format!(
                    "{} {} {:?}",
                    searcher.organization(h).id,
                    h.score,
                    h.reasons
                )
            })
            .collect()
    };
    format!(
        "{:?} {:?} {} {:?} {} {:?}",
        hits(&outcome.results),
        hits(&outcome.suggestions),
        outcome.understood,
        outcome.area,
        outcome.none_in_area,
        outcome.closest_fields
    )
}

fn assert_same_answers(orgs: Vec<Organization>, queries: &[String]) {
    let built = Searcher::new(orgs.clone(), lexicon());
    let loaded = Searcher::from_bytes(&built.to_bytes(), lexicon()).expect("the blob loads");
    // Every group comes back as it was given, from the searcher built and the one loaded.
    assert_eq!(built.organizations().collect::<Vec<_>>(), orgs);
    assert_eq!(loaded.organizations().collect::<Vec<_>>(), orgs);
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    for query in queries {
        assert_eq!(
            seen(&built, &built.search(query, &options)),
            seen(&loaded, &loaded.search(query, &options)),
            "{query}"
        );
    }
}

#[test]
fn a_loaded_index_answers_the_sample_queries_as_a_built_one() {
    let mut queries = queries("sample/dev-queries.tsv");
    queries.extend(self::queries("holdout-queries.tsv"));
    assert_same_answers(sample::sample_organizations(), &queries);
}

#[test]
fn a_loaded_index_answers_the_second_citys_queries_as_a_built_one() {
    assert_same_answers(
        sample::organizations("city2/organizations.csv"),
        &queries("city2/queries.tsv"),
    );
}

#[test]
fn a_damaged_blob_is_refused_without_panicking() {
    use kyodo::directory::search::persist::decode;
    let orgs: Vec<Organization> = sample::sample_organizations()
        .into_iter()
        .take(20)
        .collect();
    let bytes = Searcher::new(orgs, lexicon()).to_bytes();
    for cut in (0..bytes.len()).step_by(31) {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    assert!(Searcher::from_bytes(b"not an index", lexicon()).is_err());
    // A byte changed anywhere: refused, or (inside a text) a searcher that still answers.
    let step = bytes.len() / 12;
    for at in (7..bytes.len()).step_by(step) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xA5;
        if let Ok(searcher) = Searcher::from_bytes(&damaged, lexicon()) {
            searcher.search("子ども食堂", &SearchOptions::default());
        }
    }
}

#[test]
fn find_stores_its_index_and_the_next_process_loads_the_same() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = kyodo::store::open_in_memory().await.expect("store");
        let csv = std::fs::read(sample::data("sample/organizations.csv")).expect("csv");
        kyodo::registry::import_bytes(
            &pool,
            kyodo::registry::Kind::Organizations,
            "organizations.csv",
            &csv,
            false,
        )
        .await
        .expect("import");
        let stored = kyodo::registry::search_index::searcher;
        let (built, version) = stored(&pool, lexicon(), true).await.expect("built");
        let (loaded, again) = stored(&pool, lexicon(), true).await.expect("loaded");
        assert_eq!(version, again);
        let options = SearchOptions::default();
        for query in ["子ども食堂", "すとりーと", "find a group for kids"] {
            assert_eq!(
                seen(&built, &built.search(query, &options)),
                seen(&loaded, &loaded.search(query, &options))
            );
        }
        // A damaged row is rebuilt over, with the same answers.
        let build = kyodo::directory::search::persist::build_key();
        let mut conn = pool.acquire().await.expect("conn");
        kyodo::db::search_index::put(&mut conn, version, &build, b"KYIX\x01\0\0\0garbage")
            .await
            .expect("put");
        drop(conn);
        let (rebuilt, _) = stored(&pool, lexicon(), true).await.expect("rebuilt");
        assert_eq!(
            seen(&built, &built.search("手話", &options)),
            seen(&rebuilt, &rebuilt.search("手話", &options))
        );
    });
}
