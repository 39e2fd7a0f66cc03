//! Config errors in the office's terms: which key (`search.limit`), where it is in the file, and
//! what it takes (`a whole number from 1 to 25`), instead of serde's `expected usize`.

use std::ops::Range;

/// What each key takes, in words an office admin reads. Keys of `[[schedules]]` are named
/// `schedules.KEY`.
const HELP: &[(&str, &str)] = &[
    ("database", "a file name for the database, in quotes"),
    ("default_language", "ja or en"),
    ("prompts_dir", "a folder, in quotes"),
    ("search.limit", "a whole number from 1 to 25"),
    ("consult.offer_timeout_hours", "a whole number of hours"),
    ("consult.max_open_per_requester", "a whole number"),
    ("consult.max_topic_chars", "a whole number of characters"),
    ("consult.retention_days", "a whole number of days"),
    (
        "consult.coordinator_channel_id",
        "a Discord channel id (digits, no quotes)",
    ),
    (
        "consult.coordinator_role_id",
        "a Discord role id (digits, no quotes)",
    ),
    (
        "consult.thread_channel_id",
        "a Discord channel id (digits, no quotes)",
    ),
    ("consult.contact", "advisor-dm or private-thread"),
    ("consult.routing.require_language", "true or false"),
    ("consult.routing.count_open_offers", "true or false"),
    ("consult.routing.min_fit", "a number from 0 to 1"),
    ("plan.stale_days", "a whole number of days, 1 or more"),
    ("plan.chart_font", "a font file, in quotes"),
    ("schedules.name", "a name in quotes"),
    (
        "schedules.cron",
        "a cron line in quotes, e.g. \"0 0 9 * * Mon\"",
    ),
    (
        "schedules.timezone",
        "an IANA time zone in quotes, e.g. \"Asia/Tokyo\"",
    ),
    (
        "schedules.channel",
        "a Discord channel id (digits, no quotes)",
    ),
    ("schedules.kind", "progress-digest or consultation-sla"),
    ("schedules.on_holiday", "run, skip or next-business-day"),
    ("schedules.language", "ja or en"),
    (
        "discord.guild_id",
        "a Discord server id (digits, no quotes)",
    ),
    (
        "discord.staff_role_ids",
        "a list of Discord role ids, e.g. [123, 456]",
    ),
    (
        "discord.coordinator_role_ids",
        "a list of Discord role ids, e.g. [123, 456]",
    ),
    (
        "discord.admin_role_ids",
        "a list of Discord role ids, e.g. [123, 456]",
    ),
    ("discord.api_base", "an http(s) URL in quotes"),
    (
        "calendar.closed",
        "a list of yearly closures, e.g. [\"12-29..01-03\"]",
    ),
    (
        "calendar.closed_dates",
        "a list of dates, e.g. [\"2027-05-06\", \"2026-08-13..2026-08-14\"]",
    ),
];

/// What `key` takes, in words.
pub fn help(key: &str) -> Option<&'static str> {
    HELP.iter().find(|(k, _)| *k == key).map(|(_, h)| *h)
}

/// The table a line belongs to, from its `[table]` or `[[table]]` header.
fn header(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]"));
    let inner = inner.or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')))?;
    Some(inner.trim().replace(['"', ' '], ""))
}

/// The key assigned on `line` (`limit = 5` → `limit`), if any.
fn assigned(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('#')).then_some(key)
}

fn join(table: &str, key: &str) -> String {
    let key = key.trim_matches('"');
    if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    }
}

/// The dotted key whose line holds byte `offset` (`search.limit`), or the table's name.
pub fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let mut table = String::new();
    let mut key = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if start > offset {
            break;
        }
        if let Some(name) = header(line) {
            table = name;
            key = None;
        } else if let Some(k) = assigned(line) {
            key = Some(k.to_string());
        }
        start += line.len();
    }
    match key {
        Some(key) => join(&table, &key),
        None => table,
    }
}

