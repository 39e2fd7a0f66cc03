//! Consultation commands in conversation: advisors' accept / decline / resolve / availability,
//! requesters' cancel, coordinators' assign, and each person's list. Every press and command
//! re-checks the state in the store. (Asking for one is in `intake.rs`.)

use crate::chat::core::Chat;
use crate::chat::forms::{Form, TextRequest};
use crate::chat::incoming::{Person, Role};
use crate::chat::invocation::{Ctx, Handled};
use crate::chat::reply::Reply;
use crate::consult::model::Consultation;
use crate::consult::service::{self, ConsultError, Listing};
use crate::consult::state::{transition, Event, State};
use crate::db;
use crate::lang::Lang;
use crate::text::truncate_chars;

const LIST_TOPIC_CHARS: usize = 40;
pub(crate) fn now(chat: &Chat) -> i64 {
    chat.clock().now()
}

/// Where a store error becomes the person's reply: busy (another writer held the database past
/// the busy timeout) asks them to try again; anything else is the internal error.
pub(crate) fn internal(chat: &Chat, lang: Lang, error: sqlx::Error) -> Reply {
    if crate::store::is_busy(&error) {
        tracing::warn!(%error, "consultation step: database busy");
        return chat.say_privately(lang, "store.busy");
    }
    chat.internal_error(lang, error)
}

/// A change done: the worker is nudged to deliver its notices, and the person gets `key`
/// (with the consultation's number); a refusal is explained.
fn confirm(
    chat: &Chat,
    result: Result<Consultation, ConsultError>,
    key: &str,
    lang: Lang,
) -> Reply {
    match result {
        Ok(consultation) => {
            chat.outbox_changed();
            let number = consultation.id.to_string();
            Reply::text(lang, chat.prompts().fill(lang, key, &[("number", &number)])).private()
        }
        Err(error) => consult_error(chat, lang, error),
    }
}

pub(crate) fn consult_error(chat: &Chat, lang: Lang, error: ConsultError) -> Reply {
    let p = chat.prompts();
    let text = match error {
        ConsultError::EmptyTopic => p.get(lang, "consult.error.empty").to_string(),
        ConsultError::TopicTooLong { max } => {
            p.fill(lang, "consult.error.too_long", &[("max", &max.to_string())])
        }
        ConsultError::AlreadyOpen { number } => p.fill(
            lang,
            "consult.error.duplicate",
            &[("number", &number.to_string())],
        ),
        ConsultError::TooManyOpen { max } => {
            p.fill(lang, "consult.error.too_many", &[("max", &max.to_string())])
        }
        ConsultError::NotFound => p.get(lang, "consult.error.not_found").to_string(),
        ConsultError::NotYours => p.get(lang, "consult.error.not_yours").to_string(),
        ConsultError::OfferClosed => p.get(lang, "consult.error.offer_closed").to_string(),
        ConsultError::UnknownAdvisor => p.get(lang, "consult.error.unknown_advisor").to_string(),
        ConsultError::Refused(refused) => p.fill(
            lang,
            "consult.error.state",
            &[(
                "state",
                p.get(lang, &format!("consult.state.{}", refused.from)),
            )],
        ),
        ConsultError::Store(error) => return internal(chat, lang, error),
    };
    Reply::text(lang, text).private()
}

fn not_advisor(chat: &Chat, lang: Lang) -> Reply {
    chat.say_privately(lang, "consult.error.not_advisor")
}

pub(crate) async fn answer_offer(
    chat: &Chat,
    person: &Person,
    offer: i64,
    accept: bool,
    lang: Lang,
) -> Reply {
    let Some(advisor) = person.advisor_id.as_deref() else {
        return not_advisor(chat, lang);
    };
    let now = now(chat);
    let result = if accept {
        service::accept(
            chat.pool(),
            now,
            offer,
            advisor,
            chat.consult_settings().contact,
        )
        .await
    } else {
        service::decline(
            chat.pool(),
            now,
            chat.consult_settings(),
            &chat.searcher(),
            offer,
            advisor,
        )
        .await
    };
    let key = if accept {
        "consult.you_accepted"
    } else {
        "consult.you_declined"
    };
    confirm(chat, result, key, lang)
}

