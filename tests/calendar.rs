//! The office calendar against the Cabinet Office's own list of national holidays and days off,
//! every year it has published (tests/data/cabinet-office-holidays.csv, source noted beside it).

use std::collections::BTreeMap;

use chrono::NaiveDate;

const LIST: &str = include_str!("data/cabinet-office-holidays.csv");

fn published() -> BTreeMap<i32, Vec<NaiveDate>> {
    let mut years: BTreeMap<i32, Vec<NaiveDate>> = BTreeMap::new();
    for line in LIST.lines().skip(1) {
        let (date, _name) = line.split_once(',').expect("date,name");
        let date = NaiveDate::parse_from_str(date, "%Y/%m/%d").expect("a Y/M/D date");
        years
            .entry(date.format("%Y").to_string().parse().unwrap())
            .or_default()
            .push(date);
    }
    years
}

#[test]
fn national_holidays_match_the_cabinet_office_list_for_every_published_year() {
    let years = published();
    assert_eq!(years.keys().next(), Some(&1955));
    assert_eq!(years.keys().last(), Some(&2027));
    let mut wrong = Vec::new();
    for (year, days) in &years {
        let ours = kyodo::plan::holidays::holidays(*year);
        for day in days.iter().filter(|d| !ours.contains(d)) {
            wrong.push(format!("{day}: missing"));
        }
        for day in ours.iter().filter(|d| !days.contains(d)) {
            wrong.push(format!("{day}: not a holiday"));
        }
    }
    assert!(wrong.is_empty(), "{} mismatches: {wrong:?}", wrong.len());
}
