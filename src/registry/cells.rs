//! One cell's checks, in the office's terms: what the value should look like, with the fix
//! when the mistake is a common one (a wrong separator, full-width digits, Excel's number
//! formats). Digits are read after NFKC, so `１３` is 13.

use std::ops::RangeInclusive;

use unicode_normalization::UnicodeNormalization;

use super::table::{Problems, Row};

/// Longest value any text column takes (characters). Longer is a pasted document, not an
/// entry: it would make every search slow for a value nobody reads.
pub const MAX_LONG_TEXT: usize = 2000;
/// Longest id of a record (characters).
pub const MAX_ID: usize = 32;
/// Longest value of a name-like or code-like column (characters).
pub const MAX_SHORT_TEXT: usize = 200;

/// Yes/no as offices type them: English, Japanese and the ○/× marks of a paper form.
const YES: &[&str] = &[
    "yes", "y", "true", "1", "はい", "有", "あり", "○", "〇", "◯",
];
const NO: &[&str] = &[
    "no",
    "n",
    "false",
    "0",
    "いいえ",
    "無",
    "なし",
    "×",
    "✕",
    "☓",
    "x",
];

fn width_folded(value: &str) -> String {
    value.nfkc().collect::<String>().trim().to_string()
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

    /// Free text of at most `max` characters (may be empty).
    pub fn text(&self, column: &str, max: usize, problems: &mut Problems) -> Option<String> {
        let value = self.get(column);
        let chars = value.chars().count();
        if chars > max {
            problems.add(
                self.line,
                column,
                format!("{chars} characters; at most {max} fit here"),
            );
            return None;
        }
        Some(value.to_string())
    }

    /// Required text of at most `max` characters.
    pub fn required_text(
        &self,
        column: &str,
        max: usize,
        problems: &mut Problems,
    ) -> Option<String> {
        self.required(column, problems)?;
        self.text(column, max, problems)
    }

    /// One of `choices` (compared after width folding, so `ＮＰＯ法人` is `NPO法人`), or empty.
    pub fn choice(
        &self,
        column: &str,
        choices: &[&'static str],
        problems: &mut Problems,
    ) -> Option<String> {
        let value = self.get(column);
        if value.is_empty() {
            return Some(String::new());
        }
        let folded = width_folded(value);
        match choices.iter().find(|c| width_folded(c) == folded) {
            Some(choice) => Some((*choice).to_string()),
            None => {
                problems.add(
                    self.line,
                    column,
                    format!("\"{value}\" is not one of {}", choices.join("、")),
                );
                None
            }
        }
    }

    /// A yes/no column: yes/no, はい/いいえ, 〇/×, true/false, 1/0.
    pub fn yes_no(&self, column: &str, problems: &mut Problems) -> Option<bool> {
        let value = self.required(column, problems)?;
        let folded = width_folded(&value).to_lowercase();
        if YES.contains(&folded.as_str()) {
            Some(true)
        } else if NO.contains(&folded.as_str()) {
            Some(false)
        } else {
            problems.add(
                self.line,
                column,
                format!("\"{value}\" is not yes or no (yes/no, はい/いいえ, 〇/×)"),
            );
            None
        }
    }

    /// A whole number within `range` (full-width digits accepted).
    pub fn number(
        &self,
        column: &str,
        range: RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<i64> {
        let value = self.required(column, problems)?;
        match width_folded(&value).parse::<i64>() {
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

    /// A `;`-separated list of numbers within `range`, without repeats, with at most `most`
    /// items (full-width digits and `；` accepted).
    pub fn number_list(
        &self,
        column: &str,
        range: RangeInclusive<i64>,
        most: usize,
        problems: &mut Problems,
    ) -> Option<Vec<i64>> {
        let value = width_folded(self.get(column));
        let (lo, hi) = (range.start(), range.end());
        if let Some(separator) = wrong_separator(&value) {
            let fixed: Vec<&str> = value
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .collect();
            problems.add(
                self.line,
                column,
                format!(
                    "\"{value}\": separate numbers with ; not {separator} (\"{}\")",
                    fixed.join(";")
                ),
            );
            return None;
        }
        let mut numbers = Vec::new();
        let mut ok = true;
        for item in crate::text::split_list(&value) {
            match item.parse::<i64>() {
                Ok(n) if numbers.contains(&n) => {
                    problems.add(self.line, column, format!("{n} is listed twice"));
                    ok = false;
                }
                Ok(n) if range.contains(&n) => numbers.push(n),
                _ => {
                    problems.add(
                        self.line,
                        column,
                        format!("\"{item}\" is not a number from {lo} to {hi}"),
                    );
                    ok = false;
                }
            }
        }
        if ok && numbers.len() > most {
            problems.add(
                self.line,
                column,
                format!("{} numbers; at most {most} fit here", numbers.len()),
            );
            ok = false;
        }
        ok.then_some(numbers)
    }
}

/// The separator someone used between numbers instead of `;`, if any (`13,1`, `13、1`, `13 1`).
fn wrong_separator(value: &str) -> Option<String> {
    let mut chars = value.chars().peekable();
    let mut seen_digit = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            seen_digit = true;
            continue;
        }
        if c == ';' || !seen_digit {
            seen_digit = false;
            continue;
        }
        // A run of non-digits between two numbers, other than `;`.
        let mut run = c.to_string();
        while let Some(&next) = chars.peek() {
            if next.is_ascii_digit() || next == ';' {
                break;
            }
            run.push(next);
            chars.next();
        }
        if chars.peek().is_some_and(char::is_ascii_digit) && !run.contains(';') {
            let shown = run.trim();
            return Some(if shown.is_empty() {
                "a space".to_string()
            } else {
                format!("\"{shown}\"")
            });
        }
        seen_digit = false;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn row(column: &'static str, value: &str) -> Row {
        Row {
            line: 7,
            values: HashMap::from([(column, value.to_string())]),
        }
    }

    fn said<T>(f: impl FnOnce(&Row, &mut Problems) -> Option<T>, value: &str) -> String {
        let mut problems = Problems::default();
        let _ = f(&row("c", value), &mut problems);
        problems
            .0
            .iter()
            .map(|p| p.render("f.csv"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn number_lists_name_the_wrong_separator_and_take_full_width_digits() {
        let list = |r: &Row, p: &mut Problems| r.number_list("c", 1..=20, 3, p);
        assert_eq!(
            said(list, "13,1"),
            "f.csv:7: c: \"13,1\": separate numbers with ; not \",\" (\"13;1\")"
        );
        assert!(said(list, "13、1").contains("not \"、\""));
        assert!(said(list, "13 1").contains("not a space"));
        assert_eq!(said(list, "１３；１"), "");
        let mut problems = Problems::default();
        assert_eq!(
            row("c", "１３；１").number_list("c", 1..=20, 3, &mut problems),
            Some(vec![13, 1])
        );
        assert_eq!(
            said(list, "1;2;3;4"),
            "f.csv:7: c: 4 numbers; at most 3 fit here"
        );
        assert_eq!(
            said(list, "6;21"),
            "f.csv:7: c: \"21\" is not a number from 1 to 20"
        );
        assert_eq!(said(list, "6;6"), "f.csv:7: c: 6 is listed twice");
    }

    #[test]
    fn yes_and_no_as_offices_write_them() {
        let mut problems = Problems::default();
        for (value, want) in [
            ("〇", true),
            ("○", true),
            ("はい", true),
            ("YES", true),
            ("×", false),
            ("いいえ", false),
            ("no", false),
        ] {
            assert_eq!(
                row("c", value).yes_no("c", &mut problems),
                Some(want),
                "{value}"
            );
        }
        assert!(problems.is_empty());
        assert_eq!(
            said(|r, p| r.yes_no("c", p), "maybe"),
            "f.csv:7: c: \"maybe\" is not yes or no (yes/no, はい/いいえ, 〇/×)"
        );
    }

    #[test]
    fn choices_lengths_and_numbers() {
        let forms = &["任意団体", "NPO法人"];
        let mut problems = Problems::default();
        assert_eq!(
            row("c", "ＮＰＯ法人").choice("c", forms, &mut problems),
            Some("NPO法人".into())
        );
        assert_eq!(
            said(|r, p| r.choice("c", forms, p), "株式会社"),
            "f.csv:7: c: \"株式会社\" is not one of 任意団体、NPO法人"
        );
        assert_eq!(
            said(|r, p| r.text("c", 3, p), "あいうえ"),
            "f.csv:7: c: 4 characters; at most 3 fit here"
        );
        assert_eq!(said(|r, p| r.number("c", 1..=4, p), "３"), "");
        assert_eq!(
            said(|r, p| r.number("c", 1..=4, p), "9"),
            "f.csv:7: c: \"9\" is not a whole number from 1 to 4"
        );
    }
}
