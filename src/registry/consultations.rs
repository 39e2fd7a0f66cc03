//! `consultations.csv`, the audit export of consultations: figures and states for reports, without personal text
//! unless an admin asks for it.

use sqlx::SqlitePool;

use crate::consult::model::Route;

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
    Ok(super::table::write_csv(&columns, &records)?)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_formula_typed_as_a_topic_is_exported_as_text() {
        let pool = crate::store::open_in_memory().await.unwrap();
        crate::db::testing::exec(&pool, "INSERT INTO consultations (route, requester_id, language, topic, state, resolution_note, created_at)
             VALUES ('citizen', 'u1', 'ja', '=1+1', 'escalated', '@SUM(A1)', 0)").await.unwrap();
        let bytes = super::export_csv(&pool, true).await.unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[11], "'=1+1", "Excel shows it, never runs it");
        assert_eq!(&record[12], "'@SUM(A1)");
    }
}
