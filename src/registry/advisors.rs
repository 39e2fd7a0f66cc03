//! `advisors.csv` ↔ [`Advisor`].

use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::cells::{MAX_ID, MAX_LONG_TEXT, MAX_SHORT_TEXT};
use super::record::{join_numbers, yes_no, Record};
use super::table::{Problems, Row};
use crate::consult::advisor::{self, Advisor, Serves};
use crate::text::split_list;

impl Record for Advisor {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "discord_user_id",
        "serves",
        "fields",
        "specialties",
        "languages",
        "capacity",
        "active",
    ];
    const KEY_COLUMN: &'static str = "id";

    fn key(&self) -> String {
        self.id.clone()
    }

    fn parse(row: &Row, problems: &mut Problems) -> Option<Self> {
        let id = row.required_text("id", MAX_ID, problems);
        let name = row.required_text("name", MAX_SHORT_TEXT, problems);
        let user = row.required("discord_user_id", problems).and_then(|value| {
            discord_user_id(&value)
                .map_err(|message| problems.add(row.line, "discord_user_id", message))
                .ok()
        });
        let specialties = row.text("specialties", MAX_LONG_TEXT, problems);
        let serves = row.required("serves", problems).and_then(|value| {
            let serves = Serves::parse(&value);
            if serves.is_none() {
                problems.add(
                    row.line,
                    "serves",
                    format!("\"{value}\" is not citizen, staff or both"),
                );
            }
            serves
        });
        let fields = row.number_list("fields", 1..=20, 20, problems);
        let languages = row.required("languages", problems).and_then(|value| {
            let codes: Vec<String> = split_list(&value)
                .into_iter()
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let bad: Vec<&String> = codes
                .iter()
                .filter(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_lowercase()))
                .collect();
            if !bad.is_empty() {
                problems.add(
                    row.line,
                    "languages",
                    format!("{bad:?} are not ISO 639-1 codes such as ja or en"),
                );
                return None;
            }
            Some(codes)
        });
        let capacity = row.number("capacity", 0..=1000, problems);
        let active = row.yes_no("active", problems);
        Some(Advisor {
            id: id?,
            name: name?,
            chat_user_id: user?,
            serves: serves?,
            fields: fields?.into_iter().map(|n| n as u8).collect(),
            specialties: split_list(&specialties?),
            languages: languages?,
            capacity: capacity? as u32,
            active: active?,
        })
    }

    fn to_row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.chat_user_id.clone(),
            self.serves.as_str().to_string(),
            join_numbers(&self.fields),
            self.specialties.join(";"),
            self.languages.join(";"),
            self.capacity.to_string(),
            yes_no(self.active),
        ]
    }

    /// One Discord account is one advisor, in the registry as it will be after this file:
    /// records not in the file keep their ids, the file's rows take theirs (so a swap is fine).
    fn check_together(rows: &[(u64, Self)], stored: &[Self], problems: &mut Problems) {
        let in_file: HashMap<&str, u64> = rows.iter().map(|(l, a)| (a.id.as_str(), *l)).collect();
        let mut owners: HashMap<&str, (&str, Option<u64>)> = stored
            .iter()
            .filter(|a| !in_file.contains_key(a.id.as_str()))
            .map(|a| (a.chat_user_id.as_str(), (a.id.as_str(), None)))
            .collect();
        for (line, advisor) in rows {
            match owners.get(advisor.chat_user_id.as_str()) {
                Some((other, first)) => problems.add(
                    *line,
                    "discord_user_id",
                    match first {
                        Some(first) => format!(
                            "{} is also advisor {other}'s (line {first}); one Discord account is one advisor",
                            advisor.chat_user_id
                        ),
                        None => format!(
                            "{} already belongs to advisor {other} (not in this file); one Discord account is one advisor",
                            advisor.chat_user_id
                        ),
                    },
                ),
                None => {
                    owners.insert(&advisor.chat_user_id, (&advisor.id, Some(*line)));
                }
            }
        }
    }

    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error> {
        advisor::load_all(conn).await
    }

    /// Frees the file's advisors' Discord ids first: the unique index then holds for swaps.
    async fn save_all(
        conn: &mut SqliteConnection,
        records: &[Self],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let ids: Vec<&str> = records.iter().map(|a| a.id.as_str()).collect();
        crate::db::advisors::release_user_ids(conn, &ids).await?;
        for record in records {
            advisor::save(conn, record, now).await?;
        }
        Ok(())
    }
}

/// Excel keeps 15 significant digits of a number: longer ids come back with zeros at the end.
const EXCEL_DIGITS: usize = 15;

/// A Discord user id (a "snowflake": 17–20 digits, within 64 bits), or what is wrong with it
/// in the office's terms, with the fix when Excel is the cause.
fn discord_user_id(value: &str) -> Result<String, String> {
    use unicode_normalization::UnicodeNormalization;
    let digits: String = value.nfkc().collect();
    let keep_as_text = "format the column as text in Excel and copy the id from Discord again";
    if digits.contains(['E', 'e']) && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{value}\" is an id Excel turned into a number; {keep_as_text}"
        ));
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "\"{value}\" is not a Discord user id (17 to 20 digits, from Discord's Copy User ID)"
        ));
    }
    if digits.starts_with('0') || !(17..=20).contains(&digits.len()) {
        return Err(format!(
            "\"{value}\" cannot be a Discord user id (17 to 20 digits, not starting with 0)"
        ));
    }
    if digits.parse::<u64>().is_err() {
        return Err(format!(
            "\"{value}\" is larger than any Discord user id (at most {})",
            u64::MAX
        ));
    }
    if digits.len() > EXCEL_DIGITS && digits[EXCEL_DIGITS..].bytes().all(|b| b == b'0') {
        return Err(format!(
            "\"{value}\" ends in the zeros Excel leaves when it cuts a number to {EXCEL_DIGITS} digits; {keep_as_text}"
        ));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::discord_user_id;

    #[test]
    fn discord_ids_are_checked_for_what_excel_and_typing_do_to_them() {
        assert_eq!(
            discord_user_id("９１０００００００００００００００１"),
            Ok("910000000000000001".into())
        );
        for (value, says) in [
            ("910000000000000000", "the zeros Excel leaves"),
            ("9.1E+17", "Excel turned into a number"),
            ("000000000000000000", "cannot be a Discord user id"),
            ("99999999999999999999", "larger than any Discord user id"),
            ("1234", "cannot be a Discord user id"),
            ("@aoki", "is not a Discord user id"),
        ] {
            let error = discord_user_id(value).unwrap_err();
            assert!(error.contains(says), "{value}: {error}");
        }
    }
}
