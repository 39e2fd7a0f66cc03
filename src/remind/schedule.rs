//! A configured schedule: a cron line (see [`super::crontab`]: 6 fields seconds first, or
//! crontab's 5) in an IANA time zone, what it posts where, and what to do when a fire falls on
//! a day the office is closed (the office calendar: national holidays and its own closures).
//!
//! Fire times are wall-clock times in the schedule's zone. Across daylight-saving changes a
//! time that occurs twice fires once (the first time), and a time that is skipped fires at the
//! first valid moment after it (02:30 on a spring-forward night fires at 03:00).

use std::sync::Arc;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::lang::Lang;
use crate::plan::calendar::Calendar;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The weekly plan digest.
    ProgressDigest,
    /// Open consultations waiting too long (figures only).
    ConsultationSla,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnHoliday {
    Run,
    Skip,
    /// Post at the same local time on the next business day.
    NextBusinessDay,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    /// The line as the cron crate reads it (weekday numbers written as names).
    pub expression: String,
    pub cron: cron::Schedule,
    pub zone: Tz,
    pub channel: u64,
    pub kind: Kind,
    pub on_holiday: OnHoliday,
    pub lang: Lang,
    /// The office calendar deciding which days are closed.
    pub calendar: Arc<Calendar>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("schedule {name}: cron {expression:?} {reason}")]
    Cron {
        name: String,
        expression: String,
        reason: super::crontab::CrontabError,
    },
    #[error("schedule {name}: unknown time zone {zone:?} (an IANA name such as Asia/Tokyo)")]
    Zone { name: String, zone: String },
    #[error("schedule {name}: kind {kind:?} is not progress-digest or consultation-sla")]
    Kind { name: String, kind: String },
    #[error("schedule {name}: on_holiday {value:?} is not run, skip or next-business-day")]
    OnHoliday { name: String, value: String },
}

/// What a fire becomes once the holiday policy is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    PostAt(i64),
    Skip,
    /// Moved to a business day on which the schedule posts anyway (at the given time): that
    /// post is the one, so the day gets one post, not two.
    Merged(i64),
}

/// Most fires looked at when searching a day for a schedule's own fire.
const DAY_FIRES: usize = 1;

impl Schedule {
    pub fn parse(
        name: &str,
        expression: &str,
        zone: &str,
        channel: u64,
        kind: &str,
        on_holiday: &str,
        lang: Lang,
    ) -> Result<Schedule, ScheduleError> {
        let (normalised, cron) =
            super::crontab::parse(expression).map_err(|reason| ScheduleError::Cron {
                name: name.into(),
                expression: expression.into(),
                reason,
            })?;
        let zone: Tz = zone.parse().map_err(|_| ScheduleError::Zone {
            name: name.into(),
            zone: zone.into(),
        })?;
        let kind = match kind {
            "progress-digest" => Kind::ProgressDigest,
            "consultation-sla" => Kind::ConsultationSla,
            other => {
                return Err(ScheduleError::Kind {
                    name: name.into(),
                    kind: other.into(),
                })
            }
        };
        let on_holiday = match on_holiday {
            "run" => OnHoliday::Run,
            "skip" => OnHoliday::Skip,
            "next-business-day" => OnHoliday::NextBusinessDay,
            other => {
                return Err(ScheduleError::OnHoliday {
                    name: name.into(),
                    value: other.into(),
                })
            }
        };
        Ok(Schedule {
            name: name.into(),
            expression: normalised,
            cron,
            zone,
            channel,
            kind,
            on_holiday,
            lang,
            calendar: Arc::new(Calendar::default()),
        })
    }

    /// The same schedule deciding closed days by `calendar`.
    pub fn with_calendar(mut self, calendar: Arc<Calendar>) -> Schedule {
        self.calendar = calendar;
        self
    }