/// `/accept N` or `/decline N`: the advisor's open offer of consultation N.
pub(crate) async fn answer_by_number(
    chat: &Chat,
    person: &Person,
    number: &str,
    accept: bool,
    lang: Lang,
) -> Reply {
    let Some(advisor) = person.advisor_id.clone() else {
        return not_advisor(chat, lang);
    };
    let Some(number) = parse_number(number) else {
        return consult_error(chat, lang, ConsultError::NotFound);
    };
    match service::open_offer_for(chat.pool(), number, &advisor).await {
        Ok(Some(offer)) => answer_offer(chat, person, offer, accept, lang).await,
        Ok(None) => consult_error(chat, lang, ConsultError::OfferClosed),
        Err(error) => consult_error(chat, lang, error),
    }
}

pub(crate) async fn resolve(
    chat: &Chat,
    person: &Person,
    number: &str,
    note: &str,
    lang: Lang,
) -> Reply {
    let Some(advisor) = person.advisor_id.clone() else {
        return not_advisor(chat, lang);
    };
    let Some(number) = parse_number(number) else {
        return consult_error(chat, lang, ConsultError::NotFound);
    };
    let max = chat.consult_settings().max_topic_chars;
    if note.trim().is_empty() {
        // The form only opens for what the note could close now (checked again on submit).
        return match resolvable(chat, number, &advisor).await {
            Ok(()) => resolve_form(chat, number, max, lang),
            Err(error) => consult_error(chat, lang, error),
        };
    }
    confirm(
        chat,
        service::resolve(chat.pool(), now(chat), number, &advisor, note, max).await,
        "consult.you_resolved",
        lang,
    )
}

/// Consultation `number` is `advisor`'s and in a state that resolving may leave.
async fn resolvable(chat: &Chat, number: i64, advisor: &str) -> Result<(), ConsultError> {
    let mut conn = chat.pool().acquire().await?;
    let row = db::consultations::get(&mut conn, number).await?;
    let row = row.ok_or(ConsultError::NotFound)?;
    if row.advisor_id.as_deref() != Some(advisor) {
        return Err(ConsultError::NotYours);
    }
    let state = State::parse(&row.state).ok_or(ConsultError::NotFound)?;
    transition(state, Event::Resolve)?;
    Ok(())
}

/// The note asked for through a form, which only the advisor sees; its answer comes back to
/// `resolve`, where the advisor and the consultation's state are checked again.
fn resolve_form(chat: &Chat, number: i64, max_chars: usize, lang: Lang) -> Reply {
    let p = chat.prompts();
    let n = number.to_string();
    let vars = [("number", n.as_str())];
    let mut reply = Reply::text(lang, p.fill(lang, "resolve_form.asked", &vars)).private();
    reply.ask_text = Some(TextRequest {
        form: Form::ResolveNote(number),
        title: p.fill(lang, "resolve_form.title", &vars),
        label: p.get(lang, "resolve_form.label").into(),
        max_chars,
        required: true,
        reopen_hint: p.fill(lang, "resolve_form.reopen", &vars),
    });
    reply
}

pub(crate) async fn cancel(chat: &Chat, person: &Person, number: &str, lang: Lang) -> Reply {
    let Some(number) = parse_number(number) else {
        return consult_error(chat, lang, ConsultError::NotFound);
    };
    confirm(
        chat,
        service::cancel(chat.pool(), now(chat), number, &person.id).await,
        "consult.you_cancelled",
        lang,
    )
}

pub(crate) async fn assign(
    chat: &Chat,
    person: &Person,
    number: &str,
    advisor: &str,
    lang: Lang,
) -> Reply {
    let Some(number) = parse_number(number) else {
        return consult_error(chat, lang, ConsultError::NotFound);
    };
    match service::assign(
        chat.pool(),
        now(chat),
        number,
        advisor.trim(),
        &person.id,
        chat.consult_settings().contact,
    )
    .await
    {
        Ok(c) => {
            chat.outbox_changed();
            let who = c.advisor_id.unwrap_or_default();
            Reply::text(
                lang,
                chat.prompts().fill(
                    lang,
                    "consult.you_assigned",
                    &[("number", &c.id.to_string()), ("advisor", &who)],
                ),
            )
            .private()
        }
        Err(error) => consult_error(chat, lang, error),
    }
}

