//! Asking for a consultation in conversation: the consent and purpose notice, the topic, the
//! number and what happens next; and the buttons that answer them.
//!
//! A request is a conversation of one person in one place (their DMs, or one channel), in the
//! language it was started in. Nothing personal is stored before the person agrees: a topic
//! given with the request waits in memory (`chat::pending`), and a topic typed after agreeing
//! is submitted at once.

use super::consult::{answer_offer, consult_error, internal, now};
use crate::chat::buttons::{Button, ButtonAction, ButtonStyle};
use crate::chat::core::Chat;
use crate::chat::forms::{Form, TextRequest};
use crate::chat::incoming::{Person, Place, Role};
use crate::chat::reply::Reply;
use crate::consult::model::Route;
use crate::consult::service::{self, ConsultError};
use crate::consult::state::State;
use crate::db;
use crate::db::conversation_steps::StepRow;
use crate::lang::Lang;
use crate::text::normalize;

/// How long a half-finished request (consent or topic still to come) is kept, in seconds.
pub const STEP_SECS: i64 = 30 * 60;

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

/// One person's request in one place.
struct Request<'a> {
    chat: &'a Chat,
    person: &'a Person,
    place: String,
}

impl<'a> Request<'a> {
    fn new(chat: &'a Chat, person: &'a Person, place: &Place) -> Self {
        Request {
            chat,
            person,
            place: place.key(),
        }
    }

    async fn step(&self) -> Result<Option<StepRow>, sqlx::Error> {
        let now = now(self.chat);
        Ok(self.chat.memory().step(&self.person.id, &self.place, now))
    }

    fn key(&self) -> (&str, &str) {
        (&self.person.id, &self.place)
    }

    async fn set_step(&self, step: &str, lang: Lang) -> Result<(), sqlx::Error> {
        let row = StepRow {
            step: step.to_string(),
            language: lang.code().to_string(),
        };
        let now = now(self.chat);
        let (memory, pool) = (self.chat.memory(), self.chat.pool());
        memory
            .set_step(pool, self.key(), &row, now, now + STEP_SECS)
            .await
    }

    async fn clear_step(&self) -> Result<bool, sqlx::Error> {
        let pending = self.chat.pending_topics();
        let _ = pending.take(&self.person.id, &self.place, now(self.chat));
        let pool = self.chat.pool();
        self.chat
            .memory()
            .clear_step(pool, &self.person.id, &self.place)
            .await
    }

    /// Takes the open step of kind `step` away, atomically: of two racing answers (a double
    /// click, a click and a typed はい) only one gets it. The request's language when taken.
    async fn take_step(&self, step: &str) -> Result<Option<Lang>, sqlx::Error> {
        let now = now(self.chat);
        let pool = self.chat.pool();
        let taken = (self.chat.memory())
            .take_step(pool, self.key(), step, now)
            .await?;
        Ok(taken.map(|code| Lang::parse(&code).unwrap_or(Lang::Ja)))
    }
}