    /// Fire instants (unix seconds) strictly after `after`, in order, each once.
    fn instants(&self, after: i64) -> impl Iterator<Item = i64> + '_ {
        // Walk the wall clock from a little before `after`: a skipped or repeated hour can put
        // the next fire's instant earlier or later than its wall time suggests.
        let start = self
            .zone
            .timestamp_opt(after, 0)
            .single()
            .and_then(|t| t.naive_local().checked_sub_signed(Duration::hours(3)))
            .unwrap_or_default();
        let mut last = after;
        self.cron
            .after(&Utc.from_utc_datetime(&start))
            .filter_map(move |wall| {
                let at = self.instant_of(wall.naive_utc())?;
                (at > last).then(|| {
                    last = at;
                    at
                })
            })
    }

    /// The instant of a wall-clock time in the zone: the first of two, or the first valid
    /// moment after a skipped one.
    fn instant_of(&self, wall: NaiveDateTime) -> Option<i64> {
        match self.zone.from_local_datetime(&wall) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.timestamp()),
            LocalResult::None => {
                let minute = wall.date().and_time(NaiveTime::from_hms_opt(
                    chrono::Timelike::hour(&wall),
                    chrono::Timelike::minute(&wall),
                    0,
                )?);
                (1..=24 * 60).find_map(|k| {
                    let later = minute.checked_add_signed(Duration::minutes(k))?;
                    self.zone
                        .from_local_datetime(&later)
                        .earliest()
                        .map(|t| t.timestamp())
                })
            }
        }
    }

    /// Fire times (unix seconds) after `after`, up to and including `until`, at most `limit`.
    pub fn fires_between(&self, after: i64, until: i64, limit: usize) -> Vec<i64> {
        self.instants(after)
            .take_while(|&t| t <= until)
            .take(limit)
            .collect()
    }

    /// The next `n` fire times after `after`.
    pub fn next(&self, after: i64, n: usize) -> Vec<DateTime<Tz>> {
        self.instants(after)
            .take(n)
            .filter_map(|t| self.zone.timestamp_opt(t, 0).single())
            .collect()
    }

    /// The office-calendar policy applied to a fire.
    pub fn decide(&self, fire: i64) -> Decision {
        let Some(local) = self.zone.timestamp_opt(fire, 0).single() else {
            return Decision::PostAt(fire);
        };
        let date = local.date_naive();
        if !self.calendar.is_closed(date) {
            return Decision::PostAt(fire);
        }
        match self.on_holiday {
            OnHoliday::Run => Decision::PostAt(fire),
            OnHoliday::Skip => Decision::Skip,
            OnHoliday::NextBusinessDay => {
                let Some(day) = self.calendar.next_business_day(date) else {
                    return Decision::Skip;
                };
                let day_start = day.and_time(NaiveTime::MIN);
                let (Some(from), Some(to)) = (
                    self.instant_of(day_start),
                    day.succ_opt()
                        .and_then(|next| self.instant_of(next.and_time(NaiveTime::MIN))),
                ) else {
                    return Decision::PostAt(fire);
                };
                if let Some(&own) = self.fires_between(from - 1, to - 1, DAY_FIRES).first() {
                    return Decision::Merged(own);
                }
                match self.instant_of(day.and_time(local.time())) {
                    Some(moved) => Decision::PostAt(moved),
                    None => Decision::PostAt(fire),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly(on_holiday: &str) -> Schedule {
        Schedule::parse(
            "weekly",
            "0 0 9 * * Mon",
            "Asia/Tokyo",
            1,
            "progress-digest",
            on_holiday,
            Lang::Ja,
        )
        .unwrap()
    }

    fn tokyo(y: i32, m: u32, d: u32, h: u32) -> i64 {
        chrono_tz::Asia::Tokyo
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn a_weekly_monday_nine_oclock_schedule_fires_on_mondays_in_tokyo() {
        let fires = weekly("run").next(tokyo(2026, 9, 1, 0), 3);
        let shown: Vec<String> = fires
            .iter()
            .map(|t| t.format("%Y-%m-%d %a %H:%M").to_string())
            .collect();
        assert_eq!(
            shown,
            vec![
                "2026-09-07 Mon 09:00",
                "2026-09-14 Mon 09:00",
                "2026-09-21 Mon 09:00"
            ]
        );
    }

    #[test]
    fn a_holiday_monday_runs_skips_or_moves_to_the_next_business_day() {
        // 2026-09-21 is 敬老の日, 09-22 国民の休日, 09-23 秋分の日: the next business day is Thursday.
        let fire = tokyo(2026, 9, 21, 9);
        assert_eq!(weekly("run").decide(fire), Decision::PostAt(fire));
        assert_eq!(weekly("skip").decide(fire), Decision::Skip);
        assert_eq!(
            weekly("next-business-day").decide(fire),
            Decision::PostAt(tokyo(2026, 9, 24, 9))
        );
        let ordinary = tokyo(2026, 9, 14, 9);
        assert_eq!(weekly("skip").decide(ordinary), Decision::PostAt(ordinary));
    }

    #[test]
    fn bad_expressions_and_zones_name_the_schedule() {
        let error = Schedule::parse(
            "weekly",
            "0 0 25 * * Mon",
            "Asia/Tokyo",
            1,
            "progress-digest",
            "run",
            Lang::Ja,
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("schedule weekly: cron \"0 0 25 * * Mon\" "),
            "{error}"
        );
        let error = Schedule::parse(
            "weekly",
            "0 0 9 * * Mon",
            "Asia/Tokio",
            1,
            "progress-digest",
            "run",
            Lang::Ja,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "schedule weekly: unknown time zone \"Asia/Tokio\" (an IANA name such as Asia/Tokyo)"
        );
    }
}
