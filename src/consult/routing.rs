//! The routing policy, in one place: who is offered a consultation, and why.
//!
//! Candidates are active, available advisors who serve the route, speak the requester's
//! language, have fewer open consultations (and open offers) than their capacity, and have not
//! been asked about this consultation before. They are ranked by how well their fields and
//! specialties fit the topic, then by lower load, then by who was offered something least
//! recently. The reason for the choice is written into the audit trail.

use crate::directory::fields::field_name;
use crate::directory::search::query::Query;
use crate::lang::Lang;
use crate::text::normalize;

use super::advisor::{self, Advisor, Serves};
use super::model::Route;
use crate::db;

/// The policy's knobs (`[consult.routing]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    /// Only advisors who speak the requester's language are offered it.
    pub require_language: bool,
    /// Open offers count towards an advisor's load (not only accepted cases).
    pub count_open_offers: bool,
    /// Advisors fitting the topic less than this are not offered it (0: anyone may be).
    pub min_fit: f32,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            require_language: true,
            count_open_offers: true,
            min_fit: 0.0,
        }
    }
}

/// An advisor as routing sees them right now.
#[derive(Debug, Clone)]
pub struct Standing {
    pub advisor: Advisor,
    pub available: bool,
    /// Open consultations assigned to them.
    pub assigned: u32,
    /// Open offers waiting for their answer.
    pub offered: u32,
    /// When they were last offered anything (None: never).
    pub last_offered_at: Option<i64>,
    /// Already asked about this consultation.
    pub already_asked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub advisor_id: String,
    pub fit: f32,
    /// Ids and figures only (it goes into the audit trail): never the topic.
    pub reason: String,
}

/// Every advisor as routing sees them now, for `consultation`: availability and workload
/// read from the store (what counts as load is decided in `rank`).
pub async fn standings(
    conn: &mut sqlx::SqliteConnection,
    consultation: i64,
) -> Result<Vec<Standing>, sqlx::Error> {
    let advisors = advisor::load_all(conn).await?;
    let workloads = db::advisors::workloads(conn, consultation).await?;
    Ok(advisors
        .into_iter()
        .filter_map(|advisor| {
            let w = workloads.iter().find(|w| w.advisor_id == advisor.id)?;
            Some(Standing {
                available: w.available,
                assigned: w.assigned.max(0) as u32,
                offered: w.open_offers.max(0) as u32,
                last_offered_at: w.last_offered_at,
                already_asked: w.already_asked,
                advisor,
            })
        })
        .collect())
}

fn serves(advisor: &Advisor, route: Route) -> bool {
    matches!(
        (advisor.serves, route),
        (Serves::Both, _) | (Serves::Citizen, Route::Citizen) | (Serves::Staff, Route::Staff)
    )
}

/// How well an advisor's fields and specialties fit the topic, as the search understood it.
/// Returns the fit and how many of the topic's terms matched.
fn fit(advisor: &Advisor, topic: &Query) -> (f32, usize) {
    let mut known: Vec<String> = advisor.specialties.iter().map(|s| normalize(s)).collect();
    for &no in &advisor.fields {
        for lang in Lang::ALL {
            if let Some(name) = field_name(no, lang) {
                known.push(normalize(name));
            }
        }
    }
    let mut score = 0.0;
    let mut matched = 0;
    for term in &topic.terms {
        let best = term
            .alternatives
            .iter()
            .filter(|alt| {
                known.iter().any(|k| {
                    k.contains(&alt.text)
                        || (alt.text.chars().count() >= 2 && alt.text.contains(k.as_str()))
                })
            })
            .map(|alt| alt.weight)
            .fold(0.0f32, f32::max);
        if best > 0.0 {
            matched += 1;
            score += best * term.weight;
        }
    }
    (score, matched)
}

/// The advisors to offer the consultation to, best first.
pub fn rank(
    standings: &[Standing],
    route: Route,
    language: Lang,
    topic: &Query,
    knobs: &Knobs,
) -> Vec<Choice> {
    let load = |s: &Standing| {
        s.assigned
            + if knobs.count_open_offers {
                s.offered
            } else {
                0
            }
    };
    let mut eligible: Vec<(&Standing, f32, usize)> = standings
        .iter()
        .filter(|s| s.advisor.active && s.available && !s.already_asked)
        .filter(|s| serves(&s.advisor, route))
        .filter(|s| {
            !knobs.require_language || s.advisor.languages.iter().any(|l| l == language.code())
        })
        .filter(|s| load(s) < s.advisor.capacity)
        .map(|s| {
            let (score, matched) = fit(&s.advisor, topic);
            (s, score, matched)
        })
        .filter(|(_, score, _)| *score >= knobs.min_fit)
        .collect();
    eligible.sort_by(|(a, fa, _), (b, fb, _)| {
        fb.total_cmp(fa)
            .then(load(a).cmp(&load(b)))
            // Never offered comes first, then the longest ago.
            .then(
                a.last_offered_at
                    .unwrap_or(i64::MIN)
                    .cmp(&b.last_offered_at.unwrap_or(i64::MIN)),
            )
            .then(a.advisor.id.cmp(&b.advisor.id))
    });
    eligible
        .into_iter()
        .map(|(s, score, matched)| Choice {
            advisor_id: s.advisor.id.clone(),
            fit: score,
            reason: format!(
                "{}: fit {score:.2} ({matched} of {} topic terms), load {}/{}, last offered {}",
                s.advisor.id,
                topic.terms.len(),
                load(s),
                s.advisor.capacity,
                s.last_offered_at
                    .map_or("never".to_string(), |t| format!("at {t}"))
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
        let strict = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &Knobs::default(),
        );
        assert_eq!(
            ids(&strict),
            vec!["A03"],
            "A02 speaks no Japanese and has an open offer filling its capacity"
        );
        let relaxed = Knobs {
            require_language: false,
            count_open_offers: false,
            min_fit: 0.0,
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
        let choices = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("相談"),
            &Knobs::default(),
        );
        assert_eq!(ids(&choices), vec!["A04", "A03", "A02", "A01"]);
    }
}
