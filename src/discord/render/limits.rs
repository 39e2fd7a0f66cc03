//! Discord's limits on what one message may carry (docs: discord.com/developers/docs/resources/
//! message and …/resources/channel#embed-object-embed-limits), and the splitting and clipping
//! that keep a reply within them. Pure: no serenity here.

use crate::chat::buttons::Button;
use crate::chat::reply::Attachment;
use crate::chat::{Card, Reply};
use crate::outbox::Mention;
use crate::text::truncate_chars;

pub const CONTENT_CHARS: usize = 2000;
/// Room for mentions in front of the first part (`<@&` + a snowflake + `> ` each).
pub(super) const MENTION_CHARS: usize = 250;
pub(super) const EMBEDS_PER_MESSAGE: usize = 10;
pub(super) const TITLE_CHARS: usize = 256;
pub(super) const DESCRIPTION_CHARS: usize = 4096;
pub(super) const FIELDS_PER_EMBED: usize = 25;
pub(super) const FIELD_NAME_CHARS: usize = 256;
pub(super) const FIELD_VALUE_CHARS: usize = 1024;
/// All embeds of one message together.
pub(super) const EMBED_TOTAL_CHARS: usize = 6000;

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
    for (card, size) in reply.cards.iter().map(fit_card) {
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

/// What a card counts towards a message's embed total (a check for the tests).
#[cfg(test)]
pub(super) fn card_chars(card: &Card) -> usize {
    card.title.chars().count()
        + card.body.chars().count()
        + card
            .fields
            .iter()
            .map(|(n, v)| n.chars().count() + v.chars().count())
            .sum::<usize>()
}

pub(super) fn clipped(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = truncate_chars(text, max.saturating_sub(1)).to_string();
    out.push('…');
    out
}

/// `text`, already made, when it is within `max` characters; else cut as `clipped` cuts. With
/// its length in characters, counted once.
fn within(text: String, max: usize) -> (String, usize) {
    let chars = text.chars().count();
    if chars <= max {
        (text, chars)
    } else {
        (clipped(&text, max), max)
    }
}

/// Discord markdown in registry text is shown as typed, not interpreted.
pub(super) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_markdown_into(&mut out, text);
    out
}

fn escape_markdown_into(out: &mut String, text: &str) {
    // The marks are ASCII, so the text is copied in runs between them (a byte that matches
    // is never inside a multi-byte letter).
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        if matches!(
            byte,
            b'\\' | b'*' | b'_' | b'~' | b'`' | b'|' | b'>' | b'[' | b']'
        ) {
            out.push_str(&text[from..at]);
            out.push('\\');
            from = at;
        }
    }
    out.push_str(&text[from..]);
}

/// The body with markdown escaped and the matched words in bold.
pub(super) fn marked_body(card: &Card) -> String {
    let mut out = String::with_capacity(card.body.len() + 16);
    for (text, marked) in card.body_segments() {
        if marked {
            out.push_str("**");
        }
        escape_markdown_into(&mut out, text);
        if marked {
            out.push_str("**");
        }
    }
    out
}

/// A card as Discord shows it, within one embed's limits (and, alone, within a message's),
/// with the characters it counts towards a message's embed total.
fn fit_card(card: &Card) -> (Card, usize) {
    let (title, title_chars) = within(escape_markdown(&card.title), TITLE_CHARS);
    let (mut body, mut body_chars) = within(marked_body(card), DESCRIPTION_CHARS);
    // Each field with its size in characters.
    let mut fields: Vec<((String, String), usize)> = card
        .fields
        .iter()
        .take(FIELDS_PER_EMBED)
        .map(|(n, v)| {
            // An embed field needs a non-empty name and value.
            let name = if n.trim().is_empty() { "-" } else { n };
            let value = if v.trim().is_empty() { "-" } else { v };
            let (name, name_chars) = within(escape_markdown(name), FIELD_NAME_CHARS);
            let (value, value_chars) = within(escape_markdown(value), FIELD_VALUE_CHARS);
            ((name, value), name_chars + value_chars)
        })
        .collect();
    let mut fields_chars: usize = fields.iter().map(|(_, n)| n).sum();
    // Over the whole-embed limit: shorten the body first, then drop the last fields.
    let over = (title_chars + body_chars + fields_chars).saturating_sub(EMBED_TOTAL_CHARS);
    if over > 0 {
        let keep = body_chars.saturating_sub(over + 1).max(1);
        body = clipped(&body, keep);
        body_chars = body.chars().count();
    }
    while title_chars + body_chars + fields_chars > EMBED_TOTAL_CHARS {
        match fields.pop() {
            Some((_, chars)) => fields_chars -= chars,
            None => break,
        }
    }
    let size = title_chars + body_chars + fields_chars;
    let card = Card {
        title,
        body,
        fields: fields.into_iter().map(|(field, _)| field).collect(),
        highlights: Vec::new(),
    };
    (card, size)
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
