//! Reading a progress table: the header is the first row naming fiscal years (和暦 or 西暦);
//! title lines above it are skipped. Each later row is one action, by its `番号` column or
//! else by the number opening its first cell (`【アクション10】…`, `10.`); rows without one
//! and without any year filled in are headings. Tab-separated when any line has a tab (as
//! offices paste their tables), else CSV.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use super::cell::{parse_cell, Cell};
use super::export::COL_NO;
use crate::plan::era::{fy_label, parse_fy};
use crate::registry::table::Problems;

/// One non-empty cell: which action and year, where it is, what it says.
pub struct Found {
    pub line: u64,
    pub column: String,
    pub action: u32,
    pub fy: i32,
    pub cell: Cell,
}

/// The header: each fiscal-year column (position, year, name as written), and the 番号
/// column if there is one.
struct Header {
    years: Vec<(usize, i32, String)>,
    number_column: Option<usize>,
}

/// The action a row is about: its 番号 cell, or the number opening its first cell.
fn action_number(cell: &str, dedicated: bool) -> Option<Result<u32, String>> {
    let text: String = cell.nfkc().collect::<String>().trim().to_string();
    if text.is_empty() {
        return None;
    }
    let rest = if dedicated {
        text.as_str()
    } else {
        let t = text.trim_start_matches('【');
        ["行動計画", "アクション", "Action", "action", "No.", "No"]
            .iter()
            .find_map(|word| t.strip_prefix(word))
            .unwrap_or(t)
            .trim_start()
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<u32>() {
        Ok(n) => Some(Ok(n)),
        Err(_) if dedicated => Some(Err(format!("\"{text}\" is not an action number"))),
        Err(_) => None,
    }
}

pub fn read_table(
    text: &str,
    known: &HashSet<u32>,
    current_fy: i32,
    problems: &mut Problems,
) -> Vec<Found> {
    let delimiter = if text.lines().any(|l| l.contains('\t')) {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header: Option<Header> = None;
    let mut seen: Vec<(u32, u64)> = Vec::new();
    let mut found = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                problems.add(line, "row", format!("unreadable: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let Some(Header {
            years,
            number_column,
        }) = &header
        else {
            let mut years = Vec::new();
            for (at, name) in record.iter().enumerate() {
                match parse_fy(name) {
                    Ok(Some(fy)) if years.iter().any(|(_, y, _)| *y == fy) => {
                        problems.add(line, name.trim(), format!("{} appears twice", fy_label(fy)));
                    }
                    Ok(Some(fy)) => years.push((at, fy, name.trim().to_string())),
                    Ok(None) => {}
                    Err(reason) => problems.add(line, name.trim(), reason),
                }
            }
            if !years.is_empty() {
                let number_column = record.iter().position(|name| {
                    let name = name.trim();
                    name == COL_NO
                        || name.eq_ignore_ascii_case("no")
                        || name.eq_ignore_ascii_case("no.")
                });
                header = Some(Header {
                    years,
                    number_column,
                });
            }
            continue;
        };
        let cells: Vec<(&(usize, i32, String), &str)> = years
            .iter()
            .map(|y| (y, record.get(y.0).unwrap_or("").trim()))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        let number_cell = record.get(number_column.unwrap_or(0)).unwrap_or("");
        let column_name = if number_column.is_some() {
            COL_NO
        } else {
            "action"
        };
        let action = match action_number(number_cell, number_column.is_some()) {
            None if cells.is_empty() => continue, // a heading or a blank line
            None => {
                problems.add(
                    line,
                    column_name,
                    "no action number (write 10 or 【アクション10】)",
                );
                continue;
            }
            Some(Err(reason)) => {
                problems.add(line, column_name, reason);
                continue;
            }
            Some(Ok(n)) => n,
        };
        if !known.contains(&action) {
            problems.add(line, column_name, format!("there is no action {action}"));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == action) {
            problems.add(
                line,
                column_name,
                format!("action {action} is listed twice (first on line {first})"),
            );
            continue;
        }
        seen.push((action, line));
        for ((_, fy, name), text) in cells {
            if *fy > current_fy {
                problems.add(line, name, format!("{} has not started yet", fy_label(*fy)));
                continue;
            }
            match parse_cell(text, *fy) {
                Ok(cell) => found.push(Found {
                    line,
                    column: name.clone(),
                    action,
                    fy: *fy,
                    cell,
                }),
                Err(reason) => problems.add(line, name, reason),
            }
        }
    }
    if header.is_none() {
        problems.add(
            1,
            "header",
            "no fiscal-year column (令和8年度, 2026年度 or FY2026)",
        );
    }
    found
}
