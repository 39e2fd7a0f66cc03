//! Who sees which consultations in `/consultations`.

use sqlx::SqlitePool;

use super::model::Consultation;
use super::settings::ConsultError;
use crate::db;

/// Which consultations a list shows.
pub enum Listing<'a> {
    /// The requester's own, newest first (at most 20).
    Requester(&'a str),
    /// Offered to or assigned to this advisor, still open.
    Advisor(&'a str),
    /// Every open one (the coordinators' queue), oldest first.
    Queue,
}

pub async fn list(
    pool: &SqlitePool,
    listing: Listing<'_>,
) -> Result<Vec<Consultation>, ConsultError> {
    let rows = match listing {
        Listing::Requester(id) => db::consultations::of_requester(pool, id).await?,
        Listing::Advisor(id) => db::consultations::of_advisor(pool, id).await?,
        Listing::Queue => db::consultations::open_queue(pool).await?,
    };
    Ok(rows.into_iter().map(Consultation::from).collect())
}
