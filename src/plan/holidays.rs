//! Japan's national holidays (国民の祝日), by the rules of the holiday law: fixed days, Happy
//! Monday days, the equinoxes (by the astronomical approximation the Cabinet Office's dates
//! follow for 1980–2099), substitute holidays (振替休日) and in-between days (国民の休日).

use chrono::{Datelike, NaiveDate, Weekday};

fn nth_monday(year: i32, month: u32, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n as u8)
}

fn equinox_day(year: i32, base: f64) -> u32 {
    let y = f64::from(year - 1980);
    (base + 0.242194 * y - (y / 4.0).floor()).floor() as u32
}

/// The holidays fixed by the calendar rules alone (before substitutes and in-between days).
fn rule_days(year: i32) -> Vec<NaiveDate> {
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let mut days: Vec<Option<NaiveDate>> = vec![
        ymd(1, 1),                          // 元日
        nth_monday(year, 1, 2),             // 成人の日
        ymd(2, 11),                         // 建国記念の日
        ymd(2, 23),                         // 天皇誕生日
        ymd(3, equinox_day(year, 20.8431)), // 春分の日
        ymd(4, 29),                         // 昭和の日
        ymd(5, 3),                          // 憲法記念日
        ymd(5, 4),                          // みどりの日
        ymd(5, 5),                          // こどもの日
        nth_monday(year, 7, 3),             // 海の日
        ymd(8, 11),                         // 山の日
        nth_monday(year, 9, 3),             // 敬老の日
        ymd(9, equinox_day(year, 23.2488)), // 秋分の日
        nth_monday(year, 10, 2),            // スポーツの日
        ymd(11, 3),                         // 文化の日
        ymd(11, 23),                        // 勤労感謝の日
    ];
    days.sort();
    days.into_iter().flatten().collect()
}

/// Every national holiday of `year`, sorted.
pub fn holidays(year: i32) -> Vec<NaiveDate> {
    let rules = rule_days(year);
    let mut all = rules.clone();
    // 国民の休日: a weekday between two holidays.
    for pair in rules.windows(2) {
        if let Some(between) = pair[0].succ_opt() {
            if between.succ_opt() == Some(pair[1])
                && !rules.contains(&between)
                && between.weekday() != Weekday::Sun
            {
                all.push(between);
            }
        }
    }
    // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
    for day in rules.iter().filter(|d| d.weekday() == Weekday::Sun) {
        let mut next = day.succ_opt();
        while let Some(candidate) = next {
            if !all.contains(&candidate) {
                all.push(candidate);
                break;
            }
            next = candidate.succ_opt();
        }
    }
    all.sort();
    all.dedup();
    all
}

pub fn is_holiday(date: NaiveDate) -> bool {
    holidays(date.year()).contains(&date)
}

/// A day the city office works: not a weekend, not a national holiday, not 12/29–1/3.
pub fn is_business_day(date: NaiveDate) -> bool {
    let year_end = matches!((date.month(), date.day()), (12, 29..=31) | (1, 1..=3));
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date) && !year_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The Cabinet Office's published lists for 2025–2027, and the rule-derived ones to 2030.
    #[test]
    fn known_holidays_2025_to_2030() {
        let expected: &[(i32, &[(u32, u32)])] = &[
            (
                2025,
                &[
                    (1, 1),
                    (1, 13),
                    (2, 11),
                    (2, 23),
                    (2, 24),
                    (3, 20),
                    (4, 29),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (5, 6),
                    (7, 21),
                    (8, 11),
                    (9, 15),
                    (9, 23),
                    (10, 13),
                    (11, 3),
                    (11, 23),
                    (11, 24),
                ],
            ),
            (
                2026,
                &[
                    (1, 1),
                    (1, 12),
                    (2, 11),
                    (2, 23),
                    (3, 20),
                    (4, 29),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (5, 6),
                    (7, 20),
                    (8, 11),
                    (9, 21),
                    (9, 22),
                    (9, 23),
                    (10, 12),
                    (11, 3),
                    (11, 23),
                ],
            ),
            (
                2027,
                &[
                    (1, 1),
                    (1, 11),
                    (2, 11),
                    (2, 23),
                    (3, 21),
                    (3, 22),
                    (4, 29),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (7, 19),
                    (8, 11),
                    (9, 20),
                    (9, 23),
                    (10, 11),
                    (11, 3),
                    (11, 23),
                ],
            ),
            (
                2028,
                &[
                    (1, 1),
                    (1, 10),
                    (2, 11),
                    (2, 23),
                    (3, 20),
                    (4, 29),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (7, 17),
                    (8, 11),
                    (9, 18),
                    (9, 22),
                    (10, 9),
                    (11, 3),
                    (11, 23),
                ],
            ),
            (
                2029,
                &[
                    (1, 1),
                    (1, 8),
                    (2, 11),
                    (2, 12),
                    (2, 23),
                    (3, 20),
                    (4, 29),
                    (4, 30),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (7, 16),
                    (8, 11),
                    (9, 17),
                    (9, 23),
                    (9, 24),
                    (10, 8),
                    (11, 3),
                    (11, 23),
                ],
            ),
            (
                2030,
                &[
                    (1, 1),
                    (1, 14),
                    (2, 11),
                    (2, 23),
                    (3, 20),
                    (4, 29),
                    (5, 3),
                    (5, 4),
                    (5, 5),
                    (5, 6),
                    (7, 15),
                    (8, 11),
                    (8, 12),
                    (9, 16),
                    (9, 23),
                    (10, 14),
                    (11, 3),
                    (11, 4),
                    (11, 23),
                ],
            ),
        ];
        for (year, days) in expected {
            let want: Vec<NaiveDate> = days.iter().map(|&(m, day)| d(*year, m, day)).collect();
            assert_eq!(holidays(*year), want, "{year}");
        }
    }

    #[test]
    fn business_days_skip_weekends_holidays_and_the_year_end() {
        assert!(is_business_day(d(2026, 9, 24)));
        assert!(!is_business_day(d(2026, 9, 21)), "敬老の日");
        assert!(!is_business_day(d(2026, 9, 26)), "Saturday");
        assert!(!is_business_day(d(2026, 12, 29)));
        assert!(!is_business_day(d(2027, 1, 3)));
        assert!(is_business_day(d(2027, 1, 4)));
    }
}
