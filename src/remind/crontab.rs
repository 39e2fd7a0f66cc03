//! A schedule's cron line as office admins write it, turned into the cron crate's form: the
//! 6-field line (seconds first) as is, crontab's 5-field line (minute first) with second 0, and
//! weekday numbers read as crontab reads them — 0 and 7 Sunday, 1 Monday … 6 Saturday — by
//! writing them as names (the cron crate alone would read 1 as Sunday).

use std::str::FromStr;

const NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Why a cron line cannot be used, in one line with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrontabError {
    #[error("has {0} fields; write 6 (second minute hour day month weekday, e.g. \"0 0 9 * * Mon\") or crontab's 5 (minute hour day month weekday)")]
    FieldCount(usize),
    #[error("weekday {0:?} is not a weekday (0–7 as in crontab, 0 and 7 Sunday, or Sun–Sat)")]
    Weekday(String),
    #[error("{0}")]
    Syntax(String),
    #[error("never fires (no such date, e.g. 31 February)")]
    Never,
}

/// The line in the cron crate's 6- or 7-field form, and the parsed schedule.
pub fn parse(line: &str) -> Result<(String, cron::Schedule), CrontabError> {
    let mut fields: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    match fields.len() {
        5 => fields.insert(0, "0".to_string()),
        6 | 7 => {}
        n => return Err(CrontabError::FieldCount(n)),
    }
    fields[5] = weekdays(&fields[5])?;
    let normalised = fields.join(" ");
    let schedule = cron::Schedule::from_str(&normalised)
        .map_err(|error| CrontabError::Syntax(one_line(&error.to_string())))?;
    if schedule.upcoming(chrono::Utc).next().is_none() {
        return Err(CrontabError::Never);
    }
    Ok((normalised, schedule))
}

/// The cron crate's reason (several lines, a caret under the field) as one line: its last line,
/// with "less than N" said as what it means ("at most N").
fn one_line(reason: &str) -> String {
    let last = reason
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.chars().all(|c| c == '^'))
        .unwrap_or("");
    if let Some((field, rest)) = last.split_once(" must be less than ") {
        let max = rest.split('.').next().unwrap_or(rest);
        let value = rest.split('\'').nth(1).unwrap_or("?");
        return format!("{field}: {value} is out of range (at most {max})");
    }
    if last.is_empty() || last.ends_with(':') {
        return "is not a cron line: second minute hour day month weekday, e.g. \"0 0 9 * * Mon\""
            .into();
    }
    last.to_string()
}

fn day_index(text: &str) -> Option<usize> {
    if let Ok(n) = text.parse::<usize>() {
        return (n <= 7).then_some(n % 7);
    }
    let lower = text.to_ascii_lowercase();
    NAMES
        .iter()
        .position(|name| lower.len() >= 3 && name.to_ascii_lowercase().starts_with(&lower[..3]))
        .filter(|&at| {
            let full = [
                "sunday",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
            ][at];
            lower.len() == 3 || lower == full
        })
}

/// The weekday field with every day written as a name: `1-5` → `Mon,Tue,Wed,Thu,Fri`.
fn weekdays(field: &str) -> Result<String, CrontabError> {
    if field == "*" || field == "?" {
        return Ok(field.to_string());
    }
    let bad = || CrontabError::Weekday(field.to_string());
    let mut days = [false; 7];
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (
                base,
                step.parse::<usize>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(bad)?,
            ),
            None => (item, 1),
        };
        let (from, to) = match base {
            "*" | "?" => (0, 6),
            _ => match base.split_once('-') {
                Some((a, b)) => {
                    let a = day_index(a).ok_or_else(bad)?;
                    // `5-7` is Friday to Sunday: 7 ends the week, it does not start it.
                    let b = if b == "7" {
                        7
                    } else {
                        day_index(b).ok_or_else(bad)?
                    };
                    if b < a {
                        return Err(bad());
                    }
                    (a, b)
                }
                None => {
                    let day = day_index(base).ok_or_else(bad)?;
                    (day, if step > 1 { 6 } else { day })
                }
            },
        };
        for day in (from..=to).step_by(step) {
            days[day % 7] = true;
        }
    }
    if days.iter().all(|d| *d) {
        return Ok("*".to_string());
    }
    Ok(NAMES
        .iter()
        .zip(days)
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_numbers_are_read_as_crontab_reads_them() {
        assert_eq!(weekdays("1-5").unwrap(), "Mon,Tue,Wed,Thu,Fri");
        assert_eq!(weekdays("0").unwrap(), "Sun");
        assert_eq!(weekdays("7").unwrap(), "Sun");
        assert_eq!(weekdays("1").unwrap(), "Mon");
        assert_eq!(weekdays("5-7").unwrap(), "Sun,Fri,Sat");
        assert_eq!(weekdays("Mon-Fri").unwrap(), "Mon,Tue,Wed,Thu,Fri");
        assert_eq!(weekdays("mon,wed").unwrap(), "Mon,Wed");
        assert_eq!(weekdays("*/2").unwrap(), "Sun,Tue,Thu,Sat");
        assert_eq!(weekdays("0-7").unwrap(), "*");
        assert!(weekdays("8").is_err());
        assert!(weekdays("Moonday").is_err());
    }

    #[test]
    fn five_fields_are_crontabs_minute_first_line() {
        let (line, _) = parse("0 9 * * 1").unwrap();
        assert_eq!(line, "0 0 9 * * Mon");
        assert_eq!(
            parse("0 9 * *").unwrap_err().to_string(),
            "has 4 fields; write 6 (second minute hour day month weekday, e.g. \"0 0 9 * * Mon\") or crontab's 5 (minute hour day month weekday)"
        );
    }

    #[test]
    fn a_line_that_never_fires_is_refused() {
        assert_eq!(parse("0 0 9 31 2 *").unwrap_err(), CrontabError::Never);
        assert_eq!(
            parse("0 0 25 * * Mon").unwrap_err().to_string(),
            "Hours: 25 is out of range (at most 23)"
        );
        assert_eq!(
            parse("0 60 9 * * Mon").unwrap_err().to_string(),
            "Minutes: 60 is out of range (at most 59)"
        );
    }
}
