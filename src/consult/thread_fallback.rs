//! When the private thread for a consultation cannot be made (the requester is not a member
//! of the server, or the bot may not add them), requester and advisor are told so, and that
//! the advisor will write by DM instead: the advisor-DM route, and nobody left believing in a
//! thread that does not exist.

use sqlx::SqlitePool;

use super::advisor;
use super::notice::ConsultNotice;
use super::service::{self, ConsultError};
use crate::lang::Lang;
use crate::outbox::{self, Notice, Target};

/// The outbox subject of the delivery that opens consultation `id`'s thread.
pub fn subject(id: i64) -> String {
    format!("thread:{id}")
}

/// The consultation whose thread delivery `subject` was, if it was one.
pub fn consultation_of(subject: &str) -> Option<i64> {
    subject.strip_prefix("thread:")?.parse().ok()
}

/// Tells requester and advisor of consultation `id` that there is no thread and the advisor
/// writes by DM. Once per consultation (dedupe keys).
pub async fn no_thread(pool: &SqlitePool, now: i64, id: i64) -> Result<(), ConsultError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let consultation = service::load(&mut tx, id).await?;
    let advisors = advisor::load_all(&mut tx).await?;
    let Some(chosen) = consultation
        .advisor_id
        .as_deref()
        .and_then(|a| advisors.iter().find(|x| x.id == a))
    else {
        return Err(ConsultError::UnknownAdvisor);
    };
    let advisor_lang = chosen
        .languages
        .iter()
        .find_map(|l| Lang::parse(l))
        .unwrap_or(Lang::Ja);
    let told = [
        (
            consultation.requester_id.clone(),
            "requester",
            ConsultNotice::NoThread {
                consultation: id,
                requester_id: consultation.requester_id.clone(),
                to_advisor: false,
                lang: consultation.language,
            },
        ),
        (
            chosen.chat_user_id.clone(),
            "advisor",
            ConsultNotice::NoThread {
                consultation: id,
                requester_id: consultation.requester_id.clone(),
                to_advisor: true,
                lang: advisor_lang,
            },
        ),
    ];
    for (person, who, notice) in told {
        outbox::enqueue(
            &mut tx,
            now,
            &format!("nothread:{id}:{who}"),
            Target::User(person.parse().unwrap_or(0)),
            &Notice::Consult(notice),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
