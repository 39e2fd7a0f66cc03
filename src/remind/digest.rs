//! The weekly digest staff act on: each action's status and days since its last update (per
//! vision), stale actions with their owners mentioned, the consultation figures of actions 10
//! and 22 for the week and the fiscal year, and what people searched for and did not find.
//! Figures only: no personal text.

use std::collections::HashMap;

use chrono::TimeZone;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::db;
use crate::db::consultation_ratings::{self, Satisfaction};
use crate::lang::Lang;
use crate::mention::Mention;
use crate::plan::action;
use crate::plan::fiscal::{bounds, fiscal_year};
use crate::plan::progress::{self, Status};

const WEEK: i64 = 7 * 86_400;
/// A term shows as unmet demand only when this many different people searched for it.
const MISS_MIN_PEOPLE: i64 = 3;
const MISS_TOP: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionLine {
    pub no: u32,
    pub title: String,
    pub status: Option<Status>,
    /// Days since the last update; None: never updated.
    pub days_since: Option<i64>,
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vision {
    pub no: u32,
    pub title: String,
    pub actions: Vec<ActionLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub received: i64,
    pub accepted: i64,
    pub median_hours_to_accept: Option<f64>,
    pub open: i64,
    pub escalated: i64,
    pub resolved: i64,
    /// Satisfaction answers given in the period (count, average score).
    #[serde(default)]
    pub satisfaction: Satisfaction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteFigures {
    pub action: u32,
    pub week: Figures,
    pub fiscal_year: Figures,
    /// Consultations received per week of the fiscal year so far (for the chart).
    pub weekly: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    pub lang: Lang,
    pub schedule: String,
    /// When it was due, as local time in the schedule's zone.
    pub due: String,
    pub late: bool,
    pub fiscal_year: i32,
    pub visions: Vec<Vision>,
    pub stale_owners: Vec<Mention>,
    pub routes: Vec<RouteFigures>,
    pub status_counts: Vec<(Status, i64)>,
    pub unmet_searches: Vec<(String, i64)>,
}

/// Who owns which action, and when an action counts as stale.
#[derive(Debug, Clone, Default)]
pub struct PlanSettings {
    pub owners: HashMap<u32, Vec<Mention>>,
    pub stale_days: i64,
    /// What the waiting-too-long alert (`consultation-sla` schedules) lists and mentions.
    pub sla: super::sla::SlaSettings,
}

async fn figures(
    pool: &SqlitePool,
    route: &str,
    from: i64,
    to: i64,
) -> Result<Figures, sqlx::Error> {
    let db::consultations::StepCounts {
        received,
        accepted,
        escalated,
        resolved,
    } = db::consultations::step_counts(pool, route, from, to).await?;
    let open = db::consultations::open_at(pool, route, to).await?;
    let mut waits = db::consultations::accept_waits(pool, route, from, to).await?;
    waits.sort_unstable();
    let median_hours_to_accept = super::report::median(&waits).map(|s| s / 3600.0);
    Ok(Figures {
        received,
        accepted,
        median_hours_to_accept,
        open,
        escalated,
        resolved,
        satisfaction: consultation_ratings::satisfaction(pool, route, from, to).await?,
    })
}

/// The digest as it stands at `at` (unix seconds), for a schedule in `zone`.
pub async fn compose(
    pool: &SqlitePool,
    plan: &PlanSettings,
    schedule: &str,
    zone: Tz,
    lang: Lang,
    at: i64,
    late: bool,
) -> Result<Digest, sqlx::Error> {
    let local = zone
        .timestamp_opt(at, 0)
        .single()
        .unwrap_or_else(|| zone.timestamp_opt(0, 0).unwrap());
    let fy = fiscal_year(local.date_naive());
    let (first_day, _) = bounds(fy);
    let fy_start = zone
        .from_local_datetime(&first_day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or(at, |t| t.timestamp());

    let mut conn = pool.acquire().await?;
    let actions = action::load_all(&mut conn).await?;
    drop(conn);
    let latest: HashMap<u32, progress::Update> = progress::latest(pool, at)
        .await?
        .into_iter()
        .map(|u| (u.action_no, u))
        .collect();

    let stale_after = plan.stale_days.max(1) * 86_400;
    let mut visions: Vec<Vision> = Vec::new();
    let mut stale_owners: Vec<Mention> = Vec::new();
    let mut counts: HashMap<Status, i64> = HashMap::new();
    for a in &actions {
        let update = latest.get(&a.no);
        let status = update.map(|u| u.status);
        let days_since = update.map(|u| (at - u.created_at).max(0) / 86_400);
        let stale = update.is_none_or(|u| at - u.created_at >= stale_after);
        if stale {
            for owner in plan.owners.get(&a.no).into_iter().flatten() {
                if !stale_owners.contains(owner) {
                    stale_owners.push(*owner);
                }
            }
        }
        *counts
            .entry(status.unwrap_or(Status::NotStarted))
            .or_default() += 1;
        let line = ActionLine {
            no: a.no,
            title: a.title.clone(),
            status,
            days_since,
            stale,
        };
        match visions.iter_mut().find(|v| v.no == a.vision) {
            Some(vision) => vision.actions.push(line),
            None => visions.push(Vision {
                no: a.vision,
                title: a.vision_title.clone(),
                actions: vec![line],
            }),
        }
    }

    let mut routes = Vec::new();
    for (route, action_no) in [("citizen", 10), ("staff", 22)] {
        let weeks = ((at - fy_start).max(0) / WEEK + 1) as usize;
        let mut weekly = Vec::with_capacity(weeks);
        for w in 0..weeks as i64 {
            let from = fy_start + w * WEEK;
            let to = (from + WEEK).min(at + 1);
            let count = db::consultations::received(pool, route, from, to).await?;
            weekly.push(count);
        }
        routes.push(RouteFigures {
            action: action_no,
            week: figures(pool, route, at - WEEK, at + 1).await?,
            fiscal_year: figures(pool, route, fy_start, at + 1).await?,
            weekly,
        });
    }

    let unmet_searches =
        db::search_misses::unmet_terms(pool, at - WEEK, at + 1, MISS_MIN_PEOPLE, Some(MISS_TOP))
            .await?;

    Ok(Digest {
        lang,
        schedule: schedule.to_string(),
        due: local.format("%Y-%m-%d %H:%M %Z").to_string(),
        late,
        fiscal_year: fy,
        visions,
        stale_owners,
        routes,
        status_counts: Status::ALL
            .iter()
            .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
            .collect(),
        unmet_searches,
    })
}

impl crate::outbox::Payload for Digest {
    const KIND: &'static str = "digest";
}

/// Remembers the terms of a search that found nothing (terms only, never the message).
pub async fn record_miss(
    pool: &SqlitePool,
    terms: &[String],
    user_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    db::search_misses::record(pool, terms, user_id, at).await
}