/// Where the value of `table.key` starts, to point an error at it; `None` when the file does not
/// set it (the default is in force).
pub fn locate(text: &str, table: &str, key: &str) -> Option<Range<usize>> {
    let mut current = String::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(name) = header(line) {
            current = name;
        } else if current == table && assigned(line).map(|k| k.trim_matches('"')) == Some(key) {
            let eq = line.find('=')?;
            let value = eq + 1 + (line[eq + 1..].len() - line[eq + 1..].trim_start().len());
            return Some(start + value..start + line.trim_end().len());
        }
        start += line.len();
    }
    None
}

/// The value serde found, from `invalid type: string "five", expected usize`.
fn found(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (what, _) = rest.split_once(", expected")?;
    let shown = match what.split_once(' ') {
        Some(("string", value)) => value.to_string(),
        Some((_, value)) => value.trim_matches('`').to_string(),
        None => format!("a {what}"),
    };
    Some(shown)
}

/// A type name serde expected, in words.
fn in_words(expected: &str) -> &'static str {
    match expected.trim() {
        "usize" | "u8" | "u16" | "u32" | "u64" | "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a string" => "text in quotes",
        "a sequence" => "a list in [ ]",
        _ => "another kind of value",
    }
}

/// serde's message about `key`, said in the office's terms.
pub fn explain(key: &str, message: &str) -> String {
    let message = message.trim();
    if let Some(field) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        let known: Vec<&str> = message
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let table = key.rsplit_once('.').map_or("", |(t, _)| t);
        let name = join(table, field);
        return if known.is_empty() {
            format!("{name}: not a setting kyodo knows")
        } else {
            format!(
                "{name}: not a setting kyodo knows (here: {})",
                known.join(", ")
            )
        };
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        let name = join(key, field);
        return match help(&name) {
            Some(help) => format!("{name} is missing: {help}"),
            None => format!("{name} is missing"),
        };
    }
    if let Some(value) = message
        .strip_prefix("unknown variant `")
        .and_then(|m| m.split('`').next())
    {
        return match help(key) {
            Some(help) => format!("{key}: {help}, not \"{value}\""),
            None => format!("{key}: \"{value}\" is not a value kyodo knows"),
        };
    }
    if message.starts_with("invalid type:") || message.starts_with("invalid value:") {
        let expected = message.rsplit_once("expected ").map_or("", |(_, e)| e);
        let help = help(key).unwrap_or_else(|| in_words(expected));
        return match found(message) {
            Some(value) => format!("{key}: {help}, not {value}"),
            None => format!("{key}: {help}"),
        };
    }
    if key.is_empty() {
        format!("not valid TOML: {message}")
    } else {
        format!("{key}: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "database = \"k.db\"\n\n[search]\nlimit = \"five\"\n\n[[schedules]]\nname = \"w\"\n";

    #[test]
    fn keys_are_found_by_line_and_by_name() {
        let at = TEXT.find("\"five\"").unwrap();
        assert_eq!(key_at(TEXT, at), "search.limit");
        assert_eq!(key_at(TEXT, TEXT.find("\"w\"").unwrap()), "schedules.name");
        assert_eq!(key_at(TEXT, 3), "database");
        let range = locate(TEXT, "search", "limit").unwrap();
        assert_eq!(&TEXT[range], "\"five\"");
        assert_eq!(locate(TEXT, "consult", "contact"), None);
    }

    #[test]
    fn serde_messages_become_the_offices_words() {
        assert_eq!(
            explain(
                "search.limit",
                "invalid type: string \"five\", expected usize"
            ),
            "search.limit: a whole number from 1 to 25, not \"five\""
        );
        assert_eq!(
            explain(
                "consult.routing.min_fit",
                "invalid type: string \"high\", expected f32"
            ),
            "consult.routing.min_fit: a number from 0 to 1, not \"high\""
        );
        assert_eq!(
            explain(
                "default_language",
                "unknown variant `fr`, expected `ja` or `en`"
            ),
            "default_language: ja or en, not \"fr\""
        );
        assert_eq!(
            explain("search.limmit", "unknown field `limmit`, expected `limit`"),
            "search.limmit: not a setting kyodo knows (here: limit)"
        );
        assert_eq!(
            explain("schedules", "missing field `cron`"),
            "schedules.cron is missing: a cron line in quotes, e.g. \"0 0 9 * * Mon\""
        );
    }
}
