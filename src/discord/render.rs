//! `Reply` → serenity builders, in one place: messages split at 2,000 characters, embeds within
//! Discord's limits, and no mention ever parsed from text that people or the registry wrote.

use serenity::builder::{
    CreateAllowedMentions, CreateEmbed, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage,
};

use serenity::builder::{CreateActionRow, CreateAttachment, CreateButton};
use serenity::model::id::{RoleId, UserId};

use crate::chat::buttons::{Button, ButtonStyle};
use crate::chat::reply::Attachment;
use crate::chat::{Card, Reply};
use crate::outbox::Mention;
use crate::text::truncate_chars;

pub const CONTENT_CHARS: usize = 2000;
/// Room for mentions in front of the first part (`<@&` + a snowflake + `> ` each).
const MENTION_CHARS: usize = 250;
const EMBEDS_PER_MESSAGE: usize = 10;
const TITLE_CHARS: usize = 256;
const DESCRIPTION_CHARS: usize = 4096;
const FIELDS_PER_EMBED: usize = 25;
const FIELD_NAME_CHARS: usize = 256;
const FIELD_VALUE_CHARS: usize = 1024;
/// All embeds of one message together.
const EMBED_TOTAL_CHARS: usize = 6000;

/// One Discord message's worth of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Part {
    pub content: String,
    pub cards: Vec<Card>,
    /// On the last part only.
    pub buttons: Vec<Button>,
    /// On the first part only: the mentions a message may make.
    pub mentions: Vec<Mention>,
    /// On the last part only.
    pub attachments: Vec<Attachment>,
}

/// Splits a reply into messages Discord accepts: text in chunks of at most 2,000 characters
/// (at line ends where possible), cards clipped to the embed limits and packed ten (and at most
/// 6,000 characters) to a message.
pub fn parts(reply: &Reply) -> Vec<Part> {
    // Room for a role mention in front of the first part.
    let mut parts: Vec<Part> = split_text(&reply.text, CONTENT_CHARS - MENTION_CHARS)
        .into_iter()
        .map(|content| Part {
            content,
            ..Part::default()
        })
        .collect();
    if parts.is_empty() {
        parts.push(Part::default());
    }
    let mut budget = EMBED_TOTAL_CHARS;
    for card in reply.cards.iter().map(clip) {
        let size = card_chars(&card);
        let last = parts.len() - 1;
        if parts[last].cards.len() == EMBEDS_PER_MESSAGE || size > budget {
            parts.push(Part::default());
            budget = EMBED_TOTAL_CHARS;
        }
        budget = budget.saturating_sub(size);
        let last = parts.len() - 1;
        parts[last].cards.push(card);
    }
    parts[0].mentions = reply.mentions.clone();
    let last = parts.len() - 1;
    parts[last].buttons = reply.buttons.clone();
    parts[last].attachments = reply.attachments.clone();
    parts
}

fn card_chars(card: &Card) -> usize {
    card.title.chars().count()
        + card.body.chars().count()
        + card
            .fields
            .iter()
            .map(|(n, v)| n.chars().count() + v.chars().count())
            .sum::<usize>()
}

fn clipped(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = truncate_chars(text, max.saturating_sub(1)).to_string();
    out.push('…');
    out
}

/// Discord markdown in registry text is shown as typed, not interpreted.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The body with markdown escaped and the matched words in bold.
fn marked_body(card: &Card) -> String {
    card.body_segments()
        .into_iter()
        .map(|(text, marked)| {
            let text = escape_markdown(&text);
            if marked {
                format!("**{text}**")
            } else {
                text
            }
        })
        .collect()
}

/// A card as Discord shows it, within one embed's limits (and, alone, within a message's).
fn clip(card: &Card) -> Card {
    let mut clipped_card = Card {
        title: clipped(&escape_markdown(&card.title), TITLE_CHARS),
        body: clipped(&marked_body(card), DESCRIPTION_CHARS),
        fields: card
            .fields
            .iter()
            .take(FIELDS_PER_EMBED)
            .map(|(n, v)| {
                // An embed field needs a non-empty name and value.
                let name = if n.trim().is_empty() { "-" } else { n };
                let value = if v.trim().is_empty() { "-" } else { v };
                (
                    clipped(&escape_markdown(name), FIELD_NAME_CHARS),
                    clipped(&escape_markdown(value), FIELD_VALUE_CHARS),
                )
            })
            .collect(),
        highlights: Vec::new(),
    };
    // Over the whole-embed limit: shorten the body first, then drop the last fields.
    let over = card_chars(&clipped_card).saturating_sub(EMBED_TOTAL_CHARS);
    if over > 0 {
        let keep = clipped_card.body.chars().count().saturating_sub(over + 1);
        clipped_card.body = clipped(&clipped_card.body, keep.max(1));
    }
    while card_chars(&clipped_card) > EMBED_TOTAL_CHARS && clipped_card.fields.pop().is_some() {}
    clipped_card
}

