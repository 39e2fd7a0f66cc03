//! A registry CSV read as rows keyed by column name, each remembering the physical line where
//! it starts, and the problems found in it, reported as `FILE:LINE: column: what is wrong`.

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
    pub(crate) values: HashMap<&'static str, String>,
}

/// Physical line numbers (1-based) of byte offsets: counts `\n`, so LF and CRLF files and
/// line breaks inside quoted cells all give the line a text editor shows.
struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        Lines {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(at, _)| at)
                .collect(),
        }
    }

    /// The line of the record whose reading began at `offset`: the csv reader's position may
    /// sit on the previous record's line ending, which belongs to no record.
    fn line_of(&self, text: &str, offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        let skipped = text.as_bytes()[offset..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let start = offset + skipped;
        self.newlines.partition_point(|&at| at < start) as u64 + 1
    }
}

/// The header as read: which column sits where, and the nameless columns to keep empty.
struct Header {
    positions: Vec<(&'static str, usize)>,
    /// Columns with no name (Excel's trailing empties): must stay empty in every row.
    nameless: Vec<usize>,
    width: usize,
}

fn read_header(
    names: &[String],
    columns: &[&'static str],
    problems: &mut Problems,
) -> Option<Header> {
    if let [only] = names {
        if let Some(separator) = [';', '\t'].into_iter().find(|c| only.contains(*c)) {
            let shown = if separator == '\t' { "tabs" } else { "\";\"" };
            problems.add(
                1,
                "header",
                format!("the columns are separated by {shown}; save the file as CSV (commas), e.g. Excel's \"CSV UTF-8\""),
            );
            return None;
        }
    }
    let mut positions = Vec::with_capacity(columns.len());
    let mut nameless = Vec::new();
    for (at, name) in names.iter().enumerate() {
        if name.is_empty() {
            nameless.push(at);
            continue;
        }
        if let Some(first) = names[..at].iter().position(|n| n == name) {
            problems.add(
                1,
                name,
                format!(
                    "named twice in the header (columns {} and {}); keep one",
                    first + 1,
                    at + 1
                ),
            );
            continue;
        }
        match columns.iter().find(|c| **c == name) {
            Some(column) => positions.push((*column, at)),
            None => problems.add(
                1,
                name,
                format!("unknown column (expected: {})", columns.join(",")),
            ),
        }
    }
    for column in columns {
        if !names.iter().any(|name| name == column) {
            problems.add(1, column, "column is missing from the header");
        }
    }
    // Only trailing nameless columns may be dropped from short rows.
    let width = names
        .iter()
        .rposition(|n| !n.is_empty())
        .map_or(0, |at| at + 1);
    problems.is_empty().then_some(Header {
        positions,
        nameless,
        width,
    })
}

/// Parses CSV text whose header must name exactly `columns` (in any order, each once).
/// Columns without a name are ignored while every value under them is empty (Excel adds
/// them); a value under one is reported by its position. Rows with the wrong number of
/// values are reported, not guessed at.
pub fn read_rows(text: &str, columns: &[&'static str], problems: &mut Problems) -> Vec<Row> {
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let names: Vec<String> = match records.next() {
        Some(Ok(header)) => header.iter().map(|h| h.trim().to_string()).collect(),
        Some(Err(error)) => {
            problems.add(1, "header", error);
            return Vec::new();
        }
        None => {
            problems.add(1, "header", "the file is empty");
            return Vec::new();
        }
    };
    let Some(header) = read_header(&names, columns, problems) else {
        return Vec::new();
    };

    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error
                    .position()
                    .map_or(0, |p| lines.line_of(text, p.byte()));
                problems.add(line, "row", "unreadable CSV (a quote left open?)");
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| lines.line_of(text, p.byte()));
        if record.iter().all(|value| value.trim().is_empty()) {
            continue; // Excel leaves blank lines at the end.
        }
        let extra_filled = record
            .iter()
            .skip(names.len())
            .any(|v| !v.trim().is_empty());
        if record.len() < header.width || extra_filled {
            problems.add(
                line,
                "row",
                format!(
                    "has {} values, the header has {} columns",
                    record.len(),
                    header.width
                ),
            );
            continue;
        }
        if let Some(&at) = header
            .nameless
            .iter()
            .find(|&&at| record.get(at).is_some_and(|v| !v.trim().is_empty()))
        {
            problems.add(
                line,
                &format!("column {}", at + 1),
                "a value under a column with no name in the header",
            );
            continue;
        }
        let values = header
            .positions
            .iter()
            .map(|&(column, at)| {
                let value = restore(record.get(at).unwrap_or("").trim());
                (column, value.to_string())
            })
            .collect();
        rows.push(Row { line, values });
    }
    rows
}

/// A cell that a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, tab
/// or carriage return (OWASP's CSV-injection list). `'` is included so that the quote kyodo
/// adds can be told from one that was there.
fn needs_quote(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// The cell as exported: a leading `'` makes Excel show it as text, never as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_quote(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The cell as imported: the `'` that [`neutralise`] added is taken off again, so an export
/// imports unchanged.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// Writes rows in `columns` order, UTF-8 with a BOM so Excel opens Japanese text right, every
/// cell [`neutralise`]d.
pub fn write_csv(columns: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(columns)?;
        for row in rows {
            writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[&str] = &["id", "name"];

    fn lines_of(text: &str) -> (Vec<u64>, Vec<String>) {
        let mut problems = Problems::default();
        let rows = read_rows(text, COLUMNS, &mut problems);
        let rendered = problems.0.iter().map(|p| p.render("f.csv")).collect();
        (rows.iter().map(|r| r.line).collect(), rendered)
    }

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
    fn lines_are_physical_for_lf_crlf_and_multi_line_cells() {
        let lf = "id,name\nO1,a\n\"O2\",\"two\nlines\"\nO3,c\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines_of(lf).0, vec![2, 3, 5]);
        assert_eq!(lines_of(&crlf).0, vec![2, 3, 5]);
        let (_, problems) = lines_of("id,name\r\nO1,a\r\n\"O2\",\"x\r\ny\"\r\nO3\r\n");
        assert_eq!(
            problems,
            vec!["f.csv:5: row: has 1 values, the header has 2 columns"]
        );
    }

    #[test]
    fn wrong_value_count_is_reported_per_row() {
        let (lines, problems) = lines_of("id,name\nO1\nO2,b,c\nO3,ok\n");
        assert_eq!(lines, vec![4]);
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("f.csv:2: row:"));
        assert!(problems[1].starts_with("f.csv:3: row:"));
    }

    #[test]
    fn excels_trailing_empty_columns_are_ignored_unless_filled() {
        let (lines, problems) = lines_of("id,name,,\nO1,a,,\nO2,b\nO3,c,,\n");
        assert_eq!((lines, problems.len()), (vec![2, 3, 4], 0), "{problems:?}");
        let (_, problems) = lines_of("id,name,,\nO1,a,,x\n");
        assert_eq!(
            problems,
            vec!["f.csv:2: column 4: a value under a column with no name in the header"]
        );
    }

    #[test]
    fn header_problems_name_the_column() {
        let (_, rendered) = lines_of("id,nmae\n");
        assert!(rendered.contains(&"f.csv:1: name: column is missing from the header".into()));
        assert!(rendered
            .iter()
            .any(|r| r.starts_with("f.csv:1: nmae: unknown column")));
        let (_, rendered) = lines_of("id,name,id\nO1,a,O2\n");
        assert_eq!(
            rendered,
            vec!["f.csv:1: id: named twice in the header (columns 1 and 3); keep one"]
        );
    }

    #[test]
    fn a_file_separated_by_semicolons_or_tabs_is_named_as_such() {
        let (_, rendered) = lines_of("id;name\nO1;a\n");
        assert_eq!(
            rendered,
            vec!["f.csv:1: header: the columns are separated by \";\"; save the file as CSV (commas), e.g. Excel's \"CSV UTF-8\""]
        );
        let (_, rendered) = lines_of("id\tname\nO1\ta\n");
        assert!(rendered[0].contains("separated by tabs"), "{rendered:?}");
    }

    #[test]
    fn export_starts_with_a_bom_and_formulas_become_text() {
        let bytes = write_csv(COLUMNS, &[vec!["O1".into(), "a,b".into()]]).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFid,name\nO1,\"a,b\"\n"));
        for cell in [
            "=1+1", "+81 3", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "'plain",
        ] {
            let shown = neutralise(cell);
            assert!(shown.starts_with('\''), "{cell:?} → {shown:?}");
            assert_eq!(restore(&shown), cell);
        }
        assert_eq!(neutralise("子ども食堂"), "子ども食堂");
        assert_eq!(
            restore("'plain"),
            "'plain",
            "a quote kyodo did not add stays"
        );
    }
}
