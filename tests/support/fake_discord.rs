//! A fake Discord on 127.0.0.1 that the tests own: REST (HTTP/1.1) and gateway (WebSocket).
//! The real serenity client talks to it. Every REST call is recorded for assertions, failures
//! can be scripted, and every dispatched fixture must parse as serenity's own gateway event
//! (serenity silently drops one that does not, which would look like a handler never called).

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

pub const APPLICATION_ID: &str = "1100000000000000001";
pub const GUILD_ID: u64 = 1200000000000000001;
pub const TOKEN: &str = "fake-token-for-tests";

/// One REST call as the fake saw it, and how it answered.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: String,
    /// Path without `/api/v10` and without the query string.
    pub path: String,
    pub body: Value,
    /// Files uploaded with the call (multipart form), by name.
    pub files: Vec<(String, Vec<u8>)>,
    pub status: u16,
    pub at: Instant,
}

struct ScriptedFailure {
    method: String,
    path_contains: String,
    status: u16,
    body: Value,
    /// Do the work, then fail: Discord stored it but the answer was lost.
    after_storing: bool,
}

enum ToBot {
    Frame(String),
    Close(u16),
}

#[derive(Default)]
struct State {
    calls: Vec<RestCall>,
    failures: VecDeque<ScriptedFailure>,
    members: HashMap<String, Vec<String>>,
    dm_channels: HashMap<String, String>,
    next_id: u64,
    seq: u64,
    session: Option<String>,
    connection: Option<mpsc::UnboundedSender<ToBot>>,
    pending: Vec<(String, Value)>,
    identifies: u32,
    resumes: u32,
    rest_delay: Option<Duration>,
    /// Posted messages: (channel, nonce, message).
    stored: Vec<(String, Option<String>, Value)>,
}

impl State {
    fn id(&mut self) -> String {
        self.next_id += 1;
        (1_600_000_000_000_000_000u64 + self.next_id).to_string()
    }

    /// Sends a dispatch now, or keeps it for when the bot is connected again.
    fn dispatch(&mut self, t: &str, d: Value) {
        let Some(connection) = self.connection.clone() else {
            self.pending.push((t.to_string(), d));
            return;
        };
        self.seq += 1;
        let frame = json!({"op": 0, "s": self.seq, "t": t, "d": d});
        let _ = connection.send(ToBot::Frame(frame.to_string()));
    }

    fn flush_pending(&mut self) {
        for (t, d) in std::mem::take(&mut self.pending) {
            self.dispatch(&t, d);
        }
    }
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub rest_url: String,
    pub ws_url: String,
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
}

