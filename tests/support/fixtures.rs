//! What Discord sends when people act: gateway payloads as Discord documents them (checked
//! against serenity's own types when dispatched).

#![allow(dead_code)]

use serde_json::{json, Value};

use super::fake_discord::{APPLICATION_ID, GUILD_ID};

pub fn user_json(id: &str, name: &str) -> Value {
    json!({"id": id, "username": name, "discriminator": "0", "global_name": name, "avatar": null})
}

// ---- fixtures: what Discord sends when people act ----

/// A DM from `user` in `channel`.
pub fn dm(message_id: u64, channel: &str, user: &str, content: &str) -> Value {
    json!({
        "id": message_id.to_string(), "channel_id": channel,
        "author": user_json(user, "citizen"),
        "content": content, "timestamp": "2026-11-22T09:30:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

/// A slash command in the guild by a member with `roles`; `kind` 2 is a command, 4 autocomplete.
pub fn slash(
    kind: u8,
    interaction_id: u64,
    token: &str,
    user: &str,
    roles: &[&str],
    name: &str,
    options: Value,
) -> Value {
    json!({
        "id": interaction_id.to_string(), "application_id": APPLICATION_ID, "type": kind,
        "data": {"id": "1800000000000000001", "name": name, "type": 1, "options": options},
        "guild_id": GUILD_ID.to_string(), "channel_id": "1300000000000000001",
        "channel": {"id": "1300000000000000001", "type": 0, "name": "general"},
        "member": {"user": user_json(user, "member"), "roles": roles,
                   "joined_at": "2024-04-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
                   "flags": 0, "permissions": "2248473465835073"},
        "token": token, "version": 1, "app_permissions": "2248473465835073",
        "locale": "ja", "guild_locale": "ja", "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()}, "context": 0,
        "attachment_size_limit": 26214400
    })
}

/// A button press on a bot message in a DM.
pub fn button(
    interaction_id: u64,
    token: &str,
    user: &str,
    channel: &str,
    custom_id: &str,
) -> Value {
    json!({
        "id": interaction_id.to_string(), "application_id": APPLICATION_ID, "type": 3,
        "data": {"custom_id": custom_id, "component_type": 2},
        "channel_id": channel, "channel": {"id": channel, "type": 1},
        "user": user_json(user, "advisor"),
        "message": {
            "id": "1600000000000000009", "channel_id": channel,
            "author": {"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0", "avatar": null, "bot": true},
            "content": "", "timestamp": "2026-11-22T09:31:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 0,
            "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "OK", "custom_id": custom_id}]}]
        },
        "token": token, "version": 1, "locale": "ja", "entitlements": [], "context": 1,
        "attachment_size_limit": 26214400
    })
}

pub const GUILD_CHANNEL: &str = "1300000000000000001";

fn member_json(user: &str, roles: &[&str]) -> Value {
    json!({"user": user_json(user, "member"), "roles": roles,
           "joined_at": "2024-04-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
           "flags": 0, "permissions": "2248473465835073"})
}

/// A message in a server channel, as a bot without the Message Content intent receives it:
/// the text only when it @mentions the bot, otherwise empty content (discord-api-docs,
/// "Message Content Intent").
pub fn guild_message(
    message_id: u64,
    channel: &str,
    user: &str,
    roles: &[&str],
    text: &str,
    mentions_bot: bool,
) -> Value {
    let (content, mentions) = if mentions_bot {
        (
            format!("<@{APPLICATION_ID}> {text}"),
            json!([{"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0",
                    "avatar": null, "bot": true, "global_name": null}]),
        )
    } else {
        (String::new(), json!([]))
    };
    let mut member = member_json(user, roles);
    member.as_object_mut().map(|m| m.remove("user"));
    json!({
        "id": message_id.to_string(), "channel_id": channel, "guild_id": GUILD_ID.to_string(),
        "author": user_json(user, "member"), "member": member,
        "content": content, "timestamp": "2026-11-22T09:30:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false,
        "mentions": mentions, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": false, "type": 0
    })
}

/// A button press on a bot message in a server channel, by a member with `roles`.
pub fn guild_button(
    interaction_id: u64,
    token: &str,
    user: &str,
    roles: &[&str],
    custom_id: &str,
) -> Value {
    let mut press = button(interaction_id, token, user, GUILD_CHANNEL, custom_id);
    let object = press.as_object_mut().expect("object");
    object.remove("user");
    object.insert("guild_id".into(), json!(GUILD_ID.to_string()));
    object.insert("member".into(), member_json(user, roles));
    object.insert(
        "channel".into(),
        json!({"id": GUILD_CHANNEL, "type": 0, "name": "general"}),
    );
    object.insert("context".into(), json!(0));
    press
}

/// A modal submitted in a server channel (`guild` true) or a DM: its `custom_id` and the
/// (input custom_id, value) pairs typed.
pub fn modal_submit(
    interaction_id: u64,
    token: &str,
    user: &str,
    guild: bool,
    custom_id: &str,
    inputs: &[(&str, &str)],
) -> Value {
    let rows: Vec<Value> = inputs
        .iter()
        .map(|(id, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
        })
        .collect();
    let mut submit = json!({
        "id": interaction_id.to_string(), "application_id": APPLICATION_ID, "type": 5,
        "data": {"custom_id": custom_id, "components": rows},
        "token": token, "version": 1, "locale": "ja", "entitlements": [],
        "attachment_size_limit": 26214400
    });
    let object = submit.as_object_mut().expect("object");
    if guild {
        object.insert("guild_id".into(), json!(GUILD_ID.to_string()));
        object.insert("channel_id".into(), json!(GUILD_CHANNEL));
        object.insert(
            "channel".into(),
            json!({"id": GUILD_CHANNEL, "type": 0, "name": "general"}),
        );
        object.insert("member".into(), member_json(user, &[]));
        object.insert("context".into(), json!(0));
    } else {
        let channel = super::fake_discord::dm_channel_for(user);
        object.insert("channel".into(), json!({"id": channel, "type": 1}));
        object.insert("channel_id".into(), json!(channel));
        object.insert("user".into(), user_json(user, "citizen"));
        object.insert("context".into(), json!(1));
    }
    submit
}
