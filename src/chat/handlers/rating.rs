//! "How useful was it?": the requester's answer to the question that comes with a resolved
//! consultation (buttons 1–5, then an optional comment through a form). One answer per
//! consultation; a second press is refused politely. Counted in the digest and the report.

use crate::chat::core::Chat;
use crate::chat::forms::{Form, TextRequest};
use crate::chat::incoming::Person;
use crate::chat::reply::Reply;
use crate::consult::state::State;
use crate::db;
use crate::lang::Lang;

/// Longest comment kept (characters).
const MAX_COMMENT_CHARS: usize = 500;

/// A press of one of the score buttons.
pub(crate) async fn rate(
    chat: &Chat,
    person: &Person,
    consultation: i64,
    score: u8,
    lang: Lang,
) -> Reply {
    let mut conn = match chat.pool().acquire().await {
        Ok(conn) => conn,
        Err(error) => return super::consult::internal(chat, lang, error),
    };
    let found = match db::consultations::get(&mut conn, consultation).await {
        Ok(found) => found,
        Err(error) => return super::consult::internal(chat, lang, error),
    };
    // Only the requester rates, and only a resolved consultation.
    let Some(row) = found.filter(|c| c.requester_id == person.id) else {
        return chat.say_privately(lang, "consult.error.not_yours");
    };
    if State::parse(&row.state) != Some(State::Resolved) {
        return chat.say_privately(lang, "rating.not_resolved");
    }
    let now = chat.clock().now();
    match db::consultation_ratings::insert(&mut conn, consultation, score, None, now).await {
        Ok(true) => {
            let p = chat.prompts();
            let mut reply = chat.say_privately(lang, "rating.thanks");
            reply.ask_text = Some(TextRequest {
                form: Form::RatingComment(consultation),
                title: p.get(lang, "rating.form_title").into(),
                label: p.get(lang, "rating.form_label").into(),
                max_chars: MAX_COMMENT_CHARS,
                required: true,
                reopen_hint: p.get(lang, "rating.thanks").into(),
            });
            reply
        }
        Ok(false) => chat.say_privately(lang, "rating.already"),
        Err(error) => super::consult::internal(chat, lang, error),
    }
}

/// The optional comment written into the form after a score.
pub(crate) async fn comment(
    chat: &Chat,
    person: &Person,
    consultation: i64,
    text: &str,
    lang: Lang,
) -> Reply {
    let text = crate::text::truncate_chars(text.trim(), MAX_COMMENT_CHARS);
    if text.is_empty() {
        return chat.say_privately(lang, "rating.thanks_comment");
    }
    let saved =
        db::consultation_ratings::set_comment(chat.pool(), consultation, &person.id, text).await;
    match saved {
        Ok(true) => chat.say_privately(lang, "rating.thanks_comment"),
        Ok(false) => chat.say_privately(lang, "rating.already"),
        Err(error) => super::consult::internal(chat, lang, error),
    }
}
