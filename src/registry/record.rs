//! What the import and export need to know about one kind of registry record.

use sqlx::SqliteConnection;

use super::table::{Problems, Row};

pub(crate) trait Record: Sized + Clone + PartialEq {
    /// Column names in export order; an import accepts them in any order.
    const COLUMNS: &'static [&'static str];
    /// The id column, named in "listed twice" problems.
    const KEY_COLUMN: &'static str;

    fn key(&self) -> String;
    /// The record, or `None` with every problem of the row added.
    fn parse(row: &Row, problems: &mut Problems) -> Option<Self>;
    fn to_row(&self) -> Vec<String>;
    /// Checks that span rows (e.g. related actions must exist); `rows` are (line, record).
    fn check_together(_rows: &[(u64, Self)], _stored: &[Self], _problems: &mut Problems) {}
    async fn load_all(conn: &mut SqliteConnection) -> Result<Vec<Self>, sqlx::Error>;
    /// Gets the records of a checked file ready to save, on this connection, without the write
    /// lock (a kind with many records stages them; the default has nothing to do).
    async fn stage(
        _conn: &mut SqliteConnection,
        _records: &[Self],
        _now: i64,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
    /// Frees what [`Record::stage`] kept, once the write transaction is over.
    async fn clear_staged(_conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        Ok(())
    }
    /// Saves every record of a checked file, after [`Record::stage`] on the same connection,
    /// inside the write transaction.
    async fn save_all(
        conn: &mut SqliteConnection,
        records: &[Self],
        now: i64,
    ) -> Result<(), sqlx::Error>;
}

/// Numbers as a `;`-separated registry list.
pub(crate) fn join_numbers<T: ToString>(numbers: &[T]) -> String {
    numbers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

pub(crate) fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}
