//! Consultations in the store: every change in one `BEGIN IMMEDIATE` transaction with its audit
//! event and the outbox rows of the notices it causes. Concurrent clicks and submissions are
//! serialised by SQLite's write lock; conditional updates make each step happen exactly once.

use sqlx::{SqliteConnection, SqlitePool};

use super::advisor;
use super::model::{Consultation, ConsultationRow, Route, CONSULTATION_COLUMNS};
use super::notice::ConsultNotice;
use super::routing::{self, Standing};
use super::state::{transition, Event, Refused, State};
use crate::directory::search::Searcher;
use crate::lang::Lang;
use crate::outbox::{self, Notice, Target};

#[derive(Debug, Clone)]
pub struct Settings {
    /// How long an advisor has to answer an offer.
    pub offer_timeout_secs: i64,
    pub max_open_per_requester: i64,
    pub max_topic_chars: usize,
    /// Where escalations are posted, and whom they mention.
    pub coordinator_channel: Option<u64>,
    pub coordinator_role: Option<u64>,
    /// The routing policy's knobs.
    pub routing: routing::Knobs,
    /// How requester and advisor meet once it is accepted.
    pub contact: Contact,
}

/// How requester and advisor are put in touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// The advisor writes to the requester by DM.
    AdvisorDm,
    /// The bot opens a private thread for both in this channel.
    PrivateThread(u64),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            offer_timeout_secs: 24 * 3600,
            max_open_per_requester: 3,
            max_topic_chars: 1000,
            coordinator_channel: None,
            coordinator_role: None,
            routing: routing::Knobs::default(),
            contact: Contact::AdvisorDm,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConsultError {
    #[error("the topic is empty")]
    EmptyTopic,
    #[error("the topic is longer than {max} characters")]
    TopicTooLong { max: usize },
    #[error("the requester already has {max} open consultations")]
    TooManyOpen { max: i64 },
    #[error("no consultation or offer with that number")]
    NotFound,
    #[error("that consultation or offer is someone else's")]
    NotYours,
    #[error("the offer is no longer open")]
    OfferClosed,
    #[error("no such advisor")]
    UnknownAdvisor,
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

/// Who caused a change, for the audit trail.
pub enum Actor<'a> {
    Requester(&'a str),
    Advisor(&'a str),
    Coordinator(&'a str),
    System,
}

impl Actor<'_> {
    fn label(&self) -> String {
        match self {
            Actor::Requester(id) => format!("requester:{id}"),
            Actor::Advisor(id) => format!("advisor:{id}"),
            Actor::Coordinator(id) => format!("coordinator:{id}"),
            Actor::System => "system".to_string(),
        }
    }
}

/// Moves a consultation to `to`, stamping what entering that state records (escalated_at,
/// accepted_at, closed_at), and writes its audit event: one place for every state change.
async fn enter(
    conn: &mut SqliteConnection,
    consultation: i64,
    now: i64,
    actor: &Actor<'_>,
    from: Option<State>,
    to: State,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE consultations SET state = ?2,
             escalated_at = CASE WHEN ?2 = 'escalated' THEN ?3 ELSE escalated_at END,
             accepted_at = CASE WHEN ?2 = 'assigned' THEN ?3 ELSE accepted_at END,
             closed_at = CASE WHEN ?2 IN ('resolved', 'cancelled') THEN ?3 ELSE closed_at END
         WHERE id = ?1",
    )
    .bind(consultation)
    .bind(to.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    record(conn, consultation, now, actor, from, to, reason).await
}

async fn record(
    conn: &mut SqliteConnection,
    consultation: i64,
    now: i64,
    actor: &Actor<'_>,
    from: Option<State>,
    to: State,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_events (consultation_id, at, actor, from_state, to_state, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(consultation)
    .bind(now)
    .bind(actor.label())
    .bind(from.map(State::as_str))
    .bind(to.as_str())
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Consultation, ConsultError> {
    let row: Option<ConsultationRow> = sqlx::query_as(&format!(
        "SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE id = ?1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(Consultation::from).ok_or(ConsultError::NotFound)
}

/// Tells a person (by chat account id) a consultation notice, through the outbox.
async fn tell(
    conn: &mut SqliteConnection,
    now: i64,
    key: &str,
    person: &str,
    notice: ConsultNotice,
) -> Result<(), sqlx::Error> {
    outbox::enqueue(
        conn,
        now,
        key,
        Target::User(chat_id(person)),
        &Notice::Consult(notice),
        None,
    )
    .await
}

/// Withdraws the consultation's open offer, if any (a coordinator assigned it, or it was
/// cancelled); the advisor it was open with.
async fn withdraw_open_offer(
    conn: &mut SqliteConnection,
    id: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE consultation_offers SET state = 'withdrawn', answered_at = ?2
         WHERE consultation_id = ?1 AND state = 'open' RETURNING advisor_id",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

fn advisor_lang(advisor: &advisor::Advisor) -> Lang {
    advisor
        .languages
        .iter()
        .find_map(|l| Lang::parse(l))
        .unwrap_or(Lang::Ja)
}

fn chat_id(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}

/// A new consultation, offered to the best-fitting advisor or escalated.
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
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consultations WHERE requester_id = ?1 AND state IN ('offered', 'escalated', 'assigned')",
    )
    .bind(requester_id)
    .fetch_one(&mut *tx)
    .await?;
    if open >= settings.max_open_per_requester {
        return Err(ConsultError::TooManyOpen {
            max: settings.max_open_per_requester,
        });
    }
    // Created escalated; offering moves it on (or leaves it for the coordinators).
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consultations (route, requester_id, language, topic, state, created_at)
         VALUES (?1, ?2, ?3, ?4, 'escalated', ?5) RETURNING id",
    )
    .bind(route.as_str())
    .bind(requester_id)
    .bind(language.code())
    .bind(topic)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let consultation = load(&mut tx, id).await?;
    offer_next(
        &mut tx,
        now,
        settings,
        searcher,
        &consultation,
        &Actor::Requester(requester_id),
        None,
        "",
    )
    .await?;
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

/// Offers `consultation` to the next candidate, or escalates it when nobody is left.
/// `from` is its state before (None for a new one).
#[allow(clippy::too_many_arguments)]
async fn offer_next(
    conn: &mut SqliteConnection,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    consultation: &Consultation,
    actor: &Actor<'_>,
    from: Option<State>,
    why: &str,
) -> Result<State, ConsultError> {
    let advisors = advisor::load_all(conn).await?;
    let figures: Vec<(String, bool, i64, i64, Option<i64>, bool)> = sqlx::query_as(
        "SELECT a.id, a.available,
             (SELECT COUNT(*) FROM consultations c WHERE c.advisor_id = a.id AND c.state = 'assigned'),
             (SELECT COUNT(*) FROM consultation_offers o WHERE o.advisor_id = a.id AND o.state = 'open'),
             (SELECT MAX(offered_at) FROM consultation_offers o WHERE o.advisor_id = a.id),
             EXISTS (SELECT 1 FROM consultation_offers o WHERE o.advisor_id = a.id AND o.consultation_id = ?1)
         FROM advisors a",
    )
    .bind(consultation.id)
    .fetch_all(&mut *conn)
    .await?;
    let standings: Vec<Standing> = advisors
        .into_iter()
        .filter_map(|advisor| {
            let (_, available, assigned, offered, last, asked) =
                figures.iter().find(|f| f.0 == advisor.id)?.clone();
            Some(Standing {
                advisor,
                available,
                assigned: assigned.max(0) as u32,
                offered: offered.max(0) as u32,
                last_offered_at: last,
                already_asked: asked,
            })
        })
        .collect();
    let topic = searcher.understand(consultation.topic.as_deref().unwrap_or(""));
    let choices = routing::rank(
        &standings,
        consultation.route,
        consultation.language,
        &topic,
        &settings.routing,
    );

    let Some(choice) = choices.first() else {
        let to = match from {
            Some(state) => transition(state, Event::Escalate)?,
            None => State::Escalated,
        };
        enter(
            conn,
            consultation.id,
            now,
            actor,
            from,
            to,
            &format!("{why}no advisor available: escalated to the coordinators"),
        )
        .await?;
        let asked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consultation_offers WHERE consultation_id = ?1",
        )
        .bind(consultation.id)
        .fetch_one(&mut *conn)
        .await?;
        match settings.coordinator_channel {
            Some(channel) => {
                let notice = ConsultNotice::Escalated {
                    consultation: consultation.id,
                    action: consultation.route.action(),
                    age_hours: (now - consultation.created_at).max(0) / 3600,
                    mention_role: settings.coordinator_role,
                    lang: Lang::Ja,
                };
                let key = format!("escalated:{}:{asked}", consultation.id);
                outbox::enqueue(
                    conn,
                    now,
                    &key,
                    Target::Channel(channel),
                    &Notice::Consult(notice),
                    None,
                )
                .await?;
            }
            None => tracing::warn!(
                consultation = consultation.id,
                "escalated, but no coordinator channel is configured"
            ),
        }
        // A request escalated after offers ran out: its requester hears it too (at intake the
        // reply already says so).
        if from.is_some() {
            let notice = ConsultNotice::Waiting {
                consultation: consultation.id,
                lang: consultation.language,
            };
            let key = format!("waiting:{}", consultation.id);
            tell(conn, now, &key, &consultation.requester_id, notice).await?;
        }
        return Ok(to);
    };

    let to = match from {
        Some(state) => transition(state, Event::OfferNext)?,
        None => State::Offered,
    };
    let offer: i64 = sqlx::query_scalar(
        "INSERT INTO consultation_offers (consultation_id, advisor_id, state, offered_at, expires_at)
         VALUES (?1, ?2, 'open', ?3, ?4) RETURNING id",
    )
    .bind(consultation.id)
    .bind(&choice.advisor_id)
    .bind(now)
    .bind(now + settings.offer_timeout_secs)
    .fetch_one(&mut *conn)
    .await?;
    enter(
        conn,
        consultation.id,
        now,
        actor,
        from,
        to,
        &format!("{why}offered to {}", choice.reason),
    )
    .await?;
    let chosen = standings
        .iter()
        .find(|s| s.advisor.id == choice.advisor_id)
        .map(|s| &s.advisor);
    if let Some(chosen) = chosen {
        let notice = ConsultNotice::Offer {
            consultation: consultation.id,
            offer,
            action: consultation.route.action(),
            topic: consultation.topic.clone().unwrap_or_default(),
            lang: advisor_lang(chosen),
            expires_at: now + settings.offer_timeout_secs,
        };
        let subject = format!("offer:{offer}");
        outbox::enqueue(
            conn,
            now,
            &subject,
            Target::User(chat_id(&chosen.chat_user_id)),
            &Notice::Consult(notice),
            Some(&subject),
        )
        .await?;
    }
    Ok(to)
}

/// The open offer `offer`, checked to be `advisor_id`'s.
async fn open_offer(
    conn: &mut SqliteConnection,
    offer: i64,
    advisor_id: Option<&str>,
    now: i64,
) -> Result<(i64, String), ConsultError> {
    let found: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT consultation_id, advisor_id, state, expires_at FROM consultation_offers WHERE id = ?1",
    )
    .bind(offer)
    .fetch_optional(&mut *conn)
    .await?;
    let (consultation, owner, state, expires_at) = found.ok_or(ConsultError::NotFound)?;
    if advisor_id.is_some_and(|a| a != owner) {
        return Err(ConsultError::NotYours);
    }
    // Past its time an offer is closed, whether or not the worker has noticed yet.
    if state != "open" || (advisor_id.is_some() && now >= expires_at) {
        return Err(ConsultError::OfferClosed);
    }
    Ok((consultation, owner))
}

/// Closes an open offer as `outcome`; false when it was no longer open (someone was faster).
async fn close_offer(
    conn: &mut SqliteConnection,
    offer: i64,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE consultation_offers SET state = ?2, answered_at = ?3 WHERE id = ?1 AND state = 'open'")
        .bind(offer)
        .bind(outcome)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The offered advisor takes the consultation. Exactly one acceptance ever succeeds.
pub async fn accept(
    pool: &SqlitePool,
    now: i64,
    offer: i64,
    advisor_id: &str,
    contact: Contact,
) -> Result<Consultation, ConsultError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (id, _) = open_offer(&mut tx, offer, Some(advisor_id), now).await?;
    let consultation = load(&mut tx, id).await?;
    let to = transition(consultation.state, Event::Accept)?;
    if !close_offer(&mut tx, offer, "accepted", now).await? {
        return Err(ConsultError::OfferClosed);
    }
    let updated = sqlx::query(
        "UPDATE consultations SET state = 'assigned', advisor_id = ?2, accepted_at = ?3 WHERE id = ?1 AND state = 'offered'",
    )
    .bind(id)
    .bind(advisor_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(ConsultError::OfferClosed);
    }
    record(
        &mut tx,
        id,
        now,
        &Actor::Advisor(advisor_id),
        Some(consultation.state),
        to,
        &format!("offer {offer} accepted"),
    )
    .await?;
    notify_assigned(&mut tx, now, &consultation, advisor_id, contact).await?;
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

async fn notify_assigned(
    conn: &mut SqliteConnection,
    now: i64,
    consultation: &Consultation,
    advisor_id: &str,
    contact: Contact,
) -> Result<(), ConsultError> {
    let advisors = advisor::load_all(conn).await?;
    let chosen = advisors
        .iter()
        .find(|a| a.id == advisor_id)
        .ok_or(ConsultError::UnknownAdvisor)?;
    let id = consultation.id;
    let thread = matches!(contact, Contact::PrivateThread(_));
    let to_requester = ConsultNotice::Accepted {
        consultation: id,
        advisor_name: chosen.name.clone(),
        lang: consultation.language,
        thread,
    };
    tell(
        conn,
        now,
        &format!("accepted:{id}:requester"),
        &consultation.requester_id,
        to_requester,
    )
    .await?;
    let to_advisor = ConsultNotice::Assigned {
        consultation: id,
        requester_id: consultation.requester_id.clone(),
        topic: consultation.topic.clone().unwrap_or_default(),
        lang: advisor_lang(chosen),
        thread,
    };
    tell(
        conn,
        now,
        &format!("assigned:{id}:{advisor_id}"),
        &chosen.chat_user_id,
        to_advisor,
    )
    .await?;
    if let Contact::PrivateThread(channel) = contact {
        let open = ConsultNotice::Thread {
            consultation: id,
            requester_id: consultation.requester_id.clone(),
            advisor_chat_id: chosen.chat_user_id.clone(),
            lang: consultation.language,
        };
        outbox::enqueue(
            conn,
            now,
            &format!("thread:{id}:{advisor_id}"),
            Target::Channel(channel),
            &Notice::Consult(open),
            Some(&super::thread_fallback::subject(id)),
        )
        .await?;
    }
    Ok(())
}

/// Ends an open offer without acceptance (`outcome`: declined, expired, undeliverable) and
/// moves the consultation to the next candidate.
async fn pass_on(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    offer: i64,
    advisor_id: Option<&str>,
    outcome: &str,
) -> Result<Consultation, ConsultError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (id, _) = open_offer(&mut tx, offer, advisor_id, now).await?;
    if !close_offer(&mut tx, offer, outcome, now).await? {
        return Err(ConsultError::OfferClosed);
    }
    let consultation = load(&mut tx, id).await?;
    let actor = match advisor_id {
        Some(a) => Actor::Advisor(a),
        None => Actor::System,
    };

    if consultation.state == State::Offered {
        offer_next(
            &mut tx,
            now,
            settings,
            searcher,
            &consultation,
            &actor,
            Some(State::Offered),
            &format!("offer {offer} {outcome}; "),
        )
        .await?;
    }
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

pub async fn decline(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
    offer: i64,
    advisor_id: &str,
) -> Result<Consultation, ConsultError> {
    pass_on(
        pool,
        now,
        settings,
        searcher,
        offer,
        Some(advisor_id),
        "declined",
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
    pass_on(pool, now, settings, searcher, offer, None, "undeliverable").await
}

/// Offers nobody answered in time go to the next candidate. Returns how many expired.
pub async fn expire_due(
    pool: &SqlitePool,
    now: i64,
    settings: &Settings,
    searcher: &Searcher,
) -> Result<usize, ConsultError> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM consultation_offers WHERE state = 'open' AND expires_at <= ?1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut expired = 0;
    for offer in due {
        match pass_on(pool, now, settings, searcher, offer, None, "expired").await {
            Ok(_) => expired += 1,
            Err(ConsultError::OfferClosed) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(expired)
}

/// A coordinator gives the consultation to an advisor (withdrawing any open offer).
pub async fn assign(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    advisor_id: &str,
    coordinator_id: &str,
    contact: Contact,
) -> Result<Consultation, ConsultError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let consultation = load(&mut tx, id).await?;
    let to = transition(consultation.state, Event::Assign)?;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM advisors WHERE id = ?1")
        .bind(advisor_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(ConsultError::UnknownAdvisor);
    }
    withdraw_open_offer(&mut tx, id, now).await?;
    sqlx::query("UPDATE consultations SET advisor_id = ?2 WHERE id = ?1")
        .bind(id)
        .bind(advisor_id)
        .execute(&mut *tx)
        .await?;
    enter(
        &mut tx,
        id,
        now,
        &Actor::Coordinator(coordinator_id),
        Some(consultation.state),
        to,
        &format!("assigned to {advisor_id}"),
    )
    .await?;
    notify_assigned(&mut tx, now, &consultation, advisor_id, contact).await?;
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

/// The assigned advisor closes it with a note; the requester is told.
pub async fn resolve(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    advisor_id: &str,
    note: &str,
    max_chars: usize,
) -> Result<Consultation, ConsultError> {
    let note = crate::text::truncate_chars(note.trim(), max_chars);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let consultation = load(&mut tx, id).await?;
    if consultation.advisor_id.as_deref() != Some(advisor_id) {
        return Err(ConsultError::NotYours);
    }
    let to = transition(consultation.state, Event::Resolve)?;
    sqlx::query("UPDATE consultations SET resolution_note = ?2 WHERE id = ?1")
        .bind(id)
        .bind(note)
        .execute(&mut *tx)
        .await?;
    enter(
        &mut tx,
        id,
        now,
        &Actor::Advisor(advisor_id),
        Some(consultation.state),
        to,
        "resolved with a note",
    )
    .await?;
    let notice = ConsultNotice::Resolved {
        consultation: id,
        note: note.to_string(),
        lang: consultation.language,
    };
    tell(
        &mut tx,
        now,
        &format!("resolved:{id}"),
        &consultation.requester_id,
        notice,
    )
    .await?;
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

/// The requester withdraws it; an advisor it was offered or assigned to is told.
pub async fn cancel(
    pool: &SqlitePool,
    now: i64,
    id: i64,
    requester_id: &str,
) -> Result<Consultation, ConsultError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let consultation = load(&mut tx, id).await?;
    if consultation.requester_id != requester_id {
        return Err(ConsultError::NotYours);
    }
    let to = transition(consultation.state, Event::Cancel)?;
    let offered = withdraw_open_offer(&mut tx, id, now).await?;
    enter(
        &mut tx,
        id,
        now,
        &Actor::Requester(requester_id),
        Some(consultation.state),
        to,
        "cancelled by the requester",
    )
    .await?;
    if let Some(advisor_id) = offered.or(consultation.advisor_id.clone()) {
        let advisors = advisor::load_all(&mut tx).await?;
        if let Some(told) = advisors.iter().find(|a| a.id == advisor_id) {
            let notice = ConsultNotice::Cancelled {
                consultation: id,
                lang: advisor_lang(told),
            };
            tell(
                &mut tx,
                now,
                &format!("cancelled:{id}:{advisor_id}"),
                &told.chat_user_id,
                notice,
            )
            .await?;
        }
    }
    let consultation = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(consultation)
}

/// An advisor sets whether they take new offers.
pub async fn set_availability(
    pool: &SqlitePool,
    advisor_id: &str,
    available: bool,
) -> Result<(), ConsultError> {
    let done = sqlx::query("UPDATE advisors SET available = ?2 WHERE id = ?1")
        .bind(advisor_id)
        .bind(available)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ConsultError::UnknownAdvisor);
    }
    Ok(())
}

/// An open offer of `consultation` to `advisor_id`, if any (for a typed `/accept N`).
pub async fn open_offer_for(
    pool: &SqlitePool,
    consultation: i64,
    advisor_id: &str,
) -> Result<Option<i64>, ConsultError> {
    Ok(sqlx::query_scalar("SELECT id FROM consultation_offers WHERE consultation_id = ?1 AND advisor_id = ?2 AND state = 'open'")
        .bind(consultation)
        .bind(advisor_id)
        .fetch_optional(pool)
        .await?)
}

/// Which consultations a list shows.
pub enum Listing<'a> {
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
    let columns = CONSULTATION_COLUMNS;
    let rows: Vec<ConsultationRow> = match listing {
        Listing::Requester(id) => sqlx::query_as(&format!("SELECT {columns} FROM consultations WHERE requester_id = ?1 ORDER BY id DESC LIMIT 20"))
            .bind(id)
            .fetch_all(pool)
            .await?,
        Listing::Advisor(id) => sqlx::query_as(&format!(
            "SELECT {columns} FROM consultations c WHERE (c.advisor_id = ?1 AND c.state = 'assigned')
                OR EXISTS (SELECT 1 FROM consultation_offers o WHERE o.consultation_id = c.id AND o.advisor_id = ?1 AND o.state = 'open')
             ORDER BY id"
        ))
        .bind(id)
        .fetch_all(pool)
        .await?,
        Listing::Queue => sqlx::query_as(&format!(
            "SELECT {columns} FROM consultations WHERE state IN ('offered', 'escalated', 'assigned') ORDER BY created_at, id"
        ))
        .fetch_all(pool)
        .await?,
    };
    Ok(rows.into_iter().map(Consultation::from).collect())
}

/// Drops the personal text (topic, note, message bodies) of consultations closed more than
/// `retention_days` ago; numbers, states and events stay. Returns how many were purged.
pub async fn purge_closed(
    pool: &SqlitePool,
    now: i64,
    retention_days: i64,
) -> Result<u64, ConsultError> {
    let before = now - retention_days * 86_400;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // Who asked goes with what they asked: events keep their figures, not the person.
    sqlx::query(
        "UPDATE consultation_events SET actor = 'requester:purged'
         WHERE actor LIKE 'requester:%' AND consultation_id IN (
             SELECT id FROM consultations WHERE state IN ('resolved', 'cancelled') AND closed_at <= ?1 AND purged_at IS NULL)",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    let purged = sqlx::query(
        "UPDATE consultations SET topic = NULL, resolution_note = NULL, requester_id = 'purged', purged_at = ?2
         WHERE state IN ('resolved', 'cancelled') AND closed_at <= ?1 AND purged_at IS NULL",
    )
    .bind(before)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // Messages as old carry the same text; one never delivered by now is given up.
    sqlx::query(
        "UPDATE outbox SET payload = '{}',
             state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'failed' END,
             last_error = CASE WHEN state = 'sent' THEN last_error ELSE 'purged by retention' END
         WHERE created_at <= ?1 AND payload <> '{}'",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    // Old deliveries keep no address; unmet-search terms keep no person after 90 days.
    sqlx::query(
        "UPDATE outbox SET target_id = '0' WHERE state IN ('sent', 'failed') AND created_at <= ?1",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM search_misses WHERE at <= ?1")
        .bind(now - 90 * 86_400)
        .execute(&mut *tx)
        .await?;
    // Requests never finished keep no text either.
    sqlx::query("DELETE FROM conversation_steps WHERE expires_at <= ?1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(purged)
}
