//! `/find` and searches said in plain words: the reply, and the unmet-search signal.

use crate::chat::buttons::ButtonAction;
use crate::chat::core::Chat;
use crate::chat::incoming::Person;
use crate::chat::invocation::{Ctx, Handled};
use crate::chat::reply::Reply;
use crate::chat::search_reply::search_reply;
use crate::db;
use crate::directory::search::SearchOptions;
use crate::lang::Lang;

/// No district name is longer; a longer `area` option is cut before it is echoed back.
const MAX_AREA_CHARS: usize = 20;

pub fn find(cx: Ctx<'_>) -> Handled<'_> {
    Box::pin(async move {
        let options = SearchOptions {
            area: cx
                .invocation
                .text("area")
                .map(|a| crate::text::truncate_chars(a.trim(), MAX_AREA_CHARS).to_string())
                .filter(|a| !a.is_empty()),
            recruiting_only: cx.invocation.flag("recruiting"),
            ..SearchOptions::default()
        };
        let query = cx.text("query");
        search(cx.chat, query, options, cx.lang)
    })
}

/// A message that is a search: answered, and remembered if it found nothing.
pub(crate) async fn search_said(chat: &Chat, person: &Person, text: &str, lang: Lang) -> Reply {
    let reply = search(chat, text, SearchOptions::default(), lang);
    note_miss(chat, person, text, &reply).await;
    reply
}

fn search(chat: &Chat, query: &str, mut options: SearchOptions, lang: Lang) -> Reply {
    let searcher = chat.searcher();
    let p = chat.prompts();
    if searcher.is_empty() {
        return Reply::text(lang, p.get(lang, "search.empty_directory"));
    }
    options.limit = chat.settings().search_limit;
    let outcome = searcher.search_cached(query, &options);
    if !outcome.understood {
        return Reply::text(lang, p.get(lang, "not_understood.text"));
    }
    let mut reply = search_reply(&searcher, p, lang, query, &outcome);
    if let (true, Some(area)) = (outcome.none_in_area, &outcome.area) {
        let note = p.fill(lang, "search_area.none_in_area", &[("area", area)]);
        reply.text = format!("{note}\n{}", reply.text);
    }
    if let Some(area) = &options.area {
        reply
            .text
            .push_str(&p.fill(lang, "search.area_filter", &[("area", area)]));
    }
    reply
}

/// A search that found nothing is remembered as its terms (never the message), so the digest
/// can show what people look for and the directory lacks.
async fn note_miss(chat: &Chat, person: &Person, text: &str, reply: &Reply) {
    // Only a search that found nothing offers the consultation button.
    if !reply
        .buttons
        .iter()
        .any(|b| b.action == ButtonAction::StartConsultation)
    {
        return;
    }
    let query = chat.searcher().understand(text);
    let terms: Vec<String> = query
        .terms
        .iter()
        .filter(|t| t.weight >= 1.0 && !t.untranslated_english)
        .filter_map(|t| t.alternatives.first().map(|a| a.text.clone()))
        .collect();
    if terms.is_empty() {
        return;
    }
    let now = chat.clock().now();
    if let Err(error) = db::search_misses::record(chat.pool(), &terms, &person.id, now).await {
        tracing::warn!(%error, "recording a search miss");
    }
}
