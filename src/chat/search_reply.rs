//! A search outcome as a reply: results as cards, or an honest "nothing found" with the
//! closest fields and weaker ideas, never a list of noise.

use super::buttons::{Button, ButtonAction, ButtonStyle};
use super::prompts::Prompts;
use super::reply::{Card, Reply};
use crate::directory::search::{field_names, Field, Group, Hit, Outcome, Reason, Searcher, Via};
use crate::lang::Lang;
use crate::text::truncate_chars;

const QUERY_SHOWN_CHARS: usize = 60;
const DESCRIPTION_CHARS: usize = 300;

pub fn search_reply(
    searcher: &Searcher,
    prompts: &Prompts,
    lang: Lang,
    query: &str,
    outcome: &Outcome,
) -> Reply {
    let shown = truncate_chars(query.trim(), QUERY_SHOWN_CHARS);
    let mut text;
    let mut cards = Vec::new();
    if !outcome.results.is_empty() {
        text = prompts.fill(
            lang,
            "search.results",
            &[
                ("query", shown),
                ("count", &outcome.results.len().to_string()),
            ],
        );
        cards.extend(
            outcome
                .results
                .iter()
                .map(|hit| card(searcher.group(hit), hit, prompts, lang)),
        );
    } else {
        text = prompts.fill(lang, "search.none", &[("query", shown)]);
        if !outcome.closest_fields.is_empty() {
            let separator = if lang == Lang::Ja { "、" } else { ", " };
            let fields: Vec<&str> = outcome
                .closest_fields
                .iter()
                .filter_map(|&no| crate::directory::fields::field_name(no, lang))
                .collect();
            text.push('\n');
            text.push_str(&prompts.fill(
                lang,
                "search.closest_fields",
                &[("fields", &fields.join(separator))],
            ));
        }
        if !outcome.suggestions.is_empty() {
            text.push('\n');
            text.push_str(prompts.get(lang, "search.suggestions"));
            cards.extend(
                outcome
                    .suggestions
                    .iter()
                    .map(|hit| card(searcher.group(hit), hit, prompts, lang)),
            );
        }
        text.push('\n');
        text.push_str(prompts.get(lang, "search.consult"));
    }
    let mut reply = Reply {
        cards,
        ..Reply::text(lang, text)
    };
    if outcome.results.is_empty() {
        reply.buttons.push(Button {
            label: prompts.get(lang, "consult.button.ask").to_string(),
            action: ButtonAction::StartConsultation,
            style: ButtonStyle::Primary,
        });
    }
    reply
}

fn card(org: Group<'_>, hit: &Hit, prompts: &Prompts, lang: Lang) -> Card {
    let separator = if lang == Lang::Ja { "、" } else { ", " };
    let [name_en, description_en] = org.english();
    let (name, description) = match lang {
        Lang::En if !name_en.is_empty() => (format!("{name_en} ({})", org.name()), description_en),
        _ => (org.name().to_string(), org.description()),
    };
    let mut body = truncate_chars(description, DESCRIPTION_CHARS).to_string();
    if body.len() < description.len() {
        body.push('…');
    }
    let recruiting = if org.recruiting() {
        "card.recruiting_yes"
    } else {
        "card.recruiting_no"
    };
    // Room for the contact and the reasons too.
    let mut fields = Vec::with_capacity(5);
    fields.extend([
        (
            prompts.get(lang, "card.area").to_string(),
            org.area().to_string(),
        ),
        (
            prompts.get(lang, "card.fields").to_string(),
            field_names(org.fields(), lang).join(separator),
        ),
        (
            prompts.get(lang, "card.recruiting").to_string(),
            prompts.get(lang, recruiting).to_string(),
        ),
    ]);
    if !org.contact().is_empty() {
        fields.push((
            prompts.get(lang, "card.contact").to_string(),
            org.contact().to_string(),
        ));
    }
    let why = describe_reasons(&hit.reasons, prompts, lang);
    if !why.is_empty() {
        fields.push((prompts.get(lang, "card.why").to_string(), why));
    }
    let mut highlights: Vec<String> = Vec::new();
    for reason in &hit.reasons {
        for word in [&reason.matched, &reason.typed] {
            if !highlights.contains(word) {
                highlights.push(word.clone());
            }
        }
    }
    Card {
        title: name,
        body,
        fields,
        highlights,
    }
}

/// "子ども食堂 → キーワード; こども → 名前（表記ゆれ：子ども）".
pub fn describe_reasons(reasons: &[Reason], prompts: &Prompts, lang: Lang) -> String {
    let separator = if lang == Lang::Ja { "、" } else { "; " };
    reasons
        .iter()
        .map(|reason| {
            let field = prompts.get(lang, field_key(reason.field));
            let key = match reason.via {
                Via::Exact => "why.exact",
                Via::Variant => "why.variant",
                // Near in meaning (the semantic layer) is shown as related, naming the word.
                Via::Related | Via::Similar => "why.related",
                Via::English => "why.english_word",
                Via::Typo => "why.typo",
            };
            prompts.fill(
                lang,
                key,
                &[
                    ("typed", &reason.typed),
                    ("field", field),
                    ("matched", &reason.matched),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(separator)
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::Name => "why.name",
        Field::Keywords => "why.keywords",
        Field::Reading => "why.reading",
        Field::Target => "why.target",
        Field::Fields => "why.fields",
        Field::Description => "why.description",
        Field::English => "why.english",
        Field::Area => "why.area",
    }
}
