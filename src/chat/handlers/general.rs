//! `/help` (by role) and `/language`.

use crate::chat::commands::COMMANDS;
use crate::chat::core::Chat;
use crate::chat::incoming::Person;
use crate::chat::invocation::{Ctx, Handled};
use crate::chat::reply::Reply;
use crate::lang::Lang;

pub fn help(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(async move { help_text(cx.chat, cx.person, cx.lang) })
}

/// The guide, then the commands this person may run (from the command table, so each role
/// sees its own: advisors their answers, coordinators the assignment, staff the progress).
pub(crate) fn help_text(chat: &Chat, person: &Person, lang: Lang) -> Reply {
    let p = chat.prompts();
    let mut lines = vec![
        p.get(lang, "help.title").to_string(),
        p.get(lang, "help.body").to_string(),
        p.get(lang, "help.commands").to_string(),
    ];
    for spec in COMMANDS.iter().filter(|c| !BASICS.contains(&c.name)) {
        let allowed =
            spec.access.allows(person) || spec.access_with.is_some_and(|(_, a)| a.allows(person));
        if allowed {
            let description = p.get(lang, &spec.description_key());
            lines.push(p.fill(
                lang,
                "help.command",
                &[("name", spec.name), ("description", description)],
            ));
        }
    }
    Reply::text(lang, lines.join("\n"))
}

/// Commands the guide's body already explains.
const BASICS: &[&str] = &["find", "language", "help"];

pub fn language(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(async move {
        let code = cx.text("language");
        set_language(cx.chat, &cx.person.id, code, cx.lang).await
    })
}

async fn set_language(chat: &Chat, person: &str, code: &str, lang: Lang) -> Reply {
    let p = chat.prompts();
    let Some(chosen) = Lang::parse(code) else {
        return Reply::text(lang, p.fill(lang, "language.unknown", &[("value", code)])).private();
    };
    let now = chat.clock().now();
    let saved = (chat.memory())
        .set_language(chat.pool(), person, chosen, now)
        .await;
    if let Err(error) = saved {
        return chat.internal_error(lang, error);
    }
    Reply::text(chosen, p.get(chosen, "language.set")).private()
}
