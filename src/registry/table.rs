//! A registry CSV read as rows keyed by column name, each remembering its line, and the
//! problems found in it, reported as `FILE:LINE: column: what is wrong`.

use std::collections::HashMap;
use std::fmt;

/// One problem in a registry file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl Problem {
    pub fn render(&self, file: &str) -> String {
        format!("{file}:{}: {}: {}", self.line, self.column, self.message)
    }
}

/// Problems gathered over a whole file, so a person fixes them all in one pass.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, line: u64, column: &str, message: impl fmt::Display) {
        self.0.push(Problem {
            line,
            column: column.to_string(),
            message: message.to_string(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A data row: values by column name, trimmed.
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    values: HashMap<&'static str, String>,
}

impl Row {
    /// The value, trimmed; empty when the column is blank.
    pub fn get(&self, column: &str) -> &str {
        self.values.get(column).map_or("", String::as_str)
    }

    /// The value, or a "missing" problem when blank.
    pub fn required(&self, column: &str, problems: &mut Problems) -> Option<String> {
        let value = self.get(column);
        if value.is_empty() {
            problems.add(self.line, column, "required value is missing");
            None
        } else {
            Some(value.to_string())
        }
    }

    /// A `yes`/`no` column (also はい/いいえ, true/false, 1/0 as people type them).
    pub fn yes_no(&self, column: &str, problems: &mut Problems) -> Option<bool> {
        let value = self.required(column, problems)?;
        match value.to_lowercase().as_str() {
            "yes" | "y" | "true" | "1" | "はい" | "○" => Some(true),
            "no" | "n" | "false" | "0" | "いいえ" | "×" => Some(false),
            _ => {
                problems.add(self.line, column, format!("\"{value}\" is not yes or no"));
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn number(
        &self,
        column: &str,
        range: std::ops::RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<i64> {
        let value = self.required(column, problems)?;
        match value.parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                problems.add(
                    self.line,
                    column,
                    format!(
                        "\"{value}\" is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
        }
    }

    /// A `;`-separated list of numbers within `range`, without repeats.
    pub fn number_list(
        &self,
        column: &str,
        range: std::ops::RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<Vec<i64>> {
        let mut numbers = Vec::new();
        let mut ok = true;
        for item in crate::text::split_list(self.get(column)) {
            match item.parse::<i64>() {
                Ok(n) if range.contains(&n) && !numbers.contains(&n) => numbers.push(n),
                Ok(n) if numbers.contains(&n) => {
                    problems.add(self.line, column, format!("{n} is listed twice"));
                    ok = false;
                }
                _ => {
                    problems.add(
                        self.line,
                        column,
                        format!("\"{item}\" is outside {}–{}", range.start(), range.end()),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(numbers)
    }
}

/// Parses CSV text whose header must name exactly `columns` (in any order).
/// Rows with the wrong number of values are reported, not guessed at.
pub fn read_rows(text: &str, columns: &[&'static str], problems: &mut Problems) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => {
            problems.add(1, "header", error);
            return Vec::new();
        }
        None => {
            problems.add(1, "header", "the file is empty");
            return Vec::new();
        }
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let mut positions = Vec::with_capacity(columns.len());
    for column in columns {
        match names.iter().position(|name| name == column) {
            Some(at) => positions.push((*column, at)),
            None => problems.add(1, column, "column is missing from the header"),
        }
    }
    for name in &names {
        if !columns.contains(&name.as_str()) {
            problems.add(
                1,
                name,
                format!("unknown column (expected: {})", columns.join(",")),
            );
        }
    }
    if !problems.is_empty() {
        return Vec::new();
    }

    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                problems.add(line, "row", format!("unreadable CSV: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|value| value.trim().is_empty()) {
            continue; // Excel leaves blank lines at the end.
        }
        if record.len() != names.len() {
            problems.add(
                line,
                "row",
                format!(
                    "has {} values, the header has {} columns",
                    record.len(),
                    names.len()
                ),
            );
            continue;
        }
        let values = positions
            .iter()
            .map(|&(column, at)| (column, record.get(at).unwrap_or("").trim().to_string()))
            .collect();
        rows.push(Row { line, values });
    }
    rows
}

/// Writes rows in `columns` order, UTF-8 with a BOM so Excel opens Japanese text right.
pub fn write_csv(columns: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(columns)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[&str] = &["id", "name"];

    #[test]
    fn rows_keep_their_lines_and_columns_may_be_reordered() {
        let mut problems = Problems::default();
        let rows = read_rows("name,id\nあ,O1\n\"い\nう\",O2\n", COLUMNS, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows[0].get("id"), "O1");
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].get("name"), "い\nう");
    }

    #[test]
    fn wrong_value_count_is_reported_per_row() {
        let mut problems = Problems::default();
        let rows = read_rows("id,name\nO1\nO2,b,c\nO3,ok\n", COLUMNS, &mut problems);
        assert_eq!(rows.len(), 1);
        let lines: Vec<u64> = problems.0.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3]);
    }

    #[test]
    fn header_problems_name_the_column() {
        let mut problems = Problems::default();
        read_rows("id,nmae\n", COLUMNS, &mut problems);
        let rendered: Vec<String> = problems.0.iter().map(|p| p.render("f.csv")).collect();
        assert!(rendered.contains(&"f.csv:1: name: column is missing from the header".into()));
        assert!(rendered
            .iter()
            .any(|r| r.starts_with("f.csv:1: nmae: unknown column")));
    }

    #[test]
    fn export_starts_with_a_bom() {
        let bytes = write_csv(COLUMNS, &[vec!["O1".into(), "a,b".into()]]).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFid,name\nO1,\"a,b\"\n"));
    }
}