/// Chunks of at most `max` characters, broken after a newline where one is near the end.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut rest = text.trim_end();
    while !rest.is_empty() {
        if rest.chars().count() <= max {
            chunks.push(rest.to_string());
            break;
        }
        let head = truncate_chars(rest, max);
        let cut = match head.rfind('\n') {
            Some(at) if at > head.len() / 2 => at + 1,
            _ => head.len(),
        };
        let chunk = rest[..cut].trim_end();
        // A stretch of blanks is no message (Discord refuses empty content).
        if !chunk.is_empty() {
            chunks.push(chunk.to_string());
        }
        rest = rest[cut..].trim_start_matches('\n');
    }
    chunks
}

fn embed(card: &Card) -> CreateEmbed {
    let mut embed = CreateEmbed::new().title(&card.title);
    if !card.body.is_empty() {
        embed = embed.description(&card.body);
    }
    for (name, value) in &card.fields {
        embed = embed.field(name, value, true);
    }
    embed
}

/// Nothing a bot message says can ping anyone (its text comes from people and the registry),
/// except the one role a message is meant to call (the coordinators, on an escalation).
fn mentions(part: &Part) -> CreateAllowedMentions {
    let (mut roles, mut users): (Vec<RoleId>, Vec<UserId>) = (Vec::new(), Vec::new());
    for mention in &part.mentions {
        match *mention {
            Mention::Role(id) if id != 0 => roles.push(RoleId::new(id)),
            Mention::User(id) if id != 0 => users.push(UserId::new(id)),
            _ => {}
        }
    }
    CreateAllowedMentions::new().roles(roles).users(users)
}

fn content(part: &Part) -> String {
    let mut text: String = part
        .mentions
        .iter()
        .map(|m| match m {
            Mention::Role(id) => format!("<@&{id}> "),
            Mention::User(id) => format!("<@{id}> "),
        })
        .collect();
    text.push_str(&part.content);
    text
}

