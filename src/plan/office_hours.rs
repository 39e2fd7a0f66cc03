//! Office hours, and the hours a wait lasted within them: the clock the "waiting too long"
//! alert (`consult.sla_hours`) counts in.
//!
//! The one place business time is computed; the office calendar (closures beyond national
//! holidays) plugs in here through `is_business_day`.

use chrono::{NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::calendar::Calendar;

/// The hours the office is open on a business day (local time), e.g. 08:30–17:15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
}

impl Default for OfficeHours {
    /// 08:30–17:15, a Japanese city office's usual day (8 h 45 min, the lunch hour included).
    fn default() -> Self {
        OfficeHours {
            open: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN),
            close: NaiveTime::from_hms_opt(17, 15, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl OfficeHours {
    /// `HH:MM-HH:MM`, opening before closing.
    pub fn parse(text: &str) -> Option<OfficeHours> {
        let (open, close) = text.split_once('-')?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        let hours = OfficeHours {
            open: time(open)?,
            close: time(close)?,
        };
        (hours.open < hours.close).then_some(hours)
    }
}

/// Office hours (as a fraction) between `from` and `to` (unix seconds) in `zone`: the time
/// within opening hours on business days (weekends, national holidays and 12/29–1/3 closed).
/// Zero when `to` is not after `from`.
pub fn business_hours_between(
    from: i64,
    to: i64,
    zone: Tz,
    hours: OfficeHours,
    calendar: &Calendar,
) -> f64 {
    if to <= from {
        return 0.0;
    }
    let (Some(start), Some(end)) = (
        zone.timestamp_opt(from, 0).single(),
        zone.timestamp_opt(to, 0).single(),
    ) else {
        return 0.0;
    };
    let mut seconds = 0i64;
    let mut day = start.date_naive();
    while day <= end.date_naive() {
        if calendar.is_business_day(day) {
            let local = |t: NaiveTime| {
                zone.from_local_datetime(&day.and_time(t))
                    .earliest()
                    .map(|t| t.timestamp())
            };
            if let (Some(open), Some(close)) = (local(hours.open), local(hours.close)) {
                seconds += (close.min(to) - open.max(from)).max(0);
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    seconds as f64 / 3600.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Tokyo;

    fn at(d: u32, h: u32, m: u32) -> i64 {
        Tokyo
            .with_ymd_and_hms(2026, 9, d, h, m, 0)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn only_opening_hours_on_business_days_count() {
        let office = OfficeHours::default();
        // Within one day.
        assert_eq!(
            business_hours_between(
                at(24, 9, 0),
                at(24, 11, 30),
                Tokyo,
                office,
                &Calendar::default()
            ),
            2.5
        );
        // Evening to next morning: 16:15→17:15 plus 08:30→09:30.
        assert_eq!(
            business_hours_between(
                at(24, 16, 15),
                at(25, 9, 30),
                Tokyo,
                office,
                &Calendar::default()
            ),
            2.0
        );
        // Friday 17:00 to the next Thursday 09:00 over the weekend and 9/21–23's holidays:
        // 15 minutes on Friday, nothing until Thursday 08:30, then 30 minutes.
        assert_eq!(
            business_hours_between(
                at(18, 17, 0),
                at(24, 9, 0),
                Tokyo,
                office,
                &Calendar::default()
            ),
            0.75
        );
        assert_eq!(
            business_hours_between(
                at(24, 9, 0),
                at(24, 8, 0),
                Tokyo,
                office,
                &Calendar::default()
            ),
            0.0
        );
    }

    #[test]
    fn office_hours_parse_from_the_config() {
        assert_eq!(
            OfficeHours::parse("08:30-17:15"),
            Some(OfficeHours::default())
        );
        assert_eq!(OfficeHours::parse("17:15-08:30"), None);
        assert_eq!(OfficeHours::parse("8時半から"), None);
    }
}