pub(crate) async fn set_availability(
    chat: &Chat,
    person: &Person,
    state: &str,
    lang: Lang,
) -> Reply {
    let Some(advisor) = person.advisor_id.as_deref() else {
        return not_advisor(chat, lang);
    };
    let on = state == "on";
    match service::set_availability(chat.pool(), advisor, on).await {
        Ok(()) => {
            let key = if on {
                "consult.available_on"
            } else {
                "consult.available_off"
            };
            Reply::text(lang, chat.prompts().get(lang, key)).private()
        }
        Err(error) => consult_error(chat, lang, error),
    }
}

/// `/consultations`: a coordinator sees the queue, an advisor their offers and cases, anyone
/// their own requests. Always private: it may hold topics.
pub(crate) async fn list(chat: &Chat, person: &Person, lang: Lang) -> Reply {
    let (listing, title) = if person.has(Role::Coordinator) {
        (Listing::Queue, "consult.list.queue")
    } else if let Some(advisor) = person.advisor_id.as_deref() {
        (Listing::Advisor(advisor), "consult.list.advisor")
    } else {
        (Listing::Requester(&person.id), "consult.list.mine")
    };
    let found = match service::list(chat.pool(), listing).await {
        Ok(found) => found,
        Err(error) => return consult_error(chat, lang, error),
    };
    let p = chat.prompts();
    if found.is_empty() {
        return Reply::text(lang, p.get(lang, "consult.list.empty")).private();
    }
    let now = now(chat);
    let mut text = p.get(lang, title).to_string();
    for c in &found {
        text.push('\n');
        text.push_str(&list_line(chat, c, now, lang));
    }
    Reply::text(lang, text).private()
}

fn list_line(chat: &Chat, c: &Consultation, now: i64, lang: Lang) -> String {
    let p = chat.prompts();
    let topic = c
        .topic
        .as_deref()
        .map(|t| truncate_chars(t, LIST_TOPIC_CHARS).to_string())
        .unwrap_or_default();
    p.fill(
        lang,
        "consult.list.line",
        &[
            ("number", &c.id.to_string()),
            ("action", &c.route.action().to_string()),
            ("state", p.get(lang, &format!("consult.state.{}", c.state))),
            ("hours", &((now - c.created_at).max(0) / 3600).to_string()),
            ("advisor", c.advisor_id.as_deref().unwrap_or("-")),
            ("topic", &topic),
        ],
    )
}

fn parse_number(text: &str) -> Option<i64> {
    text.trim()
        .trim_start_matches(['#', '＃'])
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
}

pub fn request(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(super::intake::consult_start(
        cx.chat,
        cx.person,
        cx.place,
        cx.invocation.text("topic"),
        cx.lang,
    ))
}

pub fn consultations(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(list(cx.chat, cx.person, cx.lang))
}

pub fn accept(cx: Ctx<'_>) -> Handled<'_> {
    let number = cx.text("number");
    Box::pin(answer_by_number(cx.chat, cx.person, number, true, cx.lang))
}

pub fn decline(cx: Ctx<'_>) -> Handled<'_> {
    let number = cx.text("number");
    Box::pin(answer_by_number(cx.chat, cx.person, number, false, cx.lang))
}

pub fn resolve_case(cx: Ctx<'_>) -> Handled<'_> {
    let number = cx.text("number");
    let note = cx.text("note");
    Box::pin(resolve(cx.chat, cx.person, number, note, cx.lang))
}

pub fn withdraw(cx: Ctx<'_>) -> Handled<'_> {
    let number = cx.text("number");
    Box::pin(cancel(cx.chat, cx.person, number, cx.lang))
}

pub fn assign_case(cx: Ctx<'_>) -> Handled<'_> {
    let number = cx.text("number");
    let advisor = cx.text("advisor");
    Box::pin(assign(cx.chat, cx.person, number, advisor, cx.lang))
}

pub fn availability(cx: Ctx<'_>) -> Handled<'_> {
    let state = cx.text("state");
    Box::pin(set_availability(cx.chat, cx.person, state, cx.lang))
}
