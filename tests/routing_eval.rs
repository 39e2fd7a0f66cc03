//! The routing set (tests/data/routing-topics.tsv: consultation topics, Japanese and English,
//! labelled blind to the code with the advisors a coordinator would pick among the sample
//! advisors): the first offer must go to a right advisor for at least 9 topics in 10.
//! Run with `cargo test --test routing_eval -- --nocapture` to see each miss.

mod sample;

use kyodo::consult::model::Route;
use kyodo::consult::routing::{rank, Knobs, Standing};
use kyodo::directory::search::{Lexicon, LexiconParts, Searcher};
use kyodo::lang::Lang;

#[test]
fn the_first_offer_goes_to_a_right_advisor() {
    let searcher = Searcher::new(
        sample::sample_organizations(),
        Lexicon::builtin(LexiconParts::ALL).unwrap(),
    );
    let standings: Vec<Standing> = sample::sample_advisors()
        .into_iter()
        .map(|advisor| Standing {
            advisor,
            available: true,
            assigned: 0,
            offered: 0,
            last_offered_at: None,
            already_asked: false,
        })
        .collect();
    let path = sample::data("routing-topics.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let (mut right, mut total) = (0, 0);
    let mut misses = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let language = if cells[1] == "en" { Lang::En } else { Lang::Ja };
        let route = if cells[2] == "22" {
            Route::Staff
        } else {
            Route::Citizen
        };
        let topic = cells[3];
        let acceptable: Vec<&str> = cells[4]
            .split([' ', ';'])
            .filter(|s| !s.is_empty())
            .collect();
        let understood = searcher.understand(topic);
        let choices = rank(&standings, route, language, &understood, &Knobs::default());
        total += 1;
        let first = choices.first().map(|c| c.advisor_id.as_str());
        if first.is_some_and(|id| acceptable.contains(&id)) {
            right += 1;
        } else {
            let terms: Vec<&str> = understood.terms.iter().map(|t| t.typed.as_str()).collect();
            let top: Vec<&str> = choices.iter().take(3).map(|c| c.reason.as_str()).collect();
            misses.push(format!(
                "{topic} → {first:?} (want {acceptable:?}); terms {terms:?}; {top:?}"
            ));
        }
    }
    let share = f64::from(right) / f64::from(total);
    println!("routing: first offer right {right}/{total} = {share:.2}");
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(share >= 0.9, "first offer right {share:.2}");
}