/// `/consult [topic]`, the natural-language request, or the search's "ask an advisor"
/// button: first the notice, to agree to. Refused before the notice when consultations are
/// not set up here yet, or the person already has as many open as allowed.
pub(crate) async fn consult_start(
    chat: &Chat,
    person: &Person,
    place: &Place,
    topic: Option<&str>,
    lang: Lang,
) -> Reply {
    let p = chat.prompts();
    let settings = chat.consult_settings();
    if settings.coordinator_channel.is_none() {
        // Escalations would reach nobody: give the office's own contact instead of a promise.
        return Reply::text(
            lang,
            p.fill(
                lang,
                "consult.unconfigured",
                &[("contact", settings.office_contact.as_str())],
            ),
        )
        .private();
    }
    let topic = topic.map(str::trim).filter(|t| !t.is_empty());
    let max = settings.max_topic_chars;
    if topic.is_some_and(|t| t.chars().count() > max) {
        return consult_error(chat, lang, ConsultError::TopicTooLong { max });
    }
    let open = {
        let mut conn = match chat.pool().acquire().await {
            Ok(conn) => conn,
            Err(error) => return internal(chat, lang, error),
        };
        db::consultations::open_count_of(&mut conn, &person.id).await
    };
    match open {
        Ok(open) if open >= settings.max_open_per_requester => {
            let max = settings.max_open_per_requester;
            return consult_error(chat, lang, ConsultError::TooManyOpen { max });
        }
        Ok(_) => {}
        Err(error) => return internal(chat, lang, error),
    }
    let request = Request::new(chat, person, place);
    if let Err(error) = request.set_step("consent", lang).await {
        return internal(chat, lang, error);
    }
    if let Some(topic) = topic {
        let now = now(chat);
        chat.pending_topics()
            .hold(&person.id, &request.place, topic, now, now + STEP_SECS);
    }
    let days = chat.settings().retention_days.to_string();
    Reply::text(lang, p.fill(lang, "consult.notice", &[("days", &days)]))
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

/// A message that answers an open step in this place (yes/no to the notice, or the topic);
/// `None` when there is none or the person moved on to something else.
pub(crate) async fn continue_conversation(
    chat: &Chat,
    person: &Person,
    place: &Place,
    text: &str,
    lang: Lang,
) -> Option<Reply> {
    let request = Request::new(chat, person, place);
    let step = match request.step().await {
        Ok(step) => step?,
        Err(error) => return Some(internal(chat, lang, error)),
    };
    // The request goes on in the language it was started in, whatever a はい looks like.
    let lang = Lang::parse(&step.language).unwrap_or(lang);
    let said = normalize(text);
    let is = |words: &[&str]| words.iter().any(|w| normalize(w) == said);
    match step.step.as_str() {
        "consent" if is(YES) => Some(consent(&request, true, false, lang).await),
        "consent" if is(NO) => Some(consent(&request, false, false, lang).await),
        "topic" if is(NO) => Some(consent(&request, false, false, lang).await),
        "topic" => topic_given(&request, text, lang).await,
        _ => {
            // They asked something else instead: drop the half-finished request.
            if let Err(error) = request.clear_step().await {
                return Some(internal(chat, lang, error));
            }
            None
        }
    }
}

/// Yes or no to the notice. `by_form`: the topic, if still missing, is asked for through a form
/// (pressed in a server channel, where a typed topic would be public).
async fn consent(request: &Request<'_>, yes: bool, by_form: bool, lang: Lang) -> Reply {
    let chat = request.chat;
    if !yes {
        return match request.clear_step().await {
            Ok(true) => chat.say_privately(lang, "consult.stopped"),
            Ok(false) => chat.say_privately(lang, "consult.nothing_pending"),
            Err(error) => internal(chat, lang, error),
        };
    }
    let lang = match request.take_step("consent").await {
        Ok(Some(lang)) => lang,
        // Agreed already and the form was closed or never shown: it opens again.
        Ok(None) if by_form && awaits_topic(request).await => return topic_form(chat, lang),
        Ok(None) => return chat.say_privately(lang, "consult.nothing_pending"),
        Err(error) => return internal(chat, lang, error),
    };
    let held = chat
        .pending_topics()
        .take(&request.person.id, &request.place, now(chat));
    match held {
        Some(topic) => submit(request, "consent", &topic, lang).await,
        None => match request.set_step("topic", lang).await {
            Ok(()) if by_form => topic_form(chat, lang),
            Ok(()) => chat.say_privately(lang, "consult.ask_topic"),
            Err(error) => internal(chat, lang, error),
        },
    }
}

async fn awaits_topic(request: &Request<'_>) -> bool {
    matches!(request.step().await, Ok(Some(step)) if step.step == "topic")
}

/// The topic asked for through a form.
fn topic_form(chat: &Chat, lang: Lang) -> Reply {
    let p = chat.prompts();
    let mut reply = Reply::text(lang, p.get(lang, "consult.form.asked")).private();
    reply.ask_text = Some(TextRequest {
        form: Form::ConsultTopic,
        title: p.get(lang, "consult.form.title").into(),
        label: p.get(lang, "consult.form.label").into(),
        max_chars: chat.consult_settings().max_topic_chars,
        required: true,
        reopen_hint: p.get(lang, "consult.form.reopen").into(),
    });
    reply
}

/// A form filled in: its text goes where the form says, re-checked like a typed answer.
pub(crate) async fn form_filled(
    chat: &Chat,
    person: &Person,
    place: &Place,
    id: &str,
    text: &str,
    lang: Lang,
) -> Reply {
    let request = Request::new(chat, person, place);
    match id.parse::<Form>() {
        Ok(Form::ConsultTopic) => match topic_given(&request, text, lang).await {
            Some(reply) => reply,
            None => chat.say_privately(lang, "consult.nothing_pending"),
        },
        Ok(Form::RatingComment(consultation)) => {
            super::rating::comment(chat, person, consultation, text, lang).await
        }
        Ok(Form::ResolveNote(number)) => {
            super::consult::resolve(chat, person, &number.to_string(), text, lang).await
        }
        Ok(Form::ProgressNote { action, status }) => {
            super::plan::note_filled(chat, person, action, status, text, lang).await
        }
        Err(error) => {
            tracing::info!(%error, "unknown form submitted");
            chat.say_privately(lang, "button.unknown")
        }
    }
}

/// The topic the person was asked for.
async fn topic_given(request: &Request<'_>, text: &str, lang: Lang) -> Option<Reply> {
    match request.take_step("topic").await {
        Ok(Some(lang)) => Some(submit(request, "topic", text, lang).await),
        Ok(None) => None,
        Err(error) => Some(internal(request.chat, lang, error)),
    }
}

/// Submits `topic`, taken from the request's step `from` (`consent` or `topic`); when the store
/// could not save it (busy, disk full) the step is given back, so trying again needs no new
/// notice.
async fn submit(request: &Request<'_>, from: &str, topic: &str, lang: Lang) -> Reply {
    let (chat, person) = (request.chat, request.person);
    let route = if person.has(Role::Staff) {
        Route::Staff
    } else {
        Route::Citizen
    };
    let searcher = chat.searcher();
    let settings = chat.consult_settings();
    let result = service::submit(
        chat.pool(),
        now(chat),
        settings,
        &searcher,
        &person.id,
        route,
        lang,
        topic,
    )
    .await;
    let p = chat.prompts();
    match result {
        Ok(consultation) => {
            chat.outbox_changed();
            let next = match consultation.state {
                State::Offered => "consult.next.offered",
                _ => "consult.next.escalated",
            };
            let number = consultation.id.to_string();
            let action = route.action().to_string();
            let text = format!(
                "{}\n{}",
                p.fill(
                    lang,
                    "consult.submitted",
                    &[("number", &number), ("action", &action)]
                ),
                p.fill(lang, next, &[("number", &number)])
            );
            Reply::text(lang, text).private()
        }
        Err(error @ (ConsultError::EmptyTopic | ConsultError::TopicTooLong { .. })) => {
            // They can write the topic again.
            if let Err(step_error) = request.set_step("topic", lang).await {
                return internal(chat, lang, step_error);
            }
            consult_error(chat, lang, error)
        }
        Err(ConsultError::Store(error)) => {
            if let Err(step_error) = request.set_step(from, lang).await {
                tracing::error!(%step_error, "giving back a conversation step");
            }
            if from == "consent" {
                let now = now(chat);
                let pending = chat.pending_topics();
                pending.hold(&person.id, &request.place, topic, now, now + STEP_SECS);
            }
            internal(chat, lang, error)
        }
        Err(error) => consult_error(chat, lang, error),
    }
}

pub(crate) async fn press(
    chat: &Chat,
    person: &Person,
    place: &Place,
    id: &str,
    lang: Lang,
) -> Reply {
    let action: ButtonAction = match id.parse() {
        Ok(action) => action,
        Err(error) => {
            tracing::info!(%error, "unknown button pressed");
            return chat.say_privately(lang, "button.unknown");
        }
    };
    let request = Request::new(chat, person, place);
    match action {
        ButtonAction::StartConsultation => consult_start(chat, person, place, None, lang).await,
        ButtonAction::ConsentYes | ButtonAction::ConsentNo => {
            // The request's own language, not the button press's (which has no text).
            let lang = match request.step().await {
                Ok(Some(step)) => Lang::parse(&step.language).unwrap_or(lang),
                Ok(None) => lang,
                Err(error) => return internal(chat, lang, error),
            };
            let yes = action == ButtonAction::ConsentYes;
            let in_channel = matches!(place, Place::Channel(_));
            consent(&request, yes, in_channel, lang).await
        }
        ButtonAction::AcceptOffer(offer) => answer_offer(chat, person, offer, true, lang).await,
        ButtonAction::DeclineOffer(offer) => answer_offer(chat, person, offer, false, lang).await,
        ButtonAction::Rate {
            consultation,
            score,
        } => super::rating::rate(chat, person, consultation, score, lang).await,
    }
}
