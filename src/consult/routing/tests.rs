//! The routing policy's unit tests (see `../routing.rs`).

use super::*;
use crate::directory::search::{Lexicon, LexiconParts, Searcher};

fn advisor(
    id: &str,
    serves: Serves,
    fields: &[u8],
    specialties: &[&str],
    languages: &[&str],
    capacity: u32,
) -> Advisor {
    Advisor {
        id: id.into(),
        name: id.into(),
        chat_user_id: format!("9{id}"),
        serves,
        fields: fields.to_vec(),
        specialties: specialties.iter().map(|s| s.to_string()).collect(),
        languages: languages.iter().map(|s| s.to_string()).collect(),
        capacity,
        active: true,
    }
}

fn standing(advisor: Advisor, load: u32, last: Option<i64>) -> Standing {
    Standing {
        advisor,
        available: true,
        assigned: load,
        offered: 0,
        last_offered_at: last,
        already_asked: false,
    }
}

fn topic(text: &str) -> Query {
    Searcher::new(Vec::new(), Lexicon::builtin(LexiconParts::ALL).unwrap()).understand(text)
}

fn ids(choices: &[Choice]) -> Vec<&str> {
    choices.iter().map(|c| c.advisor_id.as_str()).collect()
}

#[test]
fn the_best_fit_comes_first() {
    let standings = vec![
        standing(
            advisor(
                "A01",
                Serves::Citizen,
                &[13],
                &["子ども食堂", "学習支援"],
                &["ja"],
                5,
            ),
            2,
            None,
        ),
        standing(
            advisor(
                "A03",
                Serves::Citizen,
                &[1],
                &["見守り", "高齢者福祉"],
                &["ja"],
                5,
            ),
            0,
            None,
        ),
    ];
    let choices = rank(
        &standings,
        Route::Citizen,
        Lang::Ja,
        &topic("一人暮らしの母の見守りについて相談したい"),
        &Knobs::default(),
    );
    assert_eq!(ids(&choices), vec!["A03", "A01"]);
    assert!(choices[0].reason.starts_with("A03: fit"));
    assert!(
        !choices[0].reason.contains("見守り"),
        "no topic text in the audit reason"
    );
}

#[test]
fn route_language_capacity_availability_and_repeats_filter() {
    let mut asked = standing(
        advisor("A05", Serves::Both, &[13], &["子ども食堂"], &["ja"], 5),
        0,
        None,
    );
    asked.already_asked = true;
    let mut away = standing(
        advisor("A06", Serves::Both, &[13], &["子ども食堂"], &["ja"], 5),
        0,
        None,
    );
    away.available = false;
    let standings = vec![
        standing(
            advisor("A01", Serves::Staff, &[13], &["子ども食堂"], &["ja"], 5),
            0,
            None,
        ),
        standing(
            advisor("A02", Serves::Citizen, &[13], &["子ども食堂"], &["en"], 5),
            0,
            None,
        ),
        standing(
            advisor("A03", Serves::Citizen, &[13], &["子ども食堂"], &["ja"], 2),
            2,
            None,
        ),
        standing(
            advisor("A04", Serves::Both, &[3], &[], &["ja", "en"], 3),
            1,
            None,
        ),
        asked,
        away,
    ];
    let choices = rank(
        &standings,
        Route::Citizen,
        Lang::Ja,
        &topic("子ども食堂"),
        &Knobs::default(),
    );
    assert_eq!(
        ids(&choices),
        vec!["A04"],
        "staff-only, English-only, full, asked and away are out"
    );
}

