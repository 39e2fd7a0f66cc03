//! The labelled query sets of tests/data against their directories: hit@3, MRR@10, best@1
//! and no-answer precision per kind of query, with ablations in the same run, and the bars.
//! Run with `cargo test --test search_eval -- --nocapture` to see the table.

use std::collections::BTreeMap;
mod sample;

use kyodo::directory::organization::Organization;
use kyodo::directory::search::baseline::FuzzyScan;
use kyodo::directory::search::{Lexicon, LexiconParts, SearchOptions, Searcher};

struct Labelled {
    kind: String,
    query: String,
    best: Vec<String>,
    ok: Vec<String>,
}

fn ids(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn load(orgs_csv: &str, queries_tsv: &str) -> (Vec<Organization>, Vec<Labelled>) {
    let orgs = sample::organizations(orgs_csv);
    let path = sample::data(queries_tsv);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let queries = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Labelled {
                kind: cells[2].to_string(),
                query: cells[3].to_string(),
                best: ids(cells.get(4).unwrap_or(&"")),
                ok: ids(cells.get(5).unwrap_or(&"")),
            }
        })
        .collect();
    (orgs, queries)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    answerable: usize,
    hit3: f64,
    rr10: f64,
    best1: f64,
    noanswer: usize,
    noanswer_empty: f64,
}

impl Tally {
    fn add(&mut self, q: &Labelled, results: &[String]) {
        if q.kind == "noanswer" {
            self.noanswer += 1;
            self.noanswer_empty += f64::from(u8::from(results.is_empty()));
            return;
        }
        self.answerable += 1;
        let good = |id: &String| q.best.contains(id) || q.ok.contains(id);
        if results.iter().take(3).any(good) {
            self.hit3 += 1.0;
        }
        if let Some(rank) = results.iter().take(10).position(good) {
            self.rr10 += 1.0 / (rank as f64 + 1.0);
        }
        if results.first().is_some_and(|id| q.best.contains(id)) {
            self.best1 += 1.0;
        }
    }

    fn hit3(&self) -> f64 {
        self.hit3 / self.answerable.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.rr10 / self.answerable.max(1) as f64
    }
    fn best1(&self) -> f64 {
        self.best1 / self.answerable.max(1) as f64
    }
    fn noanswer(&self) -> f64 {
        self.noanswer_empty / self.noanswer.max(1) as f64
    }
}

/// Overall and per-kind tallies.
type Tallies = (Tally, BTreeMap<String, Tally>);

/// Tallies of a search function over the labelled queries.
fn evaluate(queries: &[Labelled], search: impl Fn(&str) -> Vec<String>) -> Tallies {
    let mut all = Tally::default();
    let mut kinds: BTreeMap<String, Tally> = BTreeMap::new();
    for q in queries {
        let results = search(&q.query);
        all.add(q, &results);
        kinds.entry(q.kind.clone()).or_default().add(q, &results);
    }
    (all, kinds)
}

fn searcher(orgs: &[Organization], parts: LexiconParts) -> Searcher {
    Searcher::new(orgs.to_vec(), Lexicon::builtin(parts).unwrap())
}

fn result_ids(searcher: &Searcher, query: &str) -> Vec<String> {
    let options = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    searcher
        .search(query, &options)
        .results
        .iter()
        .map(|h| searcher.organization(h).id.clone())
        .collect()
}

fn print_kinds(kinds: &BTreeMap<String, Tally>) {
    println!(
        "{:<10} {:>3} {:>7} {:>7} {:>7} {:>9}",
        "kind", "n", "hit@3", "MRR@10", "best@1", "no-answer"
    );
    for (kind, t) in kinds {
        if kind == "noanswer" {
            println!(
                "{kind:<10} {:>3} {:>7} {:>7} {:>7} {:>9.2}",
                t.noanswer,
                "",
                "",
                "",
                t.noanswer()
            );
        } else {
            println!(
                "{kind:<10} {:>3} {:>7.2} {:>7.2} {:>7.2}",
                t.answerable,
                t.hit3(),
                t.mrr(),
                t.best1()
            );
        }
    }
}

