//! The "waiting too long" alert (`kind = "consultation-sla"`): consultations nobody has taken
//! after `consult.sla_hours` office hours — waiting for an advisor's answer to an offer, or
//! for a coordinator to assign them after escalation — posted to the schedule's channel with
//! the coordinator role mentioned. Numbers, route and age only; nothing when nothing waits.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::consult::model::Route;
use crate::db::consultations;
use crate::lang::Lang;
use crate::plan::office_hours::{business_hours_between, OfficeHours};

/// What the alert needs from the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaSettings {
    /// Office hours a consultation may wait before it is listed (`consult.sla_hours`).
    pub hours: u32,
    pub office: OfficeHours,
    /// The coordinators' role, mentioned in the post (`consult.coordinator_role_id`; 0: none).
    pub coordinator_role: u64,
    /// The office calendar: only its business days count.
    pub calendar: std::sync::Arc<crate::plan::calendar::Calendar>,
}

impl Default for SlaSettings {
    fn default() -> Self {
        SlaSettings {
            hours: 8,
            office: OfficeHours::default(),
            coordinator_role: 0,
            calendar: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub number: i64,
    /// Plan action: 10 (citizens) or 22 (city staff).
    pub action: u32,
    /// Office hours since it was received.
    pub age_hours: f64,
    /// Escalated: waiting for a coordinator to assign it (else for an advisor's answer).
    pub for_assignment: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaAlert {
    pub lang: Lang,
    pub limit_hours: u32,
    pub waiting: Vec<Waiting>,
    pub mention_role: Option<u64>,
}

impl crate::outbox::Payload for SlaAlert {
    const KIND: &'static str = "sla";
}

/// The alert as it stands at `at`, or None when nothing has waited longer than the limit.
pub async fn compose(
    pool: &SqlitePool,
    settings: &SlaSettings,
    zone: Tz,
    lang: Lang,
    at: i64,
) -> Result<Option<SlaAlert>, sqlx::Error> {
    let limit = f64::from(settings.hours);
    let waiting: Vec<Waiting> = consultations::waiting(pool)
        .await?
        .into_iter()
        .filter_map(|c| {
            let action = Route::parse(&c.route)?.action();
            let age_hours =
                business_hours_between(c.created_at, at, zone, settings.office, &settings.calendar);
            (age_hours > limit).then(|| Waiting {
                number: c.id,
                action,
                age_hours,
                for_assignment: c.state == "escalated",
            })
        })
        .collect();
    if waiting.is_empty() {
        return Ok(None);
    }
    Ok(Some(SlaAlert {
        lang,
        limit_hours: settings.hours,
        waiting,
        mention_role: (settings.coordinator_role != 0).then_some(settings.coordinator_role),
    }))
}
