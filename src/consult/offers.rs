//! Offers: to the next candidate the routing policy names, accepted by exactly one advisor,
//! or passed on when declined, timed out or undeliverable; escalated when nobody is left.

use sqlx::{SqliteConnection, SqlitePool};

use super::advisor;
use super::change::{Actor, Change};
use super::model::Consultation;
use super::routing;
use super::settings::{ConsultError, Contact, Settings};
use super::state::{Event, State};
use super::tell;
use crate::db;
use crate::directory::search::query::Query;
use crate::directory::search::Searcher;

/// Offers `consultation` to the next candidate, or escalates it when nobody is left. `from` is
/// its state before (None for a new one); `why` prefixes the audit reason.
pub(super) async fn offer_next(
    change: &mut Change<'_>,
    settings: &Settings,
    topic: &Query,
    consultation: &Consultation,
    from: Option<State>,
    why: &str,
) -> Result<State, ConsultError> {
    let standings = routing::standings(change.conn(), consultation.id).await?;
    let choices = routing::rank(
        &standings,
        consultation.route,
        consultation.language,
        topic,
        &settings.routing,
    );
    let chosen = choices.first().and_then(|choice| {
        standings
            .iter()
            .find(|s| s.advisor.id == choice.advisor_id)
            .map(|s| (choice, &s.advisor))
    });

    let Some((choice, advisor)) = chosen else {
        let to = match from {
            Some(state) => super::state::transition(state, Event::Escalate)?,
            None => State::Escalated,
        };
        let reason = format!("{why}no advisor available: escalated to the coordinators");
        change.enter(consultation.id, from, to, &reason).await?;
        let asked = db::offers::count_for(change.conn(), consultation.id).await?;
        tell::escalated(change, settings, consultation, asked, from.is_some()).await?;
        return Ok(to);
    };

    let to = match from {
        Some(state) => super::state::transition(state, Event::OfferNext)?,
        None => State::Offered,
    };
    let expires_at = change.now + settings.offer_timeout_secs;
    let now = change.now;
    let offer =
        db::offers::insert(change.conn(), consultation.id, &advisor.id, now, expires_at).await?;
    let reason = format!("{why}offered to {}", choice.reason);
    change.enter(consultation.id, from, to, &reason).await?;
    let fields = routing::matched_labels(advisor, topic, tell::advisor_lang(advisor));
    tell::offer(change, consultation, offer, advisor, fields, expires_at).await?;
    Ok(to)
}

/// The open offer `offer` and its consultation, checked to be `advisor_id`'s (when given).
async fn open_offer(
    conn: &mut SqliteConnection,
    offer: i64,
    advisor_id: Option<&str>,
    now: i64,
) -> Result<i64, ConsultError> {
    let found = db::offers::get(conn, offer)
        .await?
        .ok_or(ConsultError::NotFound)?;
    if advisor_id.is_some_and(|a| a != found.advisor_id) {
        return Err(ConsultError::NotYours);
    }
    // Past its time an offer is closed, whether or not the worker has noticed yet.
    if found.state != "open" || (advisor_id.is_some() && now >= found.expires_at) {
        return Err(ConsultError::OfferClosed);
    }
    Ok(found.consultation_id)
}

/// The offered advisor takes the consultation. Exactly one acceptance ever succeeds.
pub async fn accept(
    pool: &SqlitePool,
    now: i64,
    offer: i64,
    advisor_id: &str,
    contact: Contact,
) -> Result<Consultation, ConsultError> {
    let mut change = Change::begin(pool, now, Actor::Advisor(advisor_id)).await?;
    let id = open_offer(change.conn(), offer, Some(advisor_id), now).await?;
    let consultation = change.load(id).await?;
    super::state::transition(consultation.state, Event::Accept)?;
    if !db::offers::close(change.conn(), offer, "accepted", now).await?
        || !db::consultations::assign_if(change.conn(), id, State::Offered.as_str(), advisor_id)
            .await?
    {
        return Err(ConsultError::OfferClosed);
    }
    change
        .apply(
            &consultation,
            Event::Accept,
            &format!("offer {offer} accepted"),
        )
        .await?;
    let advisor = advisor::find(change.conn(), advisor_id).await?;
    tell::assigned(&mut change, &consultation, &advisor, contact).await?;
    change.finish(id).await
}

/// How an offer ended without acceptance.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Declined,
    Expired,
    Undeliverable,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Declined => "declined",
            Outcome::Expired => "expired",
            Outcome::Undeliverable => "undeliverable",
        }
    }
}

/// Ends an open offer without acceptance and moves the consultation to the next candidate.
async fn pass_on(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    offer: i64,
    advisor_id: Option<&str>,
    outcome: Outcome,
) -> Result<Consultation, ConsultError> {
    // The topic is understood before the write lock is taken: language work never holds it.
    let topic = {
        let mut conn = pool.acquire().await?;
        let found = db::offers::get(&mut conn, offer).await?;
        let consultation = match found {
            Some(found) => db::consultations::get(&mut conn, found.consultation_id).await?,
            None => None,
        };
        let text = consultation.and_then(|c| c.topic).unwrap_or_default();
        searcher.understand(&text)
    };
    let actor = advisor_id.map_or(Actor::System, Actor::Advisor);
    let mut change = Change::begin(pool, now, actor).await?;
    let id = open_offer(change.conn(), offer, advisor_id, now).await?;
    if !db::offers::close(change.conn(), offer, outcome.as_str(), now).await? {
        return Err(ConsultError::OfferClosed);
    }
    let consultation = change.load(id).await?;
    if consultation.state == State::Offered {
        let why = format!("offer {offer} {}; ", outcome.as_str());
        offer_next(
            &mut change,
            settings,
            &topic,
            &consultation,
            Some(State::Offered),
            &why,
        )
        .await?;
    }
    change.finish(id).await
}

/// The advisor says no; the next candidate is offered it.
pub async fn decline(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    offer: i64,
    advisor_id: &str,
) -> Result<Consultation, ConsultError> {
    let declined = Outcome::Declined;
    pass_on(
        pool,
        now,
        settings,
        searcher,
        offer,
        Some(advisor_id),
        declined,
    )
    .await
}

/// The advisor's DMs are closed: the offer never reached them.
pub async fn undeliverable(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    offer: i64,
) -> Result<Consultation, ConsultError> {
    let outcome = Outcome::Undeliverable;
    pass_on(pool, now, settings, searcher, offer, None, outcome).await
}

/// Offers nobody answered in time go to the next candidate. Returns how many expired.
pub async fn expire_due(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
) -> Result<usize, ConsultError> {
    let mut expired = 0;
    for offer in db::offers::due(pool, now).await? {
        match pass_on(pool, now, settings, searcher, offer, None, Outcome::Expired).await {
            Ok(_) => expired += 1,
            Err(ConsultError::OfferClosed) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(expired)
}

/// An open offer of `consultation` to `advisor_id`, if any (for a typed `/accept N`).
pub async fn open_offer_for(
    pool: &SqlitePool,
    consultation: i64,
    advisor_id: &str,
) -> Result<Option<i64>, ConsultError> {
    Ok(db::offers::open_for(pool, consultation, advisor_id).await?)
}
