//! The audit export of consultations: figures and states for reports, without personal text
//! unless an admin asks for it.

use sqlx::SqlitePool;

use super::model::Route;

fn time(at: Option<i64>) -> String {
    at.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// CSV (UTF-8 with BOM) of every consultation; `with_text` adds topic and note.
pub async fn export_csv(pool: &SqlitePool, with_text: bool) -> Result<Vec<u8>, anyhow::Error> {
    let rows = crate::db::consultations::audit_rows(pool).await?;
    let mut columns = vec![
        "number",
        "action",
        "route",
        "state",
        "requester",
        "advisor",
        "created_at",
        "accepted_at",
        "escalated_at",
        "closed_at",
        "offers",
    ];
    if with_text {
        columns.extend(["topic", "note"]);
    }
    let records: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let action = Route::parse(&r.route).map_or(0, Route::action);
            let mut record = vec![
                r.id.to_string(),
                action.to_string(),
                r.route,
                r.state,
                r.requester_id,
                r.advisor_id.unwrap_or_default(),
                time(Some(r.created_at)),
                time(r.accepted_at),
                time(r.escalated_at),
                time(r.closed_at),
                r.offers.to_string(),
            ];
            if with_text {
                record.push(r.topic.unwrap_or_default());
                record.push(r.resolution_note.unwrap_or_default());
            }
            record
        })
        .collect();
    Ok(crate::registry::table::write_csv(&columns, &records)?)
}
