//! The scheduler: for each schedule, the fires due since the last claimed one. The latest due
//! fire is claimed in the database (schedule and fire time are unique together) before its post
//! goes into the outbox, so a restart or a second instance never posts twice; fires missed while
//! the bot was down become one post marked late with the time it was due, not a burst.

use sqlx::SqlitePool;

use super::digest::{self, PlanSettings};
use super::schedule::{Decision, Kind, Schedule};
use super::sla;
use crate::db;
use crate::outbox::{self, Envelope, Target};

/// What a fire posts.
enum Post {
    Digest(Box<digest::Digest>),
    Sla(Box<sla::SlaAlert>),
}

/// A fire posted more than this after its time counts as late.
pub const LATE_AFTER_SECS: i64 = 60;
/// Most fires looked through per schedule and round (a per-second cron over a long outage).
const MAX_FIRES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Posted {
        schedule: String,
        fire_at: i64,
        post_at: i64,
        late: bool,
    },
    Skipped {
        schedule: String,
        fire_at: i64,
    },
}

/// Claims and posts what is due at `now`; returns what it did.
pub async fn run_due(
    pool: &SqlitePool,
    now: i64,
    schedules: &[Schedule],
    plan: &PlanSettings,
) -> Result<Vec<Outcome>, sqlx::Error> {
    let mut outcomes = Vec::new();
    for schedule in schedules {
        // Read first: a tick every second must not take the write lock to learn nothing new.
        let known = db::schedule_baselines::get(pool, &schedule.name).await?;
        if known.is_none() {
            db::schedule_baselines::insert(pool, &schedule.name, now).await?;
        }
        let (since, last) = db::schedule_baselines::since_and_last(pool, &schedule.name).await?;
        let after = last.map_or(since, |l| l.max(since));
        let mut due = schedule.fires_between(after, now, MAX_FIRES);
        if due.len() == MAX_FIRES {
            due = schedule.fires_between(now - 86_400, now, MAX_FIRES);
        }
        let Some(&fire) = due.last() else {
            continue;
        };
        let late = due.len() > 1 || now - fire > LATE_AFTER_SECS;
        let decision = schedule.decide(fire);
        let (state, post_at) = match decision {
            Decision::PostAt(at) => ("posted", Some(at)),
            Decision::Skip | Decision::Merged(_) => ("skipped", None),
        };
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let claim = db::schedule_runs::Claim {
            schedule: &schedule.name,
            fire_at: fire,
            state,
            late,
            post_at,
            claimed_at: now,
        };
        if !db::schedule_runs::claim(&mut tx, &claim).await? {
            continue; // Another instance claimed this fire.
        }
        let notice = match (post_at, schedule.kind) {
            (None, _) => None,
            (Some(_), Kind::ProgressDigest) => Some(Post::Digest(Box::new(
                digest::compose(
                    pool,
                    plan,
                    &schedule.name,
                    schedule.zone,
                    schedule.lang,
                    fire,
                    late,
                )
                .await?,
            ))),
            // Counted at the fire time; nothing waiting: the fire is claimed, nothing posted.
            (Some(_), Kind::ConsultationSla) => {
                sla::compose(pool, &plan.sla, schedule.zone, schedule.lang, fire)
                    .await?
                    .map(|alert| Post::Sla(Box::new(alert)))
            }
        };
        let (Some(post_at), Some(notice)) = (post_at, notice) else {
            if post_at.is_some() {
                db::schedule_runs::mark_skipped(&mut tx, &schedule.name, fire).await?;
            }
            tx.commit().await?;
            outcomes.push(Outcome::Skipped {
                schedule: schedule.name.clone(),
                fire_at: fire,
            });
            continue;
        };
        let key = format!("schedule:{}:{fire}", schedule.name);
        let envelope = Envelope {
            not_before: Some(post_at),
            ..Envelope::to(&key, Target::Channel(schedule.channel))
        };
        match notice {
            Post::Digest(digest) => outbox::enqueue(&mut tx, now, envelope, &*digest).await?,
            Post::Sla(alert) => outbox::enqueue(&mut tx, now, envelope, &*alert).await?,
        }
        tx.commit().await?;
        outcomes.push(Outcome::Posted {
            schedule: schedule.name.clone(),
            fire_at: fire,
            post_at,
            late,
        });
    }
    Ok(outcomes)
}
