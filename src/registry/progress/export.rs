//! `kyodo export progress`: the plan's progress table as offices keep it — one row per action
//! under a heading row per vision (番号, title, related actions), one column per fiscal year
//! labelled in 和暦 and 西暦 (`令和8年度 (2026)`), each cell the year's last status and its
//! notes as dated 「・」 items in date order. CSV, UTF-8 with BOM for Excel; `import progress`
//! reads it back without changing anything.

use chrono::TimeZone;
use chrono_tz::Tz;
use sqlx::SqlitePool;

use super::cell::format_cell;
use crate::plan::era::fy_label;
use crate::plan::fiscal::fiscal_year;
use crate::plan::{action, progress};
use crate::registry::{table::write_csv, ExportError};

/// The table's own columns, before the fiscal years.
pub const COL_VISION: &str = "未来像";
pub const COL_NO: &str = "番号";
pub const COL_TITLE: &str = "アクション";
pub const COL_RELATED: &str = "関連アクション";
/// Dates in the table are the office's.
pub const ZONE: Tz = chrono_tz::Asia::Tokyo;

/// The office's calendar date of a time (unix seconds).
pub fn local_date(at: i64) -> chrono::NaiveDate {
    ZONE.timestamp_opt(at, 0)
        .single()
        .map_or(chrono::NaiveDate::MIN, |t| t.date_naive())
}

/// The table from fiscal year `from_fy` (default: the first year with an update) to the
/// current one (or the last with an update), as of `now` (unix seconds).
pub async fn export(
    pool: &SqlitePool,
    from_fy: Option<i32>,
    now: i64,
) -> Result<Vec<u8>, ExportError> {
    let mut conn = pool.acquire().await?;
    let actions = action::load_all(&mut conn).await?;
    let current = fiscal_year(local_date(now));
    let updates = progress::since_year(&mut conn, from_fy.unwrap_or(i32::MIN)).await?;
    let first = from_fy
        .or_else(|| updates.iter().map(|u| u.fiscal_year).min())
        .unwrap_or(current);
    let last = updates
        .iter()
        .map(|u| u.fiscal_year)
        .max()
        .unwrap_or(current)
        .max(current)
        .max(first);
    let years: Vec<i32> = (first..=last).collect();

    let mut columns: Vec<String> = [COL_VISION, COL_NO, COL_TITLE, COL_RELATED]
        .map(String::from)
        .to_vec();
    columns.extend(years.iter().map(|fy| fy_label(*fy)));
    let blank_years = || vec![String::new(); years.len()];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut vision = None;
    for a in &actions {
        if vision != Some(a.vision) {
            vision = Some(a.vision);
            let mut heading = vec![
                format!("{}. {}", a.vision, a.vision_title),
                String::new(),
                String::new(),
                String::new(),
            ];
            heading.extend(blank_years());
            rows.push(heading);
        }
        let related: Vec<String> = a.related.iter().map(u32::to_string).collect();
        let mut row = vec![
            String::new(),
            a.no.to_string(),
            a.title.clone(),
            related.join("、"),
        ];
        for fy in &years {
            let year: Vec<_> = updates
                .iter()
                .filter(|u| u.action_no == a.no && u.fiscal_year == *fy)
                .collect();
            let items: Vec<(chrono::NaiveDate, &str)> = year
                .iter()
                .filter(|u| !u.note.trim().is_empty())
                .map(|u| (local_date(u.created_at), u.note.as_str()))
                .collect();
            row.push(format_cell(year.last().map(|u| u.status), &items));
        }
        rows.push(row);
    }
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    Ok(write_csv(&header, &rows)?)
}