/// Panics unless `frame` parses as serenity's gateway event, and as a known one.
pub fn assert_serenity_parses(frame: &Value) {
    let event: serenity::model::event::GatewayEvent = serde_json::from_value(frame.clone())
        .unwrap_or_else(|e| panic!("fixture is not a gateway event: {e}\n{frame}"));
    if let serenity::model::event::GatewayEvent::Dispatch(
        _,
        serenity::model::event::Event::Unknown(unknown),
    ) = event
    {
        panic!(
            "serenity would drop this fixture as an unknown event: {}\n{frame}",
            unknown.kind
        );
    }
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind REST");
        let gateway = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let fake = FakeDiscord {
            rest_url: format!("http://{}", rest.local_addr().unwrap()),
            ws_url: format!("ws://{}", gateway.local_addr().unwrap()),
            state: Arc::new(Mutex::new(State::default())),
            changed: Arc::new(Notify::new()),
        };
        let serving = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = rest.accept().await {
                let fake = serving.clone();
                tokio::spawn(async move { fake.serve_rest(stream).await });
            }
        });
        let serving = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = gateway.accept().await {
                let fake = serving.clone();
                tokio::spawn(async move { fake.serve_gateway(stream).await });
            }
        });
        fake
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ---- what the tests script ----

    /// The next call whose method matches and whose path contains `path_contains` fails.
    pub fn fail_next(&self, method: &str, path_contains: &str, status: u16, body: Value) {
        self.state().failures.push_back(ScriptedFailure {
            method: method.into(),
            path_contains: path_contains.into(),
            status,
            body,
            after_storing: false,
        });
    }

    /// The next matching call takes effect, but its answer is a failure.
    pub fn fail_next_after_storing(&self, method: &str, path_contains: &str, status: u16) {
        self.state().failures.push_back(ScriptedFailure {
            method: method.into(),
            path_contains: path_contains.into(),
            status,
            body: json!({"message": "Bad Gateway", "code": 0}),
            after_storing: true,
        });
    }

    /// Messages the fake Discord holds in `channel` (each stored once, as Discord would).
    pub fn stored_messages(&self, channel: &str) -> Vec<Value> {
        self.state()
            .stored
            .iter()
            .filter(|(c, _, _)| c == channel)
            .map(|(_, _, m)| m.clone())
            .collect()
    }

    pub fn set_member(&self, user_id: &str, role_ids: &[&str]) {
        self.state().members.insert(
            user_id.into(),
            role_ids.iter().map(|r| r.to_string()).collect(),
        );
    }

    /// Every REST answer waits this long (a slow Discord).
    pub fn set_rest_delay(&self, delay: Option<Duration>) {
        self.state().rest_delay = delay;
    }

    /// Sends a dispatch to the bot (after checking serenity can read it).
    pub fn dispatch(&self, t: &str, d: Value) {
        assert_serenity_parses(&json!({"op": 0, "s": 1, "t": t, "d": d.clone()}));
        self.state().dispatch(t, d);
    }

    /// Closes the gateway connection with `code`, as Discord does on trouble.
    pub fn close_gateway(&self, code: u16) {
        let mut state = self.state();
        if let Some(connection) = state.connection.take() {
            let _ = connection.send(ToBot::Close(code));
        }
    }

    pub fn calls(&self) -> Vec<RestCall> {
        self.state().calls.clone()
    }

    pub fn identifies(&self) -> u32 {
        self.state().identifies
    }

    pub fn resumes(&self) -> u32 {
        self.state().resumes
    }

    /// Waits until `ready` holds, or panics after `timeout` saying what was awaited.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        ready: impl Fn(&FakeDiscord) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            if ready(self) {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                assert!(
                    ready(self),
                    "timed out after {timeout:?} waiting for {what}"
                );
                return;
            }
        }
    }

    /// The first successful call matching `matches`, waiting for it.
    pub async fn wait_for_call(&self, what: &str, matches: impl Fn(&RestCall) -> bool) -> RestCall {
        let found = |fake: &FakeDiscord| {
            fake.calls()
                .into_iter()
                .find(|c| c.status < 300 && matches(c))
        };
        self.wait_until(what, Duration::from_secs(10), |fake| found(fake).is_some())
            .await;
        found(self).expect("call seen")
    }

    // ---- REST ----

    async fn serve_rest(&self, stream: TcpStream) {
        let mut stream = BufReader::new(stream);
        loop {
            let mut request_line = String::new();
            if stream.read_line(&mut request_line).await.unwrap_or(0) == 0 {
                return;
            }
            let mut parts = request_line.split_whitespace();
            let (method, target) = (
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").to_string(),
            );
            let mut length = 0usize;
            let mut boundary: Option<String> = None;
            loop {
                let mut header = String::new();
                if stream.read_line(&mut header).await.unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    if name.eq_ignore_ascii_case("content-type") {
                        boundary = value
                            .split(';')
                            .find_map(|p| p.trim().strip_prefix("boundary="))
                            .map(|b| b.trim_matches('"').to_string());
                    }
                }
            }
            let mut body = vec![0u8; length];
            if stream.read_exact(&mut body).await.is_err() {
                return;
            }
            let (body, files) = match &boundary {
                Some(boundary) => multipart(&body, boundary),
                None => (
                    serde_json::from_slice(&body).unwrap_or(Value::Null),
                    Vec::new(),
                ),
            };
            let path = target
                .split('?')
                .next()
                .unwrap_or("")
                .trim_start_matches("/api/v10")
                .to_string();
            let delay = self.state().rest_delay;
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
            let (status, answer) = self.answer(&method, &path, &body);
            self.state().calls.push(RestCall {
                method,
                path,
                body,
                files,
                status,
                at: Instant::now(),
            });
            self.changed.notify_waiters();
            let reason = match status {
                200 => "OK",
                204 => "No Content",
                403 => "Forbidden",
                404 => "Not Found",
                429 => "Too Many Requests",
                _ => "Error",
            };
            let response = if status == 204 {
                format!("HTTP/1.1 204 {reason}\r\n\r\n")
            } else {
                let text = answer.to_string();
                let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n", text.len());
                if let Some(after) = answer.get("retry_after").and_then(Value::as_f64) {
                    head.push_str(&format!("Retry-After: {}\r\n", after.ceil() as u64));
                }
                format!("{head}\r\n{text}")
            };
            if stream
                .get_mut()
                .write_all(response.as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    }

    fn answer(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let mut state = self.state();
        let scripted = state
            .failures
            .iter()
            .position(|f| f.method == method && path.contains(&f.path_contains));
        let mut after_storing = None;
        if let Some(at) = scripted {
            let failure = state.failures.remove(at).expect("scripted failure");
            if !failure.after_storing {
                return (failure.status, failure.body);
            }
            after_storing = Some((failure.status, failure.body));
        }
        let answer = Self::route(&mut state, &self.ws_url, method, path, body);
        after_storing.unwrap_or(answer)
    }

    fn route(
        state: &mut State,
        ws_url: &str,
        method: &str,
        path: &str,
        body: &Value,
    ) -> (u16, Value) {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method, segments.as_slice()) {
            ("GET", ["gateway"]) => (200, json!({"url": ws_url})),
            ("POST", ["users", "@me", "channels"]) => {
                let user = body["recipient_id"].as_str().unwrap_or("1").to_string();
                let channel = dm_channel_for(&user);
                state.dm_channels.insert(user.clone(), channel.clone());
                (
                    200,
                    json!({"id": channel, "type": 1, "last_message_id": null,
                             "recipients": [user_json(&user, "someone")]}),
                )
            }
            ("POST", ["channels", channel, "messages"]) => {
                // Like Discord: with enforce_nonce, a nonce seen before returns that message.
                let nonce = body["nonce"].as_str().map(str::to_string);
                if body["enforce_nonce"] == true {
                    if let Some((_, _, message)) = state
                        .stored
                        .iter()
                        .find(|(c, n, _)| c == channel && n.is_some() && *n == nonce)
                    {
                        return (200, message.clone());
                    }
                }
                let id = state.id();
                let message = message_json(&id, channel, body);
                state
                    .stored
                    .push((channel.to_string(), nonce, message.clone()));
                (200, message)
            }
            ("POST", ["interactions", _, _, "callback"]) => (204, Value::Null),
            ("POST", ["channels", parent, "threads"]) => {
                let id = state.id();
                (
                    200,
                    json!({
                        "id": id, "guild_id": GUILD_ID.to_string(), "parent_id": parent, "type": body["type"].clone(),
                        "name": body["name"].clone(), "permission_overwrites": [], "position": 0, "nsfw": false,
                        "flags": 0, "available_tags": [], "applied_tags": []
                    }),
                )
            }
            ("PUT", ["channels", _, "thread-members", _]) => (204, Value::Null),
            ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) => {
                let id = state.id();
                (200, message_json(&id, "1300000000000000009", body))
            }
            ("PUT", ["applications", app, "guilds", guild, "commands"]) => {
                let mut commands = Vec::new();
                for command in body.as_array().cloned().unwrap_or_default() {
                    let mut command = command;
                    command["id"] = json!(state.id());
                    command["application_id"] = json!(app);
                    command["guild_id"] = json!(guild);
                    command["version"] = json!("1900000000000000001");
                    if command.get("type").is_none() {
                        command["type"] = json!(1);
                    }
                    commands.push(command);
                }
                (200, Value::Array(commands))
            }
            ("GET", ["guilds", _, "members", user]) => match state.members.get(*user) {
                Some(roles) => (
                    200,
                    json!({"user": user_json(user, "member"), "roles": roles,
                    "joined_at": "2024-04-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0}),
                ),
                None => (404, json!({"message": "Unknown Member", "code": 10007})),
            },
            _ => (404, json!({"message": "404: Not Found", "code": 0})),
        }
    }

    // ---- gateway ----

    async fn serve_gateway(&self, stream: TcpStream) {
        let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
            return;
        };
        let (mut to_bot, mut from_bot) = socket.split();
        let (sender, mut outbox) = mpsc::unbounded_channel::<ToBot>();
        tokio::spawn(async move {
            while let Some(message) = outbox.recv().await {
                match message {
                    ToBot::Frame(text) => {
                        if to_bot.send(WsMessage::Text(text)).await.is_err() {
                            return;
                        }
                    }
                    ToBot::Close(code) => {
                        let frame = CloseFrame {
                            code: CloseCode::from(code),
                            reason: "fake closes".into(),
                        };
                        let _ = to_bot.send(WsMessage::Close(Some(frame))).await;
                        let _ = to_bot.close().await;
                        return;
                    }
                }
            }
        });
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null});
        let _ = sender.send(ToBot::Frame(hello.to_string()));
        while let Some(Ok(message)) = from_bot.next().await {
            let WsMessage::Text(text) = message else {
                if matches!(message, WsMessage::Close(_)) {
                    // Answer the bot's close, as Discord does, so it shuts down at once.
                    let _ = sender.send(ToBot::Close(1000));
                    break;
                }
                continue;
            };
            let frame: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match frame["op"].as_u64() {
                Some(2) => {
                    assert_eq!(
                        frame["d"]["token"],
                        format!("Bot {TOKEN}"),
                        "IDENTIFY carries the bot token"
                    );
                    let mut state = self.state();
                    state.identifies += 1;
                    let session = format!("fake-session-{}", state.identifies);
                    state.session = Some(session.clone());
                    state.seq = 0;
                    state.connection = Some(sender.clone());
                    let ready = json!({
                        "v": 10,
                        "user": {"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0",
                                 "global_name": null, "avatar": null, "bot": true},
                        "guilds": [], "session_id": session, "resume_gateway_url": self.ws_url,
                        "shard": [0, 1], "application": {"id": APPLICATION_ID, "flags": 0}
                    });
                    state.dispatch("READY", ready);
                    state.flush_pending();
                }
                Some(6) => {
                    let mut state = self.state();
                    state.resumes += 1;
                    state.connection = Some(sender.clone());
                    state.dispatch("RESUMED", json!({}));
                    state.flush_pending();
                }
                Some(1) => {
                    let _ = sender.send(ToBot::Frame(json!({"op": 11}).to_string()));
                }
                _ => {}
            }
            self.changed.notify_waiters();
        }
    }
}

