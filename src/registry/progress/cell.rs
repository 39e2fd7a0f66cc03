//! One cell of the progress table: the year's status and its activities as 「・」 items,
//! e.g. `【状況】実施中` then `・5/12 相談窓口の案内を始めた`. Items may carry a date (M/D within
//! the fiscal year, or YYYY/M/D, or YYYY-MM-DD) before the text; offices' own tables often
//! write none, and items may follow each other on one line (`・研修 ・交流会`).

use chrono::{Datelike, NaiveDate};

use crate::plan::era::fy_label;
use crate::plan::fiscal::bounds;
use crate::plan::progress::Status;

/// What starts the status line of a cell.
pub const STATUS_MARK: &str = "【状況】";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub date: Option<NaiveDate>,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub status: Option<Status>,
    pub items: Vec<Item>,
}

/// A cell as the export writes it: the status line, then one dated item per line.
pub fn format_cell(status: Option<Status>, items: &[(NaiveDate, &str)]) -> String {
    let mut lines = Vec::with_capacity(items.len() + 1);
    if let Some(status) = status {
        lines.push(format!(
            "{STATUS_MARK}{}",
            status.label(crate::lang::Lang::Ja)
        ));
    }
    for (date, note) in items {
        lines.push(format!("・{} {note}", date.format("%-m/%-d")));
    }
    lines.join("\n")
}

/// Notes are the same when they differ only in spacing and line breaks.
pub fn same_note(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    squeeze(a) == squeeze(b)
}

/// Reads a cell of fiscal year `fy`; the error says what is wrong, for `FILE:LINE: column:`.
pub fn parse_cell(text: &str, fy: i32) -> Result<Cell, String> {
    let mut cell = Cell::default();
    let mut segments = split_items(text.trim()).into_iter();
    let mut first = segments.next();
    if let Some(head) = first.filter(|h| !h.starts_with('・')) {
        let status_rest = [STATUS_MARK, "状況：", "状況:"]
            .iter()
            .find_map(|mark| head.strip_prefix(mark));
        if let Some(rest) = status_rest {
            let rest = rest.trim_start();
            let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            cell.status = Some(Status::parse(&word).ok_or_else(|| {
                format!("「{word}」 is not a status (未着手・実施中・完了・遅れ・見直し)")
            })?);
            let remainder = rest[word.len()..].trim();
            first = (!remainder.is_empty()).then_some(remainder);
        }
    }
    for segment in first.into_iter().chain(segments) {
        let segment = segment.strip_prefix('・').unwrap_or(segment).trim();
        if !segment.is_empty() {
            cell.items.push(parse_item(segment, fy)?);
        }
    }
    Ok(cell)
}

/// Splits before each 「・」 that starts the text or follows white space (a 「・」 inside a
/// phrase, as in 制度・活用団体, stays).
fn split_items(text: &str) -> Vec<&str> {
    let mut starts = vec![0];
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        if c == '・' && at > 0 && previous.is_some_and(char::is_whitespace) {
            starts.push(at);
        }
        previous = Some(c);
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| text[w[0]..w[1]].trim())
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_item(text: &str, fy: i32) -> Result<Item, String> {
    let (token, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let Some(date) = parse_date(token, fy) else {
        return Ok(Item {
            date: None,
            note: text.to_string(),
        });
    };
    let (first, last) = bounds(fy);
    if date < first || date > last {
        return Err(format!("{token} is not in {}", fy_label(fy)));
    }
    Ok(Item {
        date: Some(date),
        note: rest.trim().to_string(),
    })
}

/// YYYY/M/D, YYYY-MM-DD, or M/D (the year the month has within fiscal year `fy`).
fn parse_date(token: &str, fy: i32) -> Option<NaiveDate> {
    for format in ["%Y/%m/%d", "%Y-%m-%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(token, format) {
            return Some(date);
        }
    }
    let (m, d) = token.split_once('/')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let year = if m >= 4 { fy } else { fy + 1 };
    NaiveDate::from_ymd_opt(year, m, d).filter(|date| date.month() == m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_formatted_cell_reads_back_the_same() {
        let text = format_cell(
            Some(Status::InProgress),
            &[
                (d(2026, 5, 12), "窓口の案内"),
                (d(2027, 2, 3), "報告会・交流会"),
            ],
        );
        assert_eq!(
            text,
            "【状況】実施中\n・5/12 窓口の案内\n・2/3 報告会・交流会"
        );
        let cell = parse_cell(&text, 2026).unwrap();
        assert_eq!(cell.status, Some(Status::InProgress));
        assert_eq!(
            cell.items,
            vec![
                Item {
                    date: Some(d(2026, 5, 12)),
                    note: "窓口の案内".into()
                },
                Item {
                    date: Some(d(2027, 2, 3)),
                    note: "報告会・交流会".into()
                },
            ]
        );
    }

    #[test]
    fn undated_items_on_one_line_keep_their_inner_dots() {
        let cell = parse_cell("・職員研修の実施 ・制度・活用団体の周知", 2021).unwrap();
        assert_eq!(cell.status, None);
        let notes: Vec<&str> = cell.items.iter().map(|i| i.note.as_str()).collect();
        assert_eq!(notes, vec!["職員研修の実施", "制度・活用団体の周知"]);
        assert!(cell.items.iter().all(|i| i.date.is_none()));
    }

    #[test]
    fn wrong_statuses_and_dates_outside_the_year_are_named() {
        assert_eq!(
            parse_cell("【状況】たぶん\n・研修", 2026).unwrap_err(),
            "「たぶん」 is not a status (未着手・実施中・完了・遅れ・見直し)"
        );
        assert_eq!(
            parse_cell("・2025/5/1 研修", 2026).unwrap_err(),
            "2025/5/1 is not in 令和8年度 (2026)"
        );
    }
}
