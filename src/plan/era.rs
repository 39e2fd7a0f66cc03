//! Fiscal-year labels as Japanese offices write them: 和暦 (令和8年度, 令和元年度, 平成30年度,
//! R8) or 西暦 (2026年度, FY2026, 2026). Era starts from the Cabinet's era announcements:
//! 平成 began in 1989, 令和 on 2019-05-01; FY2019 is written 令和元年度 (or 平成31年度).

use unicode_normalization::UnicodeNormalization;

const REIWA_ZERO: i32 = 2018;
const HEISEI_ZERO: i32 = 1988;

/// `令和8年度 (2026)`: the 和暦 name and the 西暦 year of fiscal year `fy`.
pub fn fy_label(fy: i32) -> String {
    let (era, n) = if fy > REIWA_ZERO {
        ("令和", fy - REIWA_ZERO)
    } else {
        ("平成", fy - HEISEI_ZERO)
    };
    let n = if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    };
    format!("{era}{n}年度 ({fy})")
}

/// The fiscal year a header cell names, None when it names none, or the reason it is wrong
/// (an era year that disagrees with the 西暦 beside it).
pub fn parse_fy(label: &str) -> Result<Option<i32>, String> {
    let text: String = label.nfkc().filter(|c| !c.is_whitespace()).collect();
    let era = era_year(&text);
    let western = four_digit_year(&text);
    match (era, western) {
        (Some(e), Some(w)) if e != w => Err(format!(
            "\"{label}\": the era year is FY{e} but {w} is written beside it"
        )),
        (Some(year), _) | (None, Some(year)) => Ok(Some(year)),
        (None, None) => Ok(None),
    }
}

/// 令和N年度 / 平成N年度 / RN / HN (N a number or 元).
fn era_year(text: &str) -> Option<i32> {
    let (zero, rest) = if let Some(rest) = text.strip_prefix("令和") {
        (REIWA_ZERO, rest)
    } else if let Some(rest) = text.strip_prefix("平成") {
        (HEISEI_ZERO, rest)
    } else if let Some(rest) = text.strip_prefix(['R', 'r']) {
        (REIWA_ZERO, rest.strip_suffix("年度").unwrap_or(rest))
    } else if let Some(rest) = text.strip_prefix(['H', 'h']) {
        (HEISEI_ZERO, rest.strip_suffix("年度").unwrap_or(rest))
    } else {
        return None;
    };
    if let Some(after) = rest.strip_prefix('元') {
        return after.starts_with('年').then_some(zero + 1);
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n: i32 = digits.parse().ok()?;
    let after = &rest[digits.len()..];
    // "R8" alone, or "8年度…"; anything else after the number is not a year label.
    (after.is_empty() || after.starts_with('年')).then_some(zero + n)
}

/// A 西暦 year written as 2026, 2026年度, FY2026, or in brackets after an era year.
fn four_digit_year(text: &str) -> Option<i32> {
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let digits: String = rest[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let before = &text[..offset + start];
        let after = &rest[start + digits.len()..];
        let plain = matches!(before, "" | "FY" | "fy" | "(" | "（")
            || before.ends_with("年度(")
            || before.ends_with("年度（");
        let tail_ok = matches!(after, "" | "年度" | ")" | "）" | "年度)" | "年度）");
        if let Ok(year) = digits.parse::<i32>() {
            if digits.len() == 4 && plain && tail_ok && (1989..=2200).contains(&year) {
                return Some(year);
            }
        }
        offset += start + digits.len();
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_both_calendars() {
        assert_eq!(fy_label(2026), "令和8年度 (2026)");
        assert_eq!(fy_label(2019), "令和元年度 (2019)");
        assert_eq!(fy_label(2018), "平成30年度 (2018)");
    }

    #[test]
    fn headers_in_either_calendar() {
        for (label, fy) in [
            ("令和2年度", 2020),
            ("令和８年度", 2026),
            ("令和元年度", 2019),
            ("平成31年度", 2019),
            ("R7", 2025),
            ("2026年度", 2026),
            ("FY2024", 2024),
            ("2023", 2023),
            ("令和8年度 (2026)", 2026),
        ] {
            assert_eq!(parse_fy(label), Ok(Some(fy)), "{label}");
        }
        for label in ["行動計画・ねらい", "番号", "アクション10", "Related", "12"] {
            assert_eq!(parse_fy(label), Ok(None), "{label}");
        }
        assert!(parse_fy("令和8年度 (2025)").is_err());
    }
}
