//! When the private thread for a consultation cannot be made (the requester is not a member
//! of the server, or the bot may not add them), requester and advisor are told so, and that
//! the advisor will write by DM instead: the advisor-DM route, and nobody left believing in a
//! thread that does not exist.

use sqlx::SqlitePool;

use super::advisor;
use super::change::{Actor, Change};
use super::settings::ConsultError;
use super::tell;

/// Tells requester and advisor of consultation `id` that there is no thread and the advisor
/// writes by DM. Once per consultation (dedupe keys). Errors: `NotFound`, `UnknownAdvisor`.
pub async fn no_thread(pool: &SqlitePool, now: i64, id: i64) -> Result<(), ConsultError> {
    let mut change = Change::begin(pool, now, Actor::System).await?;
    let consultation = change.load(id).await?;
    let advisor_id = consultation
        .advisor_id
        .clone()
        .ok_or(ConsultError::UnknownAdvisor)?;
    let advisor = advisor::find(change.conn(), &advisor_id).await?;
    tell::no_thread(&mut change, &consultation, &advisor).await?;
    change.finish(id).await.map(|_| ())
}
