//! One consultation change, as one `BEGIN IMMEDIATE` transaction: load, move through the state
//! machine, record the audit event, tell people through the outbox, commit. Every command in
//! this module goes through it, so none can forget the event or the write lock. Concurrent
//! clicks and submissions are serialised by SQLite's write lock; conditional updates make each
//! step happen exactly once.

use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};

use super::model::Consultation;
use super::notice::ConsultNotice;
use super::settings::ConsultError;
use super::state::{transition, Event, State};
use crate::db;
use crate::outbox::{self, Subject, Target};

/// Who caused a change, for the audit trail.
#[derive(Debug, Clone, Copy)]
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

/// A change in progress: the transaction, its time and who is making it.
pub(super) struct Change<'a> {
    pub tx: Transaction<'static, Sqlite>,
    pub now: i64,
    pub actor: Actor<'a>,
}

impl<'a> Change<'a> {
    /// Takes SQLite's write lock at once (a read later upgraded to a write could be refused).
    pub async fn begin(
        pool: &SqlitePool,
        now: i64,
        actor: Actor<'a>,
    ) -> Result<Self, ConsultError> {
        Ok(Change {
            tx: pool.begin_with("BEGIN IMMEDIATE").await?,
            now,
            actor,
        })
    }

    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    pub async fn load(&mut self, id: i64) -> Result<Consultation, ConsultError> {
        load(&mut self.tx, id).await
    }

    /// Moves `consultation` by `event` (refused when the state machine says no), stamping and
    /// recording it; the state it is in now.
    pub async fn apply(
        &mut self,
        consultation: &Consultation,
        event: Event,
        reason: &str,
    ) -> Result<State, ConsultError> {
        let to = transition(consultation.state, event)?;
        self.enter(consultation.id, Some(consultation.state), to, reason)
            .await?;
        Ok(to)
    }

    /// Puts the consultation in `to` (from `from`; None for a new one) with its audit event.
    pub async fn enter(
        &mut self,
        consultation: i64,
        from: Option<State>,
        to: State,
        reason: &str,
    ) -> Result<(), ConsultError> {
        db::consultations::set_state(&mut self.tx, consultation, to.as_str(), self.now).await?;
        db::events::insert(
            &mut self.tx,
            consultation,
            self.now,
            &self.actor.label(),
            from.map(State::as_str),
            to.as_str(),
            reason,
        )
        .await?;
        Ok(())
    }

    /// Tells a person (by chat account id) a consultation notice, once per `key`.
    pub async fn tell(
        &mut self,
        key: &str,
        person: &str,
        notice: ConsultNotice,
    ) -> Result<(), ConsultError> {
        self.post(key, Target::User(chat_id(person)), notice, None)
            .await
    }

    /// Queues a notice to `target`; `subject` names what it is about (an offer it depends on).
    pub async fn post(
        &mut self,
        key: &str,
        target: Target,
        notice: ConsultNotice,
        subject: Option<Subject>,
    ) -> Result<(), ConsultError> {
        outbox::enqueue(&mut self.tx, self.now, key, target, &notice, subject).await?;
        Ok(())
    }

    /// Commits, returning the consultation as it now is.
    pub async fn finish(mut self, id: i64) -> Result<Consultation, ConsultError> {
        let consultation = self.load(id).await?;
        self.tx.commit().await?;
        Ok(consultation)
    }
}

pub async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Consultation, ConsultError> {
    db::consultations::get(conn, id)
        .await?
        .map(Consultation::from)
        .ok_or(ConsultError::NotFound)
}

/// A chat account id as the outbox addresses it (0 for a malformed one: delivery refuses it).
pub(super) fn chat_id(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}