#[test]
fn the_knobs_relax_language_and_load_or_demand_a_fit() {
    let mut busy = standing(
        advisor("A02", Serves::Citizen, &[13], &["子ども食堂"], &["en"], 1),
        0,
        None,
    );
    busy.offered = 1;
    let standings = vec![
        busy,
        standing(
            advisor("A03", Serves::Citizen, &[1], &["見守り"], &["ja"], 5),
            0,
            None,
        ),
    ];
    let anyone = Knobs {
        triage_when_nothing_fits: false,
        ..Knobs::default()
    };
    let strict = rank(
        &standings,
        Route::Citizen,
        Lang::Ja,
        &topic("子ども食堂"),
        &anyone,
    );
    assert_eq!(
        ids(&strict),
        vec!["A03"],
        "A02 speaks no Japanese and has an open offer filling its capacity"
    );
    assert!(
        rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &Knobs::default()
        )
        .is_empty(),
        "A03 does not fit at all: by default the coordinators triage it"
    );
    let relaxed = Knobs {
        require_language: false,
        count_open_offers: false,
        min_fit: 0.0,
        triage_when_nothing_fits: true,
    };
    assert_eq!(
        ids(&rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &relaxed
        )),
        vec!["A02", "A03"]
    );
    let demanding = Knobs {
        min_fit: 0.5,
        ..relaxed
    };
    assert_eq!(
        ids(&rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &demanding
        )),
        vec!["A02"]
    );
}

#[test]
fn equal_fit_goes_to_lower_load_then_longest_unoffered() {
    let standings = vec![
        standing(
            advisor("A01", Serves::Citizen, &[7], &[], &["ja"], 5),
            1,
            Some(100),
        ),
        standing(
            advisor("A02", Serves::Citizen, &[7], &[], &["ja"], 5),
            0,
            Some(500),
        ),
        standing(
            advisor("A03", Serves::Citizen, &[7], &[], &["ja"], 5),
            0,
            Some(200),
        ),
        standing(
            advisor("A04", Serves::Citizen, &[7], &[], &["ja"], 5),
            0,
            None,
        ),
    ];
    let anyone = Knobs {
        triage_when_nothing_fits: false,
        ..Knobs::default()
    };
    let choices = rank(
        &standings,
        Route::Citizen,
        Lang::Ja,
        &topic("相談"),
        &anyone,
    );
    assert_eq!(ids(&choices), vec!["A04", "A03", "A02", "A01"]);
}

#[test]
fn a_language_named_in_the_topic_is_a_need_for_whoever_speaks_it() {
    let standings = vec![
        standing(
            advisor("A01", Serves::Citizen, &[13], &["子育て支援"], &["ja"], 5),
            0,
            None,
        ),
        standing(
            advisor("A05", Serves::Citizen, &[11], &["通訳"], &["ja", "pt"], 5),
            3,
            None,
        ),
    ];
    for text in ["ポルトガル語で子育ての相談がしたい", "help in Portuguese"] {
        let language = if text.is_ascii() { Lang::En } else { Lang::Ja };
        let relaxed = Knobs {
            require_language: false,
            ..Knobs::default()
        };
        let choices = rank(&standings, Route::Citizen, language, &topic(text), &relaxed);
        assert_eq!(ids(&choices).first(), Some(&"A05"), "{text}");
    }
}

/// A compound specialty fits by its distinguishing part (清掃 of 清掃活動) and by meaning
/// (書道 near 文化芸術), while a topic word that is only a compound's head (教室 of 日本語教室)
/// or the request's verb says little.
#[test]
fn compound_specialties_fit_by_their_parts_not_their_head() {
    let standings = vec![
        standing(
            advisor(
                "X",
                Serves::Citizen,
                &[],
                &["日本語教室", "情報発信"],
                &["ja"],
                5,
            ),
            0,
            None,
        ),
        standing(
            advisor(
                "Y",
                Serves::Citizen,
                &[],
                &["文化芸術", "清掃活動"],
                &["ja"],
                5,
            ),
            3,
            None,
        ),
    ];
    for text in ["書道教室を開きたい", "川のゴミ拾いの団体を立ち上げたい"]
    {
        let choices = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic(text),
            &Knobs::default(),
        );
        assert_eq!(ids(&choices).first(), Some(&"Y"), "{text}: {choices:?}");
    }
}
