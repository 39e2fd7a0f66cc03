//! `Reply` → serenity builders, in one place: messages split at 2,000 characters, embeds within
//! Discord's limits, and no mention ever parsed from text that people or the registry wrote.

use serenity::builder::{
    CreateAllowedMentions, CreateEmbed, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage,
};

use serenity::builder::{CreateActionRow, CreateAttachment, CreateButton};
use serenity::model::id::{RoleId, UserId};

use crate::chat::buttons::ButtonStyle;
use crate::chat::Card;
use crate::outbox::Mention;

mod limits;

use limits::*;
pub use limits::{parts, split_text, Part, CONTENT_CHARS};

/// A card as an embed; its texts are moved, not copied.
fn embed(card: Card) -> CreateEmbed {
    let mut embed = CreateEmbed::new().title(card.title);
    if !card.body.is_empty() {
        embed = embed.description(card.body);
    }
    for (name, value) in card.fields {
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

/// The part's text (taken out of it), after the mentions it makes.
fn content(part: &mut Part) -> String {
    if part.mentions.is_empty() {
        return std::mem::take(&mut part.content);
    }
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
/// (they share these method names but no trait). The part is used up: its texts move into the
/// builder.
macro_rules! with_part {
    ($builder:expr, $part:expr) => {{
        let mut part: Part = $part;
        let text = content(&mut part);
        let builder = $builder
            .allowed_mentions(mentions(&part))
            .components(components(&part))
            .embeds(part.cards.into_iter().map(embed).collect());
        if text.is_empty() {
            builder
        } else {
            builder.content(text)
        }
    }};
}

pub fn message(mut part: Part) -> CreateMessage {
    let files = std::mem::take(&mut part.attachments)
        .into_iter()
        .map(|a| CreateAttachment::bytes(a.bytes, a.name));
    with_part!(CreateMessage::new().add_files(files), part)
}

pub fn interaction_message(part: Part, private: bool) -> CreateInteractionResponseMessage {
    with_part!(
        CreateInteractionResponseMessage::new().ephemeral(private),
        part
    )
}

/// The first part, written into a deferred answer.
pub fn edit(part: Part) -> serenity::builder::EditInteractionResponse {
    with_part!(serenity::builder::EditInteractionResponse::new(), part)
}

pub fn followup(part: Part, private: bool) -> CreateInteractionResponseFollowup {
    with_part!(
        CreateInteractionResponseFollowup::new().ephemeral(private),
        part
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::buttons::Button;
    use crate::chat::Reply;
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
            cards: vec![c],
            ..Reply::text(Lang::Ja, String::new())
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
            cards: (0..23).map(|i| card(&format!("団体{i}"), "説明")).collect(),
            ..Reply::text(Lang::Ja, "見つかりました")
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
            cards: vec![big],
            ..Reply::text(Lang::Ja, String::new())
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
        let body = serde_json::to_value(message(parts[0].clone())).unwrap();
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
        let body = serde_json::to_value(message(part.clone())).unwrap();
        assert_eq!(
            body["allowed_mentions"],
            serde_json::json!({"parse": [], "users": [], "roles": []})
        );
        let body = serde_json::to_value(interaction_message(part, true)).unwrap();
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
        assert_eq!(body["flags"], 64);
    }
}
