//! Who is told what when a consultation changes: each notice, its addressee and its dedupe key,
//! in one place. The topic goes only to the advisor offered or assigned it; channel posts carry
//! numbers only.

use super::advisor::Advisor;
use super::change::{chat_id, Change};
use super::model::Consultation;
use super::notice::ConsultNotice;
use super::settings::{ConsultError, Contact, Settings};
use crate::lang::Lang;
use crate::outbox::{Subject, Target};

/// The language an advisor is written to in: the first of theirs kyodo speaks.
pub(super) fn advisor_lang(advisor: &Advisor) -> Lang {
    advisor
        .languages
        .iter()
        .find_map(|l| Lang::parse(l))
        .unwrap_or(Lang::Ja)
}

/// To the advisor: the offer, with Accept / Decline, without the topic (they read it once they
/// accept); not sent once the offer has closed.
pub(super) async fn offer(
    change: &mut Change<'_>,
    consultation: &Consultation,
    offer: i64,
    advisor: &Advisor,
    fields: Vec<String>,
    expires_at: i64,
) -> Result<(), ConsultError> {
    let notice = ConsultNotice::Offer {
        consultation: consultation.id,
        offer,
        action: consultation.route.action(),
        fields,
        lang: advisor_lang(advisor),
        expires_at,
    };
    let subject = Subject::Offer(offer);
    change
        .post(
            &subject.to_string(),
            Target::User(chat_id(&advisor.chat_user_id)),
            notice,
            Some(subject),
        )
        .await
}

/// Nobody could take it: the coordinators' channel gets the number, route and age (`asked`
/// offers so far make each escalation its own post); a requester whose offers ran out hears it
/// too (at intake the reply already says so).
pub(super) async fn escalated(
    change: &mut Change<'_>,
    settings: &Settings,
    consultation: &Consultation,
    asked: i64,
    after_offers: bool,
) -> Result<(), ConsultError> {
    let now = change.now;
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
            change
                .post(&key, Target::Channel(channel), notice, None)
                .await?;
        }
        None => tracing::warn!(
            consultation = consultation.id,
            "escalated, but no coordinator channel is configured"
        ),
    }
    if after_offers {
        let notice = ConsultNotice::Waiting {
            consultation: consultation.id,
            lang: consultation.language,
        };
        let key = format!("waiting:{}", consultation.id);
        change
            .tell(&key, &consultation.requester_id, notice)
            .await?;
    }
    Ok(())
}

/// It is the advisor's: the requester learns who, the advisor gets the topic, and with private
/// threads the bot opens one for both.
pub(super) async fn assigned(
    change: &mut Change<'_>,
    consultation: &Consultation,
    advisor: &Advisor,
    contact: Contact,
) -> Result<(), ConsultError> {
    let id = consultation.id;
    let thread = matches!(contact, Contact::PrivateThread(_));
    let to_requester = ConsultNotice::Accepted {
        consultation: id,
        advisor_name: advisor.name.clone(),
        lang: consultation.language,
        thread,
    };
    change
        .tell(
            &format!("accepted:{id}:requester"),
            &consultation.requester_id,
            to_requester,
        )
        .await?;
    let to_advisor = ConsultNotice::Assigned {
        consultation: id,
        requester_id: consultation.requester_id.clone(),
        topic: consultation.topic.clone().unwrap_or_default(),
        lang: advisor_lang(advisor),
        thread,
    };
    change
        .tell(
            &format!("assigned:{id}:{}", advisor.id),
            &advisor.chat_user_id,
            to_advisor,
        )
        .await?;
    if let Contact::PrivateThread(channel) = contact {
        let open = ConsultNotice::Thread {
            consultation: id,
            requester_id: consultation.requester_id.clone(),
            advisor_chat_id: advisor.chat_user_id.clone(),
            lang: consultation.language,
        };
        let key = format!("thread:{id}:{}", advisor.id);
        let subject = Some(Subject::Thread(id));
        change
            .post(&key, Target::Channel(channel), open, subject)
            .await?;
    }
    Ok(())
}

/// Closed with a note: the requester gets it.
pub(super) async fn resolved(
    change: &mut Change<'_>,
    consultation: &Consultation,
    note: &str,
) -> Result<(), ConsultError> {
    let id = consultation.id;
    let notice = ConsultNotice::Resolved {
        consultation: id,
        note: note.to_string(),
        lang: consultation.language,
    };
    change
        .tell(
            &format!("resolved:{id}"),
            &consultation.requester_id,
            notice,
        )
        .await
}

/// The private thread could not be made (the requester could not be added): both are told
/// the advisor writes by DM instead.
pub(super) async fn no_thread(
    change: &mut Change<'_>,
    consultation: &Consultation,
    advisor: &Advisor,
) -> Result<(), ConsultError> {
    let id = consultation.id;
    let told = [
        (
            &consultation.requester_id,
            "requester",
            false,
            consultation.language,
        ),
        (
            &advisor.chat_user_id,
            "advisor",
            true,
            advisor_lang(advisor),
        ),
    ];
    for (person, who, to_advisor, lang) in told {
        let notice = ConsultNotice::NoThread {
            consultation: id,
            requester_id: consultation.requester_id.clone(),
            to_advisor,
            lang,
        };
        change
            .tell(&format!("nothread:{id}:{who}"), person, notice)
            .await?;
    }
    Ok(())
}

/// Withdrawn by the requester: the advisor it was offered or assigned to is told.
pub(super) async fn cancelled(
    change: &mut Change<'_>,
    consultation: &Consultation,
    advisor: &Advisor,
) -> Result<(), ConsultError> {
    let id = consultation.id;
    let notice = ConsultNotice::Cancelled {
        consultation: id,
        lang: advisor_lang(advisor),
    };
    change
        .tell(
            &format!("cancelled:{id}:{}", advisor.id),
            &advisor.chat_user_id,
            notice,
        )
        .await
}
