//! The office calendar: which days the office is closed and which it works, for every rule
//! that asks — a schedule's `skip` and `next-business-day`, offer and SLA deadlines. National
//! holidays come from the holiday law ([`super::holidays`]); the office adds its own closures
//! in `config.toml`:
//!
//! ```toml
//! [calendar]
//! closed = ["12-29..01-03"]                    # every year (年末年始), MM-DD or MM-DD..MM-DD
//! closed_dates = ["2027-05-06", "2026-08-13..2026-08-14"]   # one-off closures, a new law's holiday
//! ```

use chrono::{Datelike, NaiveDate, Weekday};

use super::holidays::holiday_name;

/// A closure the office repeats every year, from one month-day to another (may wrap the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yearly {
    pub from: (u32, u32),
    pub to: (u32, u32),
}

impl Yearly {
    fn contains(&self, date: NaiveDate) -> bool {
        let day = (date.month(), date.day());
        if self.from <= self.to {
            self.from <= day && day <= self.to
        } else {
            day >= self.from || day <= self.to
        }
    }
}

/// Why a day is closed (a weekend is not a closure: it is simply not a business day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closure {
    Holiday(&'static str),
    Office,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub yearly: Vec<Yearly>,
    /// One-off closed ranges, both ends included.
    pub dates: Vec<(NaiveDate, NaiveDate)>,
}

impl Default for Calendar {
    /// National holidays and the year-end closure 12/29–1/3 that Japanese city offices keep.
    fn default() -> Self {
        Calendar {
            yearly: vec![Yearly {
                from: (12, 29),
                to: (1, 3),
            }],
            dates: Vec::new(),
        }
    }
}

/// A config entry that is not a date or range, with what it should look like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{entry}\" is not {expected}")]
pub struct CalendarError {
    pub entry: String,
    pub expected: &'static str,
}

impl Calendar {
    /// Parses `closed` (`MM-DD` or `MM-DD..MM-DD`) and `closed_dates` (`YYYY-MM-DD` or
    /// `YYYY-MM-DD..YYYY-MM-DD`, the end not before the start).
    pub fn parse(
        closed: &[String],
        closed_dates: &[String],
    ) -> Result<Calendar, (usize, bool, CalendarError)> {
        let mut calendar = Calendar {
            yearly: Vec::new(),
            dates: Vec::new(),
        };
        for (at, entry) in closed.iter().enumerate() {
            let month_day = |text: &str| {
                let (m, d) = text.trim().split_once('-')?;
                let (m, d) = (m.parse().ok()?, d.parse().ok()?);
                // 2024 is a leap year: 02-29 is a valid yearly closure.
                NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
            };
            let (from, to) = entry.split_once("..").unwrap_or((entry, entry));
            match (month_day(from), month_day(to)) {
                (Some(from), Some(to)) => calendar.yearly.push(Yearly { from, to }),
                _ => {
                    return Err((
                        at,
                        true,
                        CalendarError {
                            entry: entry.clone(),
                            expected: "MM-DD or MM-DD..MM-DD (e.g. 12-29..01-03)",
                        },
                    ))
                }
            }
        }
        for (at, entry) in closed_dates.iter().enumerate() {
            let date = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
            let (from, to) = entry.split_once("..").unwrap_or((entry, entry));
            match (date(from), date(to)) {
                (Some(from), Some(to)) if from <= to => calendar.dates.push((from, to)),
                _ => {
                    return Err((
                        at,
                        false,
                        CalendarError {
                            entry: entry.clone(),
                            expected: "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD (start first)",
                        },
                    ))
                }
            }
        }
        Ok(calendar)
    }

    /// Why the office is closed on `date`, if it is (weekends aside).
    pub fn closure(&self, date: NaiveDate) -> Option<Closure> {
        if let Some(name) = holiday_name(date) {
            return Some(Closure::Holiday(name));
        }
        let office = self.yearly.iter().any(|y| y.contains(date))
            || self
                .dates
                .iter()
                .any(|(from, to)| *from <= date && date <= *to);
        office.then_some(Closure::Office)
    }

    /// A national holiday or an office closure (not a weekend).
    pub fn is_closed(&self, date: NaiveDate) -> bool {
        self.closure(date).is_some()
    }

    /// A day the office works: not a weekend, not closed.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_closed(date)
    }

    /// The first business day after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut day = date.succ_opt()?;
        // A year holds at most a few weeks of closures; a calendar closing everything stops.
        for _ in 0..366 {
            if self.is_business_day(day) {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The next `n` closed stretches from `from` on, as (first day, last day, what):
    /// consecutive closed days (weekends between them included) are one stretch.
    pub fn next_closures(&self, from: NaiveDate, n: usize) -> Vec<(NaiveDate, NaiveDate, String)> {
        let mut out: Vec<(NaiveDate, NaiveDate, String)> = Vec::new();
        let mut day = from;
        for _ in 0..(366 * 2) {
            if let Some(closure) = self.closure(day) {
                let what = match closure {
                    Closure::Holiday(name) => name.to_string(),
                    Closure::Office => "office closed".to_string(),
                };
                let joins = out.last().is_some_and(|(_, last, _)| {
                    last.iter_days()
                        .skip(1)
                        .take_while(|d| *d < day)
                        .all(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
                });
                let full = out.len() == n;
                match out.last_mut() {
                    Some((_, last, names)) if joins => {
                        *last = day;
                        if !names.split(", ").any(|n| n == what) {
                            names.push_str(", ");
                            names.push_str(&what);
                        }
                    }
                    _ if full => break,
                    _ => out.push((day, day, what)),
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_default_office_closes_holidays_and_the_year_end() {
        let calendar = Calendar::default();
        assert!(calendar.is_business_day(d(2026, 9, 24)));
        assert!(!calendar.is_business_day(d(2026, 9, 21)), "敬老の日");
        assert!(!calendar.is_business_day(d(2026, 9, 26)), "Saturday");
        assert!(calendar.is_closed(d(2026, 12, 29)));
        assert!(
            !calendar.is_closed(d(2026, 9, 26)),
            "a weekend is not a closure"
        );
        assert_eq!(
            calendar.next_business_day(d(2026, 12, 28)),
            Some(d(2027, 1, 4))
        );
    }

    #[test]
    fn an_office_adds_closures_and_a_new_laws_holiday_in_config() {
        let calendar = Calendar::parse(
            &["12-29..01-03".into(), "08-14".into()],
            &["2027-05-06".into(), "2026-10-01..2026-10-02".into()],
        )
        .unwrap();
        assert!(calendar.is_closed(d(2027, 5, 6)));
        assert!(calendar.is_closed(d(2026, 8, 14)));
        assert!(calendar.is_closed(d(2026, 10, 2)));
        assert!(!calendar.is_closed(d(2026, 10, 5)));
        let error = Calendar::parse(&["12-32".into()], &[]).unwrap_err();
        assert_eq!((error.0, error.1), (0, true));
        assert!(error.2.to_string().contains("MM-DD"), "{}", error.2);
        assert!(Calendar::parse(&[], &["2026-10-02..2026-10-01".into()]).is_err());
    }

    #[test]
    fn next_closures_join_a_stretch_across_its_weekend() {
        let closures = Calendar::default().next_closures(d(2026, 12, 1), 2);
        assert_eq!(
            closures,
            vec![
                (
                    d(2026, 12, 29),
                    d(2027, 1, 3),
                    "office closed, 元日".to_string()
                ),
                (d(2027, 1, 11), d(2027, 1, 11), "成人の日".to_string()),
            ]
        );
    }
}
