//! A new consultation: checked, numbered, and offered to the best-fitting advisor or escalated.

use sqlx::SqlitePool;

use super::change::{Actor, Change};
use super::model::{Consultation, Route};
use super::offers::offer_next;
use super::settings::{ConsultError, Settings};
use super::state::State;
use crate::db;
use crate::directory::search::Searcher;
use crate::lang::Lang;

/// Submits `topic` for `requester_id` on `route`, replying in `language`.
///
/// Errors: `EmptyTopic`, `TopicTooLong` (over `settings.max_topic_chars` characters),
/// `AlreadyOpen` (the requester has an open one with the same topic),
/// `TooManyOpen` (the requester already has `settings.max_open_per_requester` open), `Store`.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    requester_id: &str,
    route: Route,
    language: Lang,
    topic: &str,
) -> Result<Consultation, ConsultError> {
    let topic = topic.trim();
    if topic.is_empty() {
        return Err(ConsultError::EmptyTopic);
    }
    if topic.chars().count() > settings.max_topic_chars {
        return Err(ConsultError::TopicTooLong {
            max: settings.max_topic_chars,
        });
    }
    // Understood before the write lock is taken: language work never holds it.
    let understood = searcher.understand(topic);
    let mut change = Change::begin(pool, now, Actor::Requester(requester_id)).await?;
    let open = db::consultations::open_count_of(change.conn(), requester_id).await?;
    if open >= settings.max_open_per_requester {
        return Err(ConsultError::TooManyOpen {
            max: settings.max_open_per_requester,
        });
    }
    // The same request sent twice (a double submit, a retry) is the one already open.
    if let Some(number) =
        db::consultations::open_with_topic(change.conn(), requester_id, topic).await?
    {
        return Err(ConsultError::AlreadyOpen { number });
    }
    // Created escalated; offering moves it on (or leaves it for the coordinators).
    let id = db::consultations::insert(
        change.conn(),
        route.as_str(),
        requester_id,
        language.code(),
        topic,
        State::Escalated.as_str(),
        now,
    )
    .await?;
    let consultation = change.load(id).await?;
    offer_next(&mut change, settings, &understood, &consultation, None, "").await?;
    change.finish(id).await
}
