//! Asking for a consultation in conversation: the consent and purpose notice, the topic, the
//! number and what happens next; and the buttons that answer them.

use super::consult::{answer_offer, consult_error, internal, now};
use crate::chat::buttons::{Button, ButtonAction, ButtonStyle};
use crate::chat::core::Chat;
use crate::chat::incoming::{Person, Role};
use crate::chat::reply::Reply;
use crate::consult::model::Route;
use crate::consult::service::{self, ConsultError};
use crate::consult::state::State;
use crate::db;
use crate::lang::Lang;
use crate::text::normalize;
/// How long a half-finished request (consent or topic still to come) is kept.
const STEP_SECS: i64 = 30 * 60;
const YES: &[&str] = &[
    "はい",
    "同意",
    "同意します",
    "同意する",
    "ok",
    "yes",
    "agree",
    "i agree",
];
const NO: &[&str] = &[
    "いいえ",
    "やめる",
    "やめます",
    "キャンセル",
    "no",
    "cancel",
    "stop",
];

async fn step_of(chat: &Chat, person: &Person) -> Result<Option<String>, sqlx::Error> {
    db::conversation_steps::current(chat.pool(), &person.id, now(chat)).await
}

async fn set_step(
    chat: &Chat,
    person: &Person,
    step: &str,
    topic: Option<&str>,
) -> Result<(), sqlx::Error> {
    let expires_at = now(chat) + STEP_SECS;
    db::conversation_steps::set(chat.pool(), &person.id, step, topic, expires_at).await
}

async fn clear_step(chat: &Chat, person: &Person) -> Result<bool, sqlx::Error> {
    db::conversation_steps::clear(chat.pool(), &person.id).await
}

/// `/consult [topic]`, the natural-language request, or the search's "ask an advisor"
/// button: first the notice, to agree to.
pub(crate) async fn consult_start(
    chat: &Chat,
    person: &Person,
    topic: Option<&str>,
    lang: Lang,
) -> Reply {
    let topic = topic.map(str::trim).filter(|t| !t.is_empty());
    let max = chat.consult_settings().max_topic_chars;
    if topic.is_some_and(|t| t.chars().count() > max) {
        return consult_error(chat, lang, ConsultError::TopicTooLong { max });
    }
    if let Err(error) = set_step(chat, person, "consent", topic).await {
        return internal(chat, lang, error);
    }
    let p = chat.prompts();
    Reply::text(lang, p.get(lang, "consult.notice"))
        .private()
        .with_buttons(vec![
            Button {
                label: p.get(lang, "consult.button.agree").into(),
                action: ButtonAction::ConsentYes,
                style: ButtonStyle::Primary,
            },
            Button {
                label: p.get(lang, "consult.button.stop").into(),
                action: ButtonAction::ConsentNo,
                style: ButtonStyle::Secondary,
            },
        ])
}

/// A message that answers an open step (yes/no to the notice, or the topic); `None` when
/// there is none or the person moved on to something else.
pub(crate) async fn continue_conversation(
    chat: &Chat,
    person: &Person,
    text: &str,
    lang: Lang,
) -> Option<Reply> {
    let step = match step_of(chat, person).await {
        Ok(step) => step?,
        Err(error) => return Some(internal(chat, lang, error)),
    };
    let said = normalize(text);
    let is = |words: &[&str]| words.iter().any(|w| normalize(w) == said);
    match step.as_str() {
        "consent" if is(YES) => Some(consent(chat, person, true, lang).await),
        "consent" if is(NO) => Some(consent(chat, person, false, lang).await),
        "topic" if is(NO) => Some(consent(chat, person, false, lang).await),
        "topic" => topic_given(chat, person, text, lang).await,
        _ => {
            // They asked something else instead: drop the half-finished request.
            if let Err(error) = clear_step(chat, person).await {
                return Some(internal(chat, lang, error));
            }
            None
        }
    }
}

/// Takes the person's open step of kind `step` away, atomically: of two racing answers
/// (a double click, a click and a typed はい) only one gets it. Some(topic) when taken.
async fn take_step(
    chat: &Chat,
    person: &Person,
    step: &str,
) -> Result<Option<Option<String>>, sqlx::Error> {
    db::conversation_steps::take(chat.pool(), &person.id, step, now(chat)).await
}