fn components(part: &Part) -> Vec<CreateActionRow> {
    if part.buttons.is_empty() {
        return Vec::new();
    }
    let buttons = part
        .buttons
        .iter()
        .take(5) // Discord's limit per row
        .map(|b| {
            let style = match b.style {
                ButtonStyle::Primary => serenity::all::ButtonStyle::Primary,
                ButtonStyle::Secondary => serenity::all::ButtonStyle::Secondary,
                ButtonStyle::Danger => serenity::all::ButtonStyle::Danger,
            };
            CreateButton::new(b.action.to_string())
                .label(clipped(&b.label, 80))
                .style(style)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

/// The part's text, embeds, buttons and allowed mentions on any of serenity's message builders
/// (they share these method names but no trait).
macro_rules! with_part {
    ($builder:expr, $part:expr) => {{
        let part: &Part = $part;
        let builder = $builder
            .allowed_mentions(mentions(part))
            .embeds(part.cards.iter().map(embed).collect())
            .components(components(part));
        let text = content(part);
        if text.is_empty() {
            builder
        } else {
            builder.content(text)
        }
    }};
}

pub fn message(part: &Part) -> CreateMessage {
    let files = part
        .attachments
        .iter()
        .map(|a| CreateAttachment::bytes(a.bytes.clone(), a.name.clone()));
    with_part!(CreateMessage::new().add_files(files), part)
}

pub fn interaction_message(part: &Part, private: bool) -> CreateInteractionResponseMessage {
    with_part!(
        CreateInteractionResponseMessage::new().ephemeral(private),
        part
    )
}

/// The first part, written into a deferred answer.
pub fn edit(part: &Part) -> serenity::builder::EditInteractionResponse {
    with_part!(serenity::builder::EditInteractionResponse::new(), part)
}

pub fn followup(part: &Part, private: bool) -> CreateInteractionResponseFollowup {
    with_part!(
        CreateInteractionResponseFollowup::new().ephemeral(private),
        part
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn card(title: &str, body: &str) -> Card {
        Card {
            title: title.into(),
            body: body.into(),
            fields: vec![("地区".into(), "東山".into())],
            highlights: Vec::new(),
        }
    }

    #[test]
    fn matched_words_are_bold_and_registry_markdown_is_not_interpreted() {
        let mut c = card("*星* の会", "子ども食堂_毎週");
        c.highlights = vec!["子ども食堂".into()];
        let reply = Reply {
            lang: Lang::Ja,
            text: String::new(),
            cards: vec![c],
            private: false,
            buttons: Vec::new(),
            mentions: Vec::new(),
            attachments: Vec::new(),
            open_thread: None,
            ask_text: None,
        };
        let shown = &parts(&reply)[0].cards[0];
        assert_eq!(shown.title, "\\*星\\* の会");
        assert_eq!(shown.body, "**子ども食堂**\\_毎週");
    }

    #[test]
    fn long_text_splits_at_line_ends_within_the_limit() {
        let line = "あ".repeat(150);
        let text = vec![line.as_str(); 30].join("\n");
        let chunks = split_text(&text, CONTENT_CHARS);
        assert!(chunks.len() >= 3);
        assert!(chunks.iter().all(|c| c.chars().count() <= CONTENT_CHARS));
        assert!(chunks
            .iter()
            .all(|c| !c.starts_with('\n') && !c.ends_with('\n')));
        assert_eq!(
            chunks.concat().chars().filter(|&c| c == 'あ').count(),
            150 * 30
        );
    }

    #[test]
    fn blank_stretches_never_make_an_empty_message() {
        let text = format!("前{}後", " ".repeat(4500));
        let chunks = split_text(&text, CONTENT_CHARS);
        assert!(
            chunks.iter().all(|c| !c.trim().is_empty()),
            "{:?}",
            chunks.iter().map(|c| c.len()).collect::<Vec<_>>()
        );
        assert_eq!(
            chunks
                .concat()
                .trim_matches(' ')
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
            "前後"
        );
    }

    #[test]
    fn a_single_huge_line_is_cut_without_losing_characters() {
        let text = "字".repeat(4500);
        let chunks = split_text(&text, CONTENT_CHARS);
        assert_eq!(
            chunks.iter().map(|c| c.chars().count()).collect::<Vec<_>>(),
            vec![2000, 2000, 500]
        );
    }

    #[test]
    fn cards_are_packed_ten_to_a_message() {
        let reply = Reply {
            lang: Lang::Ja,
            text: "見つかりました".into(),
            cards: (0..23).map(|i| card(&format!("団体{i}"), "説明")).collect(),
            private: false,
            buttons: Vec::new(),
            mentions: Vec::new(),
            attachments: Vec::new(),
            open_thread: None,
            ask_text: None,
        };
        let parts = parts(&reply);
        assert_eq!(
            parts.iter().map(|p| p.cards.len()).collect::<Vec<_>>(),
            vec![10, 10, 3]
        );
        assert_eq!(parts[0].content, "見つかりました");
        assert!(parts[1].content.is_empty());
    }

    #[test]
    fn oversized_cards_are_clipped_to_the_embed_limits() {
        let mut big = card(&"名".repeat(300), &"説".repeat(5000));
        big.fields = (0..30)
            .map(|i| (format!("f{i}"), "値".repeat(2000)))
            .collect();
        let reply = Reply {
            lang: Lang::Ja,
            text: String::new(),
            cards: vec![big],
            private: false,
            buttons: Vec::new(),
            mentions: Vec::new(),
            attachments: Vec::new(),
            open_thread: None,
            ask_text: None,
        };
        let parts = parts(&reply);
        let clipped = &parts[0].cards[0];
        assert_eq!(clipped.title.chars().count(), TITLE_CHARS);
        assert!(clipped.fields.len() <= FIELDS_PER_EMBED);
        assert!(clipped
            .fields
            .iter()
            .all(|(_, v)| v.chars().count() <= FIELD_VALUE_CHARS));
        assert!(card_chars(clipped) <= EMBED_TOTAL_CHARS);
    }

    #[test]
    fn an_escalation_may_mention_its_role_and_nothing_else() {
        let mut reply = Reply::text(Lang::Ja, "相談 #3 に担当が見つかりません。@everyone");
        reply.mentions = vec![Mention::Role(77)];
        reply.buttons = vec![Button {
            label: "引き受ける".into(),
            action: crate::chat::buttons::ButtonAction::AcceptOffer(3),
            style: ButtonStyle::Primary,
        }];
        let parts = parts(&reply);
        let body = serde_json::to_value(message(&parts[0])).unwrap();
        assert!(body["content"].as_str().unwrap().starts_with("<@&77> "));
        assert_eq!(
            body["allowed_mentions"],
            serde_json::json!({"parse": [], "users": [], "roles": ["77"]})
        );
        assert_eq!(
            body["components"][0]["components"][0]["custom_id"],
            "kyodo:accept:3"
        );
    }

    #[test]
    fn messages_never_allow_mentions() {
        let part = Part {
            content: "@everyone 応援団".into(),
            cards: vec![card("@everyone", "@here")],
            ..Part::default()
        };
        let body = serde_json::to_value(message(&part)).unwrap();
        assert_eq!(
            body["allowed_mentions"],
            serde_json::json!({"parse": [], "users": [], "roles": []})
        );
        let body = serde_json::to_value(interaction_message(&part, true)).unwrap();
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(body["flags"], 64);
    }
}
