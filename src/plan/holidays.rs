//! Japan's national holidays (国民の祝日) and the days off the holiday law adds (休日), year by
//! year as the law stood: the Act on National Holidays (国民の祝日に関する法律, 1948) and its
//! amendments — 敬老の日 and 体育の日 (1966), 建国記念の日 (1967), substitute holidays 振替休日
//! (from 1973-04-12), in-between days 国民の休日 (from 1985-12-27), Happy Monday days (2000,
//! 2003), 海の日 (1996), みどりの日/昭和の日 (1989, 2007), 山の日 (2016), the accession
//! holidays of 2019 and the Olympic moves of 2020 and 2021 — plus the one-off holidays of
//! special laws (the imperial weddings, funeral and enthronements). The equinox days follow the
//! astronomical approximation that matches the Cabinet Office's dates (1900–2150).
//!
//! Checked against the Cabinet Office's published list for 1955–2027 (tests/data/). A new law
//! after that is an office's config edit (`[calendar] closed_dates`), not a rebuild.

use chrono::{Datelike, NaiveDate, Weekday};

/// Holidays given by a special law for one day only.
const ONE_OFF: &[((i32, u32, u32), &str)] = &[
    ((1959, 4, 10), "皇太子・明仁親王の結婚の儀"),
    ((1989, 2, 24), "昭和天皇の大喪の礼"),
    ((1990, 11, 12), "即位礼正殿の儀"),
    ((1993, 6, 9), "皇太子・徳仁親王の結婚の儀"),
    ((2019, 5, 1), "天皇の即位の日"),
    ((2019, 10, 22), "即位礼正殿の儀"),
];

fn nth_monday(year: i32, month: u32, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n)
}

/// Day of March (spring) or September (autumn) of the equinox day, by the approximation the
/// National Astronomical Observatory's published dates agree with.
fn equinox_day(year: i32, spring: bool) -> Option<u32> {
    let (base, leap_from) = match (year, spring) {
        (1900..=1979, true) => (20.8357, 1983),
        (1900..=1979, false) => (23.2588, 1983),
        (1980..=2099, true) => (20.8431, 1980),
        (1980..=2099, false) => (23.2488, 1980),
        (2100..=2150, true) => (21.8510, 1980),
        (2100..=2150, false) => (24.2488, 1980),
        _ => return None,
    };
    let shift = 0.242194 * f64::from(year - 1980);
    let leaps = f64::from(year - leap_from) / 4.0;
    Some((base + shift - leaps.trunc()).floor() as u32)
}