/// Prints the per-kind table, the ablations and the misses; returns the full pipeline's tallies.
fn report(title: &str, orgs: &[Organization], queries: &[Labelled]) -> Tallies {
    let full = searcher(orgs, LexiconParts::ALL);
    let (all, kinds) = evaluate(queries, |q| result_ids(&full, q));
    println!(
        "\n== {title}: {} queries ==\nper kind (full pipeline)",
        queries.len()
    );
    print_kinds(&kinds);

    let scan = FuzzyScan::new(orgs);
    let without = |parts: LexiconParts| {
        let s = searcher(orgs, parts);
        evaluate(queries, |q| result_ids(&s, q))
    };
    let ablations: Vec<(&str, Tallies)> = vec![
        ("full pipeline", (all, kinds.clone())),
        (
            "whole-query fuzzy-matcher",
            evaluate(queries, |q| {
                scan.search(q, 10)
                    .into_iter()
                    .map(|i| orgs[i].id.clone())
                    .collect()
            }),
        ),
        (
            "without dictionary",
            without(LexiconParts {
                dictionary: false,
                ..LexiconParts::ALL
            }),
        ),
        (
            "without semantic layer",
            without(LexiconParts {
                semantic: false,
                ..LexiconParts::ALL
            }),
        ),
        (
            "without variants",
            without(LexiconParts {
                variants: false,
                ..LexiconParts::ALL
            }),
        ),
        (
            "without English table",
            without(LexiconParts {
                english: false,
                ..LexiconParts::ALL
            }),
        ),
        (
            "without phrase stripping",
            without(LexiconParts {
                phrases: false,
                ..LexiconParts::ALL
            }),
        ),
    ];
    println!("\nablations");
    println!(
        "{:<26} {:>7} {:>7} {:>7} {:>9} {:>14}",
        "", "hit@3", "MRR@10", "best@1", "no-answer", "min kind hit@3"
    );
    for (name, (t, k)) in &ablations {
        println!(
            "{name:<26} {:>7.2} {:>7.2} {:>7.2} {:>9.2} {:>14.2}",
            t.hit3(),
            t.mrr(),
            t.best1(),
            t.noanswer(),
            min_kind_hit3(k)
        );
    }
    let misses: Vec<&str> = queries
        .iter()
        .filter(|q| {
            let results = result_ids(&full, &q.query);
            if q.kind == "noanswer" {
                !results.is_empty()
            } else {
                !results
                    .iter()
                    .take(3)
                    .any(|id| q.best.contains(id) || q.ok.contains(id))
            }
        })
        .map(|q| q.query.as_str())
        .collect();
    println!("\nmissed (not in top 3, or an answer to a no-answer query): {misses:?}");
    (all, kinds)
}

fn min_kind_hit3(kinds: &BTreeMap<String, Tally>) -> f64 {
    kinds
        .iter()
        .filter(|(kind, _)| *kind != "noanswer")
        .map(|(_, t)| t.hit3())
        .fold(1.0, f64::min)
}

/// Issue 9's bars for one set, printed met or not, then asserted: hit@3 over the set, hit@3
/// of every kind of query on it, and no-answer precision.
fn check_bars(set: &str, all: &Tally, kinds: &BTreeMap<String, Tally>, hit3_bar: f64) {
    let mark = |ok: bool| if ok { "met" } else { "NOT MET" };
    println!(
        "bars {set}: hit@3 {:.3} (≥ {hit3_bar}: {}), weakest kind {:.3} (≥ 0.80: {}), no-answer {:.3} (≥ 0.8: {})",
        all.hit3(),
        mark(all.hit3() >= hit3_bar),
        min_kind_hit3(kinds),
        mark(min_kind_hit3(kinds) >= 0.8),
        all.noanswer(),
        mark(all.noanswer() >= 0.8)
    );
    assert!(all.hit3() >= hit3_bar, "{set}: hit@3 {:.3}", all.hit3());
    for (kind, t) in kinds.iter().filter(|(k, _)| *k != "noanswer") {
        assert!(t.hit3() >= 0.8, "{set}, {kind}: hit@3 {:.3}", t.hit3());
    }
    assert!(
        all.noanswer() >= 0.8,
        "{set}: no-answer {:.3}",
        all.noanswer()
    );
}

#[test]
fn dev_queries_meet_the_bar() {
    let (orgs, queries) = load("sample/organizations.csv", "sample/dev-queries.tsv");
    let (all, kinds) = report(
        "dev queries (the office's, tests/data/sample)",
        &orgs,
        &queries,
    );
    check_bars("dev", &all, &kinds, 0.95);
    assert!(all.mrr() >= 0.85, "MRR@10 {:.3}", all.mrr());
    assert!(all.best1() >= 0.75, "best@1 {:.3}", all.best1());
}

/// Queries labelled independently of the tuning (tests/data/holdout-queries.tsv), written the
/// way the office's held-out set is drawn: a guard against tuning to the dev rows.
#[test]
fn holdout_queries_hold_up() {
    let (orgs, queries) = load("sample/organizations.csv", "holdout-queries.tsv");
    let (all, kinds) = report("independent hold-out queries (tests/data)", &orgs, &queries);
    check_bars("hold-out", &all, &kinds, 0.92);
    assert!(all.mrr() >= 0.85, "MRR@10 {:.3}", all.mrr());
}

/// A second fictional city (tests/data/city2: other districts, other activities), its queries
/// labelled blind to the code: the search must not depend on the sample's vocabulary.
#[test]
fn a_second_city_is_served_as_well() {
    let (orgs, queries) = load("city2/organizations.csv", "city2/queries.tsv");
    let (all, kinds) = report("second city (tests/data/city2)", &orgs, &queries);
    check_bars("second city", &all, &kinds, 0.90);
}