/// Matches a message posted to `channel`.
pub fn posted_to(channel: impl Into<String>) -> impl Fn(&RestCall) -> bool {
    let path = format!("/channels/{}/messages", channel.into());
    move |c| c.method == "POST" && c.path == path
}

/// The DM channel the fake opens with `user` (fixed, so tests can script failures for it).
pub fn dm_channel_for(user: &str) -> String {
    let n: u64 = user.parse().unwrap_or(1);
    (1_310_000_000_000_000_000u64 + n % 1_000_000_000).to_string()
}

/// A multipart form as serenity sends files: the `payload_json` part is the body, the others
/// are files (by filename).
fn multipart(body: &[u8], boundary: &str) -> (Value, Vec<(String, Vec<u8>)>) {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut json = Value::Null;
    let mut files = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i + delimiter.len() <= body.len() {
        if body[i..].starts_with(&delimiter) {
            starts.push(i);
            i += delimiter.len();
        } else {
            i += 1;
        }
    }
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let Some(split) = part.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&part[..split]);
        let mut content = &part[split + 4..];
        if content.ends_with(b"\r\n") {
            content = &content[..content.len() - 2];
        }
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or("")
            .to_string();
        let field = |key: &str| {
            disposition.split(';').find_map(|h| {
                h.trim()
                    .strip_prefix(&format!("{key}=\""))
                    .map(|v| v.trim_end_matches('"').to_string())
            })
        };
        match (field("name").as_deref(), field("filename")) {
            (Some("payload_json"), _) => {
                json = serde_json::from_slice(content).unwrap_or(Value::Null)
            }
            (_, Some(filename)) => files.push((filename, content.to_vec())),
            _ => {}
        }
    }
    (json, files)
}

pub fn user_json(id: &str, name: &str) -> Value {
    json!({"id": id, "username": name, "discriminator": "0", "global_name": name, "avatar": null})
}

fn message_json(id: &str, channel: &str, request: &Value) -> Value {
    json!({
        "id": id, "channel_id": channel,
        "author": {"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0", "avatar": null, "bot": true},
        "content": request.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-11-22T09:31:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": request.get("embeds").cloned().unwrap_or(json!([])),
        "pinned": false, "type": 0
    })
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
