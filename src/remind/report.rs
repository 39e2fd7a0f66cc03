//! The annual report for the plan's evaluation (評価・検証): for fiscal year `fy`, each
//! action's status and number of updates; for actions 10 and 22 per month the consultations
//! received, accepted, hours to accept (median and 90th percentile), escalated, resolved,
//! cancelled and the satisfaction answers; and the terms at least three people searched for
//! without finding a group. Figures only: no topic, note or requester.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use sqlx::SqlitePool;

use crate::consult::model::Route;
use crate::db::consultation_ratings::{self, Satisfaction};
use crate::db::{consultations, search_misses};
use crate::plan::action;
use crate::plan::fiscal::bounds;
use crate::plan::progress::{self, Status};

/// A term counts as unmet demand when this many different people searched for it.
pub const MISS_MIN_PEOPLE: i64 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct ActionYear {
    pub no: u32,
    pub title: String,
    /// The latest status recorded by the end of the year (or now, for the current year).
    pub status: Option<Status>,
    /// Updates recorded for the year.
    pub updates: i64,
}

/// One month's (or the year's) consultation figures of one route.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Period {
    /// First day of the month; None for the year's total.
    pub month: Option<NaiveDate>,
    pub received: i64,
    pub accepted: i64,
    /// Hours from receipt to acceptance of those accepted in the period (wall-clock hours).
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    pub escalated: i64,
    pub resolved: i64,
    pub cancelled: i64,
    pub satisfaction: Satisfaction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteYear {
    pub action: u32,
    /// April to March.
    pub months: Vec<Period>,
    pub total: Period,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub fiscal_year: i32,
    pub actions: Vec<ActionYear>,
    pub routes: Vec<RouteYear>,
    /// (term, people), most people first.
    pub unmet: Vec<(String, i64)>,
}

/// The median of sorted values (the mean of the middle two for an even count).
pub fn median(sorted: &[i64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2] as f64),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// The nearest-rank percentile `q` (0–1] of sorted values: the ⌈q·n⌉-th smallest.
pub fn nearest_rank(sorted: &[i64], q: f64) -> Option<f64> {
    let n = sorted.len();
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
    sorted.get(rank - 1).map(|v| *v as f64)
}

fn midnight(zone: Tz, day: NaiveDate) -> i64 {
    zone.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or(0, |t| t.timestamp())
}

fn in_range(t: Option<i64>, from: i64, to: i64) -> bool {
    t.is_some_and(|t| t >= from && t < to)
}

async fn period(
    pool: &SqlitePool,
    timelines: &[consultations::Timeline],
    route: Route,
    month: Option<NaiveDate>,
    (from, to): (i64, i64),
) -> Result<Period, sqlx::Error> {
    let mine = || timelines.iter().filter(|c| c.route == route.as_str());
    let count =
        |f: &dyn Fn(&consultations::Timeline) -> bool| mine().filter(|c| f(c)).count() as i64;
    let mut waits: Vec<i64> = mine()
        .filter(|c| in_range(c.accepted_at, from, to))
        .filter_map(|c| c.accepted_at.map(|a| a - c.created_at))
        .collect();
    waits.sort_unstable();
    let hours = |v: Option<f64>| v.map(|s| s / 3600.0);
    Ok(Period {
        month,
        received: count(&|c| in_range(Some(c.created_at), from, to)),
        accepted: waits.len() as i64,
        median_hours: hours(median(&waits)),
        p90_hours: hours(nearest_rank(&waits, 0.9)),
        escalated: count(&|c| in_range(c.escalated_at, from, to)),
        resolved: count(&|c| c.state == "resolved" && in_range(c.closed_at, from, to)),
        cancelled: count(&|c| c.state == "cancelled" && in_range(c.closed_at, from, to)),
        satisfaction: consultation_ratings::satisfaction(pool, route.as_str(), from, to).await?,
    })
}

/// The report of fiscal year `fy`, months in `zone`, as it stands at `now` (unix seconds).
pub async fn compose(
    pool: &SqlitePool,
    fy: i32,
    zone: Tz,
    now: i64,
) -> Result<Report, sqlx::Error> {
    let (first, last) = bounds(fy);
    let year = (
        midnight(zone, first),
        midnight(zone, last.succ_opt().unwrap_or(last)),
    );

    let mut conn = pool.acquire().await?;
    let actions = action::load_all(&mut conn).await?;
    drop(conn);
    let latest = progress::latest(pool, now.min(year.1 - 1)).await?;
    let counts = progress::counts_in_year(pool, fy).await?;
    let actions = actions
        .into_iter()
        .map(|a| ActionYear {
            status: latest
                .iter()
                .find(|u| u.action_no == a.no)
                .map(|u| u.status),
            updates: counts
                .iter()
                .find(|(no, _)| *no == a.no)
                .map_or(0, |(_, n)| *n),
            no: a.no,
            title: a.title,
        })
        .collect();

    let timelines = consultations::timelines(pool, year.0, year.1).await?;
    let mut routes = Vec::new();
    for route in [Route::Citizen, Route::Staff] {
        let mut months = Vec::with_capacity(12);
        for i in 0..12 {
            let month = |k: u32| first.checked_add_months(chrono::Months::new(k));
            let (Some(start), Some(next)) = (month(i), month(i + 1)) else {
                break;
            };
            let range = (midnight(zone, start), midnight(zone, next));
            months.push(period(pool, &timelines, route, Some(start), range).await?);
        }
        routes.push(RouteYear {
            action: route.action(),
            total: period(pool, &timelines, route, None, year).await?,
            months,
        });
    }
    let unmet = search_misses::unmet_terms(pool, year.0, year.1, MISS_MIN_PEOPLE, None).await?;
    Ok(Report {
        fiscal_year: fy,
        actions,
        routes,
        unmet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_nearest_rank_percentile() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3, 5, 9]), Some(5.0));
        assert_eq!(median(&[3, 5, 9, 11]), Some(7.0));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 0.9), Some(9.0));
        assert_eq!(nearest_rank(&[4], 0.9), Some(4.0));
        assert_eq!(nearest_rank(&[], 0.9), None);
    }
}
