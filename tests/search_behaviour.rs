//! Search behaviours people rely on, on the sample directory: districts (including those written
//! with ヶ), a district named alone, explanations in the words people use, long queries.

mod sample;

use kyodo::directory::search::{Lexicon, LexiconParts, SearchOptions, Searcher};

fn sample() -> Searcher {
    Searcher::new(
        sample::sample_organizations(),
        Lexicon::builtin(LexiconParts::ALL).unwrap(),
    )
}

fn options() -> SearchOptions {
    SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    }
}

#[test]
fn a_district_written_with_ke_is_recognised_and_preferred() {
    let searcher = sample();
    let outcome = searcher.search("桜ヶ丘のマルシェ", &options());
    assert_eq!(outcome.area.as_deref(), Some("桜ヶ丘"));
    let first = searcher.organization(&outcome.results[0]);
    assert_eq!(first.area, "桜ヶ丘", "{}", first.name);
}

#[test]
fn a_district_named_alone_lists_its_groups() {
    let searcher = sample();
    for district in ["桜ヶ丘", "東山"] {
        let outcome = searcher.search(district, &options());
        assert!(!outcome.results.is_empty(), "{district}");
        for hit in &outcome.results {
            assert_eq!(searcher.organization(hit).area, district);
        }
    }
}

#[test]
fn of_two_districts_the_first_named_counts_every_time() {
    let searcher = sample();
    let outcome = searcher.search("東山か西原の子ども食堂", &options());
    assert_eq!(outcome.area.as_deref(), Some("東山"));
    let rebuilt = sample();
    let again = rebuilt.search("東山か西原の子ども食堂", &options());
    let ids = |s: &Searcher, o: &kyodo::directory::search::Outcome| {
        o.results
            .iter()
            .map(|h| s.organization(h).id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&searcher, &outcome),
        ids(&rebuilt, &again),
        "the same answer from a fresh index"
    );
}

#[test]
fn explanations_use_the_words_people_write() {
    let searcher = sample();
    let outcome = searcher.search("ボランティア 読み聞かせ", &options());
    let reasons: Vec<&str> = outcome.results[0]
        .reasons
        .iter()
        .map(|r| r.typed.as_str())
        .collect();
    assert!(
        reasons.contains(&"ボランティア") || reasons.contains(&"読み聞かせ"),
        "{reasons:?}"
    );
    assert!(
        !reasons.iter().any(|r| r.contains("ぼらんてぃあ")),
        "{reasons:?}"
    );
}

#[test]
fn a_long_sentence_still_finds_what_it_is_about() {
    let searcher = sample();
    let filler = "えーと、あの、その、".repeat(20);
    let outcome = searcher.search(
        &format!("{filler}子ども食堂を探しています。{filler}"),
        &options(),
    );
    let names: Vec<String> = outcome
        .results
        .iter()
        .map(|h| searcher.organization(h).name)
        .collect();
    assert!(names.iter().any(|n| n.contains("食堂")), "{names:?}");
}
