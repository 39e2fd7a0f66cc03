//! `/help` (by role) and `/language`.

use crate::chat::core::Chat;
use crate::chat::invocation::{Ctx, Handled};
use crate::chat::reply::Reply;
use crate::db;
use crate::lang::Lang;

pub fn help(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(async move { help_text(cx.chat, cx.lang) })
}

pub(crate) fn help_text(chat: &Chat, lang: Lang) -> Reply {
    let p = chat.prompts();
    Reply::text(
        lang,
        format!(
            "{}\n{}",
            p.get(lang, "help.title"),
            p.get(lang, "help.body")
        ),
    )
}

pub fn language(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(async move {
        let code = cx.invocation.text("language").unwrap_or("");
        set_language(cx.chat, &cx.person.id, code, cx.lang).await
    })
}

async fn set_language(chat: &Chat, person: &str, code: &str, lang: Lang) -> Reply {
    let p = chat.prompts();
    let Some(chosen) = Lang::parse(code) else {
        return Reply::text(lang, p.fill(lang, "language.unknown", &[("value", code)])).private();
    };
    if let Err(error) = db::user_preferences::set_language(chat.pool(), person, chosen.code()).await
    {
        tracing::error!(%error, "saving a language preference failed");
        return Reply::text(lang, p.get(lang, "error.internal")).private();
    }
    Reply::text(chosen, p.get(chosen, "language.set")).private()
}
