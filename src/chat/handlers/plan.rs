//! The plan in conversation: `/progress N STATUS NOTE` records (staff), `/progress N` shows an
//! action's history, `/plan` shows the 22 actions under their visions with their status.

use chrono::TimeZone;

use crate::chat::core::Chat;
use crate::chat::forms::{Form, TextRequest};
use crate::chat::incoming::{Person, Place};
use crate::chat::invocation::{Access, Ctx, Handled};
use crate::chat::reply::Reply;
use crate::lang::Lang;
use crate::plan::action;
use crate::plan::fiscal::fiscal_year;
use crate::plan::progress::{self, ProgressError, Status, Update};

/// Longest progress note kept (characters).
const NOTE_CHARS: usize = 500;

/// Dates are shown in the office's time zone.
const OFFICE_ZONE: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

fn office_date(at: i64) -> chrono::NaiveDate {
    OFFICE_ZONE
        .timestamp_opt(at, 0)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

async fn action_title(chat: &Chat, no: u32) -> Result<Option<String>, sqlx::Error> {
    let mut conn = chat.pool().acquire().await?;
    Ok(action::load_all(&mut conn)
        .await?
        .into_iter()
        .find(|a| a.no == no)
        .map(|a| a.title))
}

/// `/progress N [STATUS [NOTE]]`. `ask_note`: a status without a note is not recorded yet but
/// its note asked for in a form (the command came from a server channel, where a note typed
/// later would be public); the form's answer comes back through `note_filled`.
pub(crate) async fn progress(
    chat: &Chat,
    person: &Person,
    action: &str,
    status: Option<&str>,
    note: Option<&str>,
    ask_note: bool,
    lang: Lang,
) -> Reply {
    let p = chat.prompts();
    let Some(no) = action.trim().parse::<u32>().ok() else {
        return Reply::text(
            lang,
            p.fill(
                lang,
                "progress.unknown_action",
                &[("action", action.trim())],
            ),
        )
        .private();
    };
    let title = match action_title(chat, no).await {
        Ok(Some(title)) => title,
        Ok(None) => {
            return Reply::text(
                lang,
                p.fill(
                    lang,
                    "progress.unknown_action",
                    &[("action", &no.to_string())],
                ),
            )
            .private()
        }
        Err(error) => return chat.internal_error(lang, error),
    };
    let number = no.to_string();
    let Some(status) = status.map(str::trim).filter(|s| !s.is_empty()) else {
        return history(chat, no, &title, lang).await;
    };
    let Some(parsed) = Status::parse(status) else {
        return Reply::text(
            lang,
            p.fill(lang, "progress.unknown_status", &[("status", status)]),
        )
        .private();
    };
    if ask_note && note.is_none_or(|n| n.trim().is_empty()) {
        return note_form(chat, no, parsed, lang);
    }
    let now = chat.clock().now();
    let update = Update {
        action_no: no,
        fiscal_year: fiscal_year(office_date(now)),
        status: parsed,
        note: crate::text::truncate_chars(note.unwrap_or("").trim(), NOTE_CHARS).to_string(),
        author_id: person.id.clone(),
        created_at: now,
    };
    match progress::record(chat.pool(), &update).await {
        Ok(()) => Reply::text(
            lang,
            p.fill(
                lang,
                "progress.recorded",
                &[
                    ("action", &number),
                    ("title", &title),
                    ("status", parsed.label(lang)),
                    ("fy", &update.fiscal_year.to_string()),
                ],
            ),
        ),
        Err(ProgressError::UnknownAction(_)) => Reply::text(
            lang,
            p.fill(lang, "progress.unknown_action", &[("action", &number)]),
        )
        .private(),
        Err(ProgressError::Store(error)) => chat.internal_error(lang, error),
    }
}

async fn history(chat: &Chat, no: u32, title: &str, lang: Lang) -> Reply {
    let p = chat.prompts();
    let number = no.to_string();
    let updates = match progress::history(chat.pool(), no).await {
        Ok(updates) => updates,
        Err(error) => return chat.internal_error(lang, error),
    };
    if updates.is_empty() {
        return Reply::text(
            lang,
            p.fill(
                lang,
                "progress.history_empty",
                &[("action", &number), ("title", title)],
            ),
        )
        .private();
    }
    let mut lines = vec![p.fill(
        lang,
        "progress.history_title",
        &[("action", &number), ("title", title)],
    )];
    for u in updates {
        lines.push(p.fill(
            lang,
            "progress.history_line",
            &[
                ("date", &office_date(u.created_at).to_string()),
                ("status", u.status.label(lang)),
                ("fy", &u.fiscal_year.to_string()),
                ("note", &u.note),
            ],
        ));
    }
    // Staff notes: answered to the person only, wherever they asked.
    Reply::text(lang, lines.join("\n")).private()
}

pub(crate) async fn plan_overview(chat: &Chat, lang: Lang) -> Reply {
    let p = chat.prompts();
    let actions = match chat.pool().acquire().await {
        Ok(mut conn) => action::load_all(&mut conn).await,
        Err(error) => Err(error),
    };
    let actions = match actions {
        Ok(actions) => actions,
        Err(error) => return chat.internal_error(lang, error),
    };
    let latest = match progress::latest(chat.pool(), chat.clock().now()).await {
        Ok(latest) => latest,
        Err(error) => return chat.internal_error(lang, error),
    };
    let mut lines = vec![p.get(lang, "progress.plan_title").to_string()];
    let mut vision = 0;
    for a in &actions {
        if a.vision != vision {
            vision = a.vision;
            lines.push(p.fill(
                lang,
                "progress.plan_vision",
                &[("no", &a.vision.to_string()), ("title", &a.vision_title)],
            ));
        }
        let no = a.no.to_string();
        lines.push(match latest.iter().find(|u| u.action_no == a.no) {
            Some(u) => p.fill(
                lang,
                "progress.plan_line",
                &[
                    ("no", &no),
                    ("title", &a.title),
                    ("status", u.status.label(lang)),
                ],
            ),
            None => p.fill(
                lang,
                "progress.plan_line_never",
                &[("no", &no), ("title", &a.title)],
            ),
        });
    }
    Reply::text(lang, lines.join("\n"))
}

/// The form for the note of `/progress N STATUS` (optional: left empty, none is recorded).
fn note_form(chat: &Chat, no: u32, status: Status, lang: Lang) -> Reply {
    let p = chat.prompts();
    let number = no.to_string();
    // `word`: the status as typed after the command (a label may have spaces).
    let vars = [
        ("action", number.as_str()),
        ("status", status.label(lang)),
        ("word", status.as_str()),
    ];
    let mut reply = Reply::text(lang, p.fill(lang, "progress_form.asked", &vars)).private();
    reply.ask_text = Some(TextRequest {
        form: Form::ProgressNote { action: no, status },
        title: p.fill(lang, "progress_form.title", &vars),
        label: p.get(lang, "progress_form.label").into(),
        max_chars: NOTE_CHARS,
        required: false,
        reopen_hint: p.fill(lang, "progress_form.reopen", &vars),
    });
    reply
}

/// The progress form sent: the sender is checked again (staff now, not when the form opened),
/// then it is recorded as `/progress N STATUS NOTE` would be.
pub(crate) async fn note_filled(
    chat: &Chat,
    person: &Person,
    action: u32,
    status: Status,
    note: &str,
    lang: Lang,
) -> Reply {
    if !Access::Staff.allows(person) {
        return chat.say_privately(lang, Access::Staff.refusal_key());
    }
    let action = action.to_string();
    let status = Some(status.as_str());
    progress(chat, person, &action, status, Some(note), false, lang).await
}

pub fn progress_command(cx: Ctx<'_>) -> Handled<'_> {
    let action = cx.text("action");
    let status = cx.invocation.text("status");
    let note = cx.invocation.text("note");
    let ask_note = matches!(cx.place, Place::Channel(_));
    let (chat, person, lang) = (cx.chat, cx.person, cx.lang);
    Box::pin(progress(chat, person, action, status, note, ask_note, lang))
}

pub fn overview(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(plan_overview(cx.chat, cx.lang))
}