async fn consent(chat: &Chat, person: &Person, yes: bool, lang: Lang) -> Reply {
    if !yes {
        return match clear_step(chat, person).await {
            Ok(true) => Reply::text(lang, chat.prompts().get(lang, "consult.stopped")).private(),
            Ok(false) => {
                Reply::text(lang, chat.prompts().get(lang, "consult.nothing_pending")).private()
            }
            Err(error) => internal(chat, lang, error),
        };
    }
    match take_step(chat, person, "consent").await {
        Ok(Some(Some(topic))) => {
            submit(chat, person, ("consent", Some(&topic)), &topic, lang).await
        }
        Ok(Some(None)) => match set_step(chat, person, "topic", None).await {
            Ok(()) => Reply::text(lang, chat.prompts().get(lang, "consult.ask_topic")).private(),
            Err(error) => internal(chat, lang, error),
        },
        Ok(None) => {
            Reply::text(lang, chat.prompts().get(lang, "consult.nothing_pending")).private()
        }
        Err(error) => internal(chat, lang, error),
    }
}

/// The topic the person was asked for.
async fn topic_given(chat: &Chat, person: &Person, text: &str, lang: Lang) -> Option<Reply> {
    match take_step(chat, person, "topic").await {
        Ok(Some(_)) => Some(submit(chat, person, ("topic", None), text, lang).await),
        Ok(None) => None,
        Err(error) => Some(internal(chat, lang, error)),
    }
}

/// Submits `topic`; `step` is the conversation step it was taken from, given back when the
/// store could not save it (busy, disk full), so trying again needs no new notice.
async fn submit(
    chat: &Chat,
    person: &Person,
    step: (&str, Option<&str>),
    topic: &str,
    lang: Lang,
) -> Reply {
    let route = if person.has(Role::Staff) {
        Route::Staff
    } else {
        Route::Citizen
    };
    let searcher = chat.searcher();
    let result = service::submit(
        chat.pool(),
        now(chat),
        chat.consult_settings(),
        &searcher,
        &person.id,
        route,
        lang,
        topic,
    )
    .await;
    match result {
        Ok(consultation) => {
            chat.outbox_changed();
            let next = match consultation.state {
                State::Offered => "consult.next.offered",
                _ => "consult.next.escalated",
            };
            let p = chat.prompts();
            let text = format!(
                "{}\n{}",
                p.fill(
                    lang,
                    "consult.submitted",
                    &[
                        ("number", &consultation.id.to_string()),
                        ("action", &route.action().to_string())
                    ]
                ),
                p.get(lang, next)
            );
            Reply::text(lang, text).private()
        }
        Err(error @ (ConsultError::EmptyTopic | ConsultError::TopicTooLong { .. })) => {
            // They can write the topic again.
            if let Err(step_error) = set_step(chat, person, "topic", None).await {
                return internal(chat, lang, step_error);
            }
            consult_error(chat, lang, error)
        }
        Err(ConsultError::Store(error)) => {
            if let Err(step_error) = set_step(chat, person, step.0, step.1).await {
                tracing::error!(%step_error, "giving back a conversation step");
            }
            internal(chat, lang, error)
        }
        Err(error) => consult_error(chat, lang, error),
    }
}

pub(crate) async fn press(chat: &Chat, person: &Person, id: &str, lang: Lang) -> Reply {
    let action: ButtonAction = match id.parse() {
        Ok(action) => action,
        Err(error) => {
            tracing::info!(%error, "unknown button pressed");
            return Reply::text(lang, chat.prompts().get(lang, "button.unknown")).private();
        }
    };
    match action {
        ButtonAction::StartConsultation => consult_start(chat, person, None, lang).await,
        ButtonAction::ConsentYes => consent(chat, person, true, lang).await,
        ButtonAction::ConsentNo => consent(chat, person, false, lang).await,
        ButtonAction::AcceptOffer(offer) => answer_offer(chat, person, offer, true, lang).await,
        ButtonAction::DeclineOffer(offer) => answer_offer(chat, person, offer, false, lang).await,
    }
}
