//! A consultation's later life: a coordinator assigns it, the advisor resolves it with a note,
//! the requester cancels it; and an advisor's availability for new offers.

use sqlx::SqlitePool;

use super::advisor;
use super::change::{Actor, Change};
use super::model::Consultation;
use super::settings::{ConsultError, Contact};
use super::state::Event;
use super::tell;
use crate::db;

/// A coordinator gives the consultation to an advisor (withdrawing any open offer).
pub async fn assign(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    advisor_id: &str,
    coordinator_id: &str,
    contact: Contact,
) -> Result<Consultation, ConsultError> {
    let mut change = Change::begin(pool, now, Actor::Coordinator(coordinator_id)).await?;
    let consultation = change.load(id).await?;
    super::state::transition(consultation.state, Event::Assign)?;
    let advisor = advisor::find(change.conn(), advisor_id).await?;
    db::offers::withdraw_open(change.conn(), id, now).await?;
    db::consultations::assign_if(change.conn(), id, consultation.state.as_str(), advisor_id)
        .await?;
    let reason = format!("assigned to {advisor_id}");
    change.apply(&consultation, Event::Assign, &reason).await?;
    tell::assigned(&mut change, &consultation, &advisor, contact).await?;
    change.finish(id).await
}

/// The assigned advisor closes it with a note (cut to `max_chars` characters); the requester
/// is told.
pub async fn resolve(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    advisor_id: &str,
    note: &str,
    max_chars: usize,
) -> Result<Consultation, ConsultError> {
    let note = crate::text::truncate_chars(note.trim(), max_chars);
    let mut change = Change::begin(pool, now, Actor::Advisor(advisor_id)).await?;
    let consultation = change.load(id).await?;
    if consultation.advisor_id.as_deref() != Some(advisor_id) {
        return Err(ConsultError::NotYours);
    }
    super::state::transition(consultation.state, Event::Resolve)?;
    db::consultations::set_resolution_note(change.conn(), id, note).await?;
    change
        .apply(&consultation, Event::Resolve, "resolved with a note")
        .await?;
    tell::resolved(&mut change, &consultation, note).await?;
    change.finish(id).await
}

/// The requester withdraws it; an advisor it was offered or assigned to is told.
pub async fn cancel(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    requester_id: &str,
) -> Result<Consultation, ConsultError> {
    let mut change = Change::begin(pool, now, Actor::Requester(requester_id)).await?;
    let consultation = change.load(id).await?;
    if consultation.requester_id != requester_id {
        return Err(ConsultError::NotYours);
    }
    super::state::transition(consultation.state, Event::Cancel)?;
    let offered = db::offers::withdraw_open(change.conn(), id, now).await?;
    change
        .apply(&consultation, Event::Cancel, "cancelled by the requester")
        .await?;
    if let Some(advisor_id) = offered.or(consultation.advisor_id.clone()) {
        match advisor::find(change.conn(), &advisor_id).await {
            Ok(told) => tell::cancelled(&mut change, &consultation, &told).await?,
            Err(ConsultError::UnknownAdvisor) => {}
            Err(error) => return Err(error),
        }
    }
    change.finish(id).await
}

/// An advisor sets whether they take new offers. Errors: `UnknownAdvisor`, `Store`.
pub async fn set_availability(
    pool: &SqlitePool,
    advisor_id: &str,
    available: bool,
) -> Result<(), ConsultError> {
    if !db::advisors::set_available(pool, advisor_id, available).await? {
        return Err(ConsultError::UnknownAdvisor);
    }
    Ok(())
}
