//! A configured schedule: a cron expression (the cron crate's syntax, seconds first) in an IANA
//! time zone, what it posts where, and what to do when a fire falls on a national holiday.

use std::str::FromStr;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::lang::Lang;
use crate::plan::holidays::{is_business_day, is_holiday};

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
    pub cron: cron::Schedule,
    pub zone: Tz,
    pub channel: u64,
    pub kind: Kind,
    pub on_holiday: OnHoliday,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("schedule {name}: cron expression {expression:?}: {reason}")]
    Cron {
        name: String,
        expression: String,
        reason: String,
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
}

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
        let cron = cron::Schedule::from_str(expression).map_err(|e| ScheduleError::Cron {
            name: name.into(),
            expression: expression.into(),
            reason: e.to_string(),
        })?;
        let zone = Tz::from_str(zone).map_err(|_| ScheduleError::Zone {
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
            cron,
            zone,
            channel,
            kind,
            on_holiday,
            lang,
        })
    }

    /// Fire times (unix seconds) after `after`, up to and including `until`, at most `limit`.
    pub fn fires_between(&self, after: i64, until: i64, limit: usize) -> Vec<i64> {
        let Some(start) = self.zone.timestamp_opt(after, 0).single() else {
            return Vec::new();
        };
        self.cron
            .after(&start)
            .map(|t| t.timestamp())
            .take_while(|&t| t <= until)
            .take(limit)
            .collect()
    }

    /// The next `n` fire times after `after`.
    pub fn next(&self, after: i64, n: usize) -> Vec<DateTime<Tz>> {
        match self.zone.timestamp_opt(after, 0).single() {
            Some(start) => self.cron.after(&start).take(n).collect(),
            None => Vec::new(),
        }
    }

    /// The holiday policy applied to a fire.
    pub fn decide(&self, fire: i64) -> Decision {
        let Some(local) = self.zone.timestamp_opt(fire, 0).single() else {
            return Decision::PostAt(fire);
        };
        let date = local.date_naive();
        if !is_holiday(date) {
            return Decision::PostAt(fire);
        }
        match self.on_holiday {
            OnHoliday::Run => Decision::PostAt(fire),
            OnHoliday::Skip => Decision::Skip,
            OnHoliday::NextBusinessDay => {
                let mut day = date;
                while let Some(next) = day.succ_opt() {
                    day = next;
                    if is_business_day(day) {
                        break;
                    }
                }
                let time: NaiveTime = local.time();
                match self.zone.from_local_datetime(&day.and_time(time)).single() {
                    Some(moved) => Decision::PostAt(moved.with_timezone(&Utc).timestamp()),
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
                .starts_with("schedule weekly: cron expression"),
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
