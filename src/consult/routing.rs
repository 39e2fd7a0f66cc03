//! The routing policy, in one place: who is offered a consultation, and why.
//!
//! Candidates are active, available advisors who serve the route, speak the requester's
//! language, have fewer open consultations (and open offers) than their capacity, and have not
//! been asked about this consultation before. They are ranked by how well their fields and
//! specialties fit the topic, then by lower load, then by who was offered something least
//! recently. The reason for the choice is written into the audit trail. How well an advisor
//! fits a topic is measured in `fit.rs`.

use crate::directory::search::query::Query;
use crate::lang::Lang;

use super::advisor::{self, Advisor, Serves};
use super::fit::fits;
pub use super::fit::matched_labels;
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
    /// When no advisor fits the topic at all, nobody is offered it: the coordinators triage it
    /// (false: it goes to the least-loaded advisor, as when fits tie).
    pub triage_when_nothing_fits: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            require_language: true,
            count_open_offers: true,
            min_fit: 0.0,
            triage_when_nothing_fits: true,
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
    // Those already asked are kept until fits are known: a topic that fitted someone who then
    // declined still moves on to the others.
    let candidates: Vec<&Standing> = standings
        .iter()
        .filter(|s| s.advisor.active && s.available)
        .filter(|s| serves(&s.advisor, route))
        .filter(|s| {
            !knobs.require_language || s.advisor.languages.iter().any(|l| l == language.code())
        })
        .collect();
    let advisors: Vec<&Advisor> = candidates.iter().map(|s| &s.advisor).collect();
    let scored: Vec<(&Standing, f32, usize)> = candidates
        .iter()
        .zip(fits(&advisors, topic))
        .map(|(s, (score, matched))| (*s, score, matched))
        .collect();
    // Nobody fits at all: the coordinators triage it rather than whoever sorts first.
    if knobs.triage_when_nothing_fits
        && !topic.terms.is_empty()
        && scored.iter().all(|(_, score, _)| *score <= 0.0)
    {
        return Vec::new();
    }
    let mut eligible: Vec<(&Standing, f32, usize)> = scored
        .into_iter()
        .filter(|(s, _, _)| !s.already_asked && load(s) < s.advisor.capacity)
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
mod tests;
