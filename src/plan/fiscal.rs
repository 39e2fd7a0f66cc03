//! Japan's fiscal year: April to March, named by the calendar year it starts in (令和7年度 =
//! FY2025 = 2025-04-01 .. 2026-03-31).

use chrono::{Datelike, NaiveDate};

/// The fiscal year a date falls in.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// First and last day of fiscal year `fy`.
pub fn bounds(fy: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(fy, 4, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(fy + 1, 3, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_year_turns_on_the_first_of_april() {
        assert_eq!(fiscal_year(d(2026, 3, 31)), 2025);
        assert_eq!(fiscal_year(d(2026, 4, 1)), 2026);
        assert_eq!(fiscal_year(d(2026, 1, 1)), 2025);
        assert_eq!(fiscal_year(d(2026, 12, 31)), 2026);
        assert_eq!(bounds(2025), (d(2025, 4, 1), d(2026, 3, 31)));
    }
}