/// The 国民の祝日 of `year` by the law in force that year, sorted, with their names.
fn named_days(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if year < 1949 {
        return Vec::new();
    }
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let mut days: Vec<(Option<NaiveDate>, &'static str)> = vec![
        (ymd(1, 1), "元日"),
        (
            if year < 2000 {
                ymd(1, 15)
            } else {
                nth_monday(year, 1, 2)
            },
            "成人の日",
        ),
        (equinox_day(year, true).and_then(|d| ymd(3, d)), "春分の日"),
        (ymd(5, 3), "憲法記念日"),
        (ymd(5, 5), "こどもの日"),
        (equinox_day(year, false).and_then(|d| ymd(9, d)), "秋分の日"),
        (ymd(11, 3), "文化の日"),
        (ymd(11, 23), "勤労感謝の日"),
    ];
    let mut add = |day: Option<NaiveDate>, name: &'static str| days.push((day, name));
    if year >= 1967 {
        add(ymd(2, 11), "建国記念の日");
    }
    match year {
        ..=1988 => add(ymd(4, 29), "天皇誕生日"),
        1989..=2018 => add(ymd(12, 23), "天皇誕生日"),
        2019 => {}
        _ => add(ymd(2, 23), "天皇誕生日"),
    }
    match year {
        1989..=2006 => add(ymd(4, 29), "みどりの日"),
        2007.. => {
            add(ymd(4, 29), "昭和の日");
            add(ymd(5, 4), "みどりの日");
        }
        _ => {}
    }
    match year {
        1996..=2002 => add(ymd(7, 20), "海の日"),
        2020 => add(ymd(7, 23), "海の日"),
        2021 => add(ymd(7, 22), "海の日"),
        2003.. => add(nth_monday(year, 7, 3), "海の日"),
        _ => {}
    }
    match year {
        2020 => add(ymd(8, 10), "山の日"),
        2021 => add(ymd(8, 8), "山の日"),
        2016.. => add(ymd(8, 11), "山の日"),
        _ => {}
    }
    match year {
        1966..=2002 => add(ymd(9, 15), "敬老の日"),
        2003.. => add(nth_monday(year, 9, 3), "敬老の日"),
        _ => {}
    }
    match year {
        ..=1965 => {}
        1966..=1999 => add(ymd(10, 10), "体育の日"),
        2000..=2019 => add(nth_monday(year, 10, 2), "体育の日"),
        2020 => add(ymd(7, 24), "スポーツの日"),
        2021 => add(ymd(7, 23), "スポーツの日"),
        _ => add(nth_monday(year, 10, 2), "スポーツの日"),
    }
    for &((y, m, d), name) in ONE_OFF {
        if y == year {
            add(ymd(m, d), name);
        }
    }
    let mut days: Vec<(NaiveDate, &'static str)> = days
        .into_iter()
        .filter_map(|(day, name)| day.map(|d| (d, name)))
        .collect();
    days.sort();
    days
}

/// Every national holiday and day off of `year` with its name, sorted: the 国民の祝日, the
/// substitute days (振替休日) and the in-between days (国民の休日).
pub fn holidays_named(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let named = named_days(year);
    let is_named = |day: NaiveDate| named.iter().any(|(d, _)| *d == day);
    let mut all = named.clone();
    // 振替休日: a holiday on a Sunday gives the next day that is not a holiday itself.
    let substitutes_from = NaiveDate::from_ymd_opt(1973, 4, 12);
    for (day, _) in named.iter().filter(|(d, _)| d.weekday() == Weekday::Sun) {
        if Some(*day) < substitutes_from {
            continue;
        }
        let mut next = day.succ_opt();
        while let Some(candidate) = next {
            if !is_named(candidate) {
                all.push((candidate, "振替休日"));
                break;
            }
            next = candidate.succ_opt();
        }
    }
    // 国民の休日: a day other than Sunday between two holidays.
    let between_from = NaiveDate::from_ymd_opt(1985, 12, 27);
    for pair in named.windows(2) {
        let Some(between) = pair[0].0.succ_opt() else {
            continue;
        };
        if between.succ_opt() == Some(pair[1].0)
            && Some(between) >= between_from
            && between.weekday() != Weekday::Sun
            && !all.iter().any(|(d, _)| *d == between)
        {
            all.push((between, "国民の休日"));
        }
    }
    all.sort();
    all
}

/// Every national holiday and day off of `year`, sorted.
pub fn holidays(year: i32) -> Vec<NaiveDate> {
    holidays_named(year).into_iter().map(|(d, _)| d).collect()
}

/// The holiday's name when `date` is a national holiday or a day off by the holiday law.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    holidays_named(date.year())
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, name)| name)
}

pub fn is_holiday(date: NaiveDate) -> bool {
    holiday_name(date).is_some()
}

/// A business day of the default office calendar (weekends, national holidays and 12/29–1/3
/// closed). Code that has the configuration uses its [`super::calendar::Calendar`] instead.
pub fn is_business_day(date: NaiveDate) -> bool {
    super::calendar::Calendar::default().is_business_day(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_laws_changes_are_followed() {
        assert_eq!(holiday_name(d(2019, 5, 1)), Some("天皇の即位の日"));
        assert_eq!(holiday_name(d(2019, 4, 30)), Some("国民の休日"));
        assert_eq!(
            holiday_name(d(2019, 12, 23)),
            None,
            "no emperor's birthday in 2019"
        );
        assert_eq!(holiday_name(d(2020, 7, 24)), Some("スポーツの日"));
        assert_eq!(
            holiday_name(d(2020, 10, 12)),
            None,
            "moved for the Olympics"
        );
        assert_eq!(holiday_name(d(2021, 8, 9)), Some("振替休日"));
        assert_eq!(
            holiday_name(d(1973, 2, 12)),
            None,
            "before substitute days existed"
        );
        assert_eq!(
            holiday_name(d(1985, 5, 4)),
            None,
            "before in-between days existed"
        );
        assert_eq!(holiday_name(d(1988, 5, 4)), Some("国民の休日"));
        assert_eq!(holiday_name(d(2026, 9, 22)), Some("国民の休日"));
    }
}
