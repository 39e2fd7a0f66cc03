//! A fake Discord on 127.0.0.1 that the tests own: REST (HTTP/1.1) and gateway (WebSocket),
//! as strict as Discord's documentation. The real serenity client talks to it.
//!
//! - Every request body is checked against Discord's limits (`discord_rules`): a violation is
//!   answered as Discord would (400, code 50035/50006) and recorded; `Running::stop` fails the
//!   test when any was recorded.
//! - An interaction must be acknowledged once, within 3 s of its dispatch: later, 10062
//!   ("Unknown interaction"); a second acknowledgement, 40060. Follow-ups and edits need an
//!   acknowledged interaction (else 10015, "Unknown Webhook").
//! - A message nonce (with `enforce_nonce`) is remembered for five minutes of the fake's time
//!   (`advance` moves it on), as Discord remembers one "for a few minutes".
//! - Failures can be scripted: any status and body, Discord's refusals (50013, 50007, 10003),
//!   429 with X-RateLimit headers and any `retry_after`, a call that never answers, a delay.
//! - Every gateway connection that identified receives every dispatch, as every session of a
//!   bot does; every dispatched fixture must parse as serenity's own gateway event.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::discord_rules;
pub use super::fixtures::*;

pub const APPLICATION_ID: &str = "1100000000000000001";
pub const GUILD_ID: u64 = 1200000000000000001;
pub const TOKEN: &str = "fake-token-for-tests";

/// Discord accepts the first answer to an interaction only within this window.
pub const INTERACTION_DEADLINE: Duration = Duration::from_secs(3);
/// How long Discord remembers a message nonce ("a few minutes").
pub const NONCE_MEMORY: Duration = Duration::from_secs(5 * 60);

/// One REST call as the fake saw it, and how it answered.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: String,
    /// Path without `/api/v10` and without the query string.
    pub path: String,
    /// The JSON body as sent (a multipart upload's `payload_json`), read through `body()`.
    json: Box<[u8]>,
    parsed: OnceLock<Value>,
    /// Files uploaded with the call (multipart form), by name.
    pub files: Vec<(String, Vec<u8>)>,
    pub status: u16,
    /// When the call arrived.
    pub at: Instant,
}

impl RestCall {
    /// The JSON body (`null` when there was none). Kept as the bytes sent and parsed on first
    /// read: the fake runs in the bot's process, and a tree of small allocations kept for every
    /// call would grow the heap the bot allocates from, on every message, in proportion to
    /// the size of what it sends — a cost real Discord never puts on the bot.
    pub fn body(&self) -> &Value {
        self.parsed
            .get_or_init(|| serde_json::from_slice(&self.json).unwrap_or(Value::Null))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scripted {
    /// Answer with the failure.
    Fail,
    /// Do the work, then answer with the failure: Discord stored it but the answer was lost.
    AfterStoring,
    /// Never answer.
    Hang,
    /// Answer normally, after the delay.
    Delay(Duration),
}

struct ScriptedFailure {
    method: String,
    path_contains: String,
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
    kind: Scripted,
}

enum ToBot {
    Frame(String),
    Close(u16),
}

struct InteractionSeen {
    dispatched: Instant,
    token: String,
    /// The callback type that acknowledged it (4 message, 5 deferred, 6 deferred update,
    /// 7 update, 8 autocomplete, 9 modal).
    acked: Option<u64>,
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
    connections: Vec<(u64, mpsc::UnboundedSender<ToBot>)>,
    pending: Vec<(String, Value)>,
    identifies: u32,
    resumes: u32,
    rest_delay: Option<Duration>,
    /// Posted messages: (channel, the message as JSON text, fake time posted).
    stored: Vec<(String, String, Duration)>,
    /// The latest message posted with each (channel, nonce), by its place in `stored`: a
    /// nonce is looked up as Discord would, not by reading every message ever posted.
    nonces: HashMap<(String, String), usize>,
    interactions: HashMap<String, InteractionSeen>,
    violations: Vec<String>,
    /// Rate limits in force: (method, path part, until) — every matching call before `until`
    /// is answered 429 with what is left of the wait, as Discord's bucket would.
    limits: Vec<(String, String, Instant)>,
    /// Fake time added on top of the real time since start.
    advanced: Duration,
    /// Channels the fake knows, by id: their type (0 text, 2 voice, 4 category, 5 news…) and
    /// permission overwrites.
    channels: HashMap<String, (u64, Value)>,
    /// The guild's roles, as Discord lists them.
    roles: Vec<Value>,
}

impl State {
    fn id(&mut self) -> String {
        self.next_id += 1;
        (1_600_000_000_000_000_000u64 + self.next_id).to_string()
    }

    /// Sends a dispatch to every connected session now, or keeps it for when one connects.
    fn dispatch(&mut self, t: &str, d: Value) {
        if self.connections.is_empty() {
            self.pending.push((t.to_string(), d));
            return;
        }
        self.seq += 1;
        let frame = json!({"op": 0, "s": self.seq, "t": t, "d": d});
        let text = frame.to_string();
        self.connections
            .retain(|(_, c)| c.send(ToBot::Frame(text.clone())).is_ok());
    }

    fn flush_pending(&mut self) {
        for (t, d) in std::mem::take(&mut self.pending) {
            self.dispatch(&t, d);
        }
    }

    fn violation(&mut self, what: Vec<String>) -> Option<(u16, Value)> {
        if what.is_empty() {
            return None;
        }
        let message = what.join("; ");
        self.violations.extend(what);
        Some((
            400,
            json!({"message": "Invalid Form Body", "code": 50035,
                          "errors": {"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]}}),
        ))
    }
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub rest_url: String,
    pub ws_url: String,
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
    started: Instant,
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

/// Discord's answer for one of its JSON error codes (opcodes-and-status-codes: "JSON Error Codes").
pub fn discord_error(code: u32) -> (u16, Value) {
    let (status, message) = match code {
        10003 => (404, "Unknown Channel"),
        10007 => (404, "Unknown Member"),
        10008 => (404, "Unknown Message"),
        10015 => (404, "Unknown Webhook"),
        10062 => (404, "Unknown interaction"),
        40060 => (400, "Interaction has already been acknowledged"),
        50001 => (403, "Missing Access"),
        50007 => (403, "Cannot send messages to this user"),
        50013 => (403, "Missing Permissions"),
        _ => (400, "Error"),
    };
    (status, json!({"message": message, "code": code}))
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
            started: Instant::now(),
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

    /// The fake's clock: real time since start plus what `advance` added.
    fn now(&self, state: &State) -> Duration {
        self.started.elapsed() + state.advanced
    }

    // ---- what the tests script ----

    fn script(&self, method: &str, path_contains: &str, status: u16, body: Value, kind: Scripted) {
        self.script_with_headers(method, path_contains, status, body, Vec::new(), kind);
    }

    fn script_with_headers(
        &self,
        method: &str,
        path_contains: &str,
        status: u16,
        body: Value,
        headers: Vec<(String, String)>,
        kind: Scripted,
    ) {
        self.state().failures.push_back(ScriptedFailure {
            method: method.into(),
            path_contains: path_contains.into(),
            status,
            body,
            headers,
            kind,
        });
    }

    /// The next call whose method matches and whose path contains `path_contains` fails.
    pub fn fail_next(&self, method: &str, path_contains: &str, status: u16, body: Value) {
        self.script(method, path_contains, status, body, Scripted::Fail);
    }

    /// The next matching call is refused with one of Discord's JSON error codes (50013 Missing
    /// Permissions, 50007 Cannot send messages to this user, 10003 Unknown Channel…).
    pub fn refuse_next(&self, method: &str, path_contains: &str, code: u32) {
        let (status, body) = discord_error(code);
        self.script(method, path_contains, status, body, Scripted::Fail);
    }

    /// The next matching call is rate limited for `retry_after`, with Discord's headers
    /// (topics/rate-limits: X-RateLimit-*, Retry-After) and body.
    pub fn rate_limit_next(&self, method: &str, path_contains: &str, retry_after: Duration) {
        let after = retry_after.as_secs_f64();
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            + after;
        let headers = vec![
            ("X-RateLimit-Limit".into(), "5".into()),
            ("X-RateLimit-Remaining".into(), "0".into()),
            ("X-RateLimit-Reset".into(), format!("{reset:.3}")),
            ("X-RateLimit-Reset-After".into(), format!("{after:.3}")),
            (
                "X-RateLimit-Bucket".into(),
                "fakebucket0123456789abcdef".into(),
            ),
            ("X-RateLimit-Scope".into(), "user".into()),
            ("Retry-After".into(), format!("{}", after.ceil() as u64)),
        ];
        let body = json!({"message": "You are being rate limited.", "retry_after": after, "global": false});
        self.script_with_headers(method, path_contains, 429, body, headers, Scripted::Fail);
    }

    /// Every matching call for the next `window` is rate limited (429 with the headers and the
    /// `retry_after` still to wait), as a Discord bucket is until it resets.
    pub fn rate_limit_for(&self, method: &str, path_contains: &str, window: Duration) {
        self.state()
            .limits
            .push((method.into(), path_contains.into(), Instant::now() + window));
    }

    /// The next matching call is received and never answered (a hung connection).
    pub fn hang_next(&self, method: &str, path_contains: &str) {
        self.script(method, path_contains, 0, Value::Null, Scripted::Hang);
    }

    /// The next matching call is answered normally, after `delay`.
    pub fn delay_next(&self, method: &str, path_contains: &str, delay: Duration) {
        self.script(
            method,
            path_contains,
            0,
            Value::Null,
            Scripted::Delay(delay),
        );
    }

    /// The next matching call takes effect, but its answer is a failure.
    pub fn fail_next_after_storing(&self, method: &str, path_contains: &str, status: u16) {
        let body = json!({"message": "Bad Gateway", "code": 0});
        self.script(method, path_contains, status, body, Scripted::AfterStoring);
    }

    /// Moves the fake's clock on (nonces are forgotten after `NONCE_MEMORY`).
    pub fn advance(&self, by: Duration) {
        self.state().advanced += by;
    }

    /// A channel of the server, of Discord's channel `kind` (0 text, 2 voice, 4 category…),
    /// with its permission overwrites (`[{"id", "type": 0 role/1 member, "allow", "deny"}]`).
    pub fn set_channel(&self, id: &str, kind: u64, overwrites: Value) {
        self.state().channels.insert(id.into(), (kind, overwrites));
    }

    /// The guild's roles: (id, name, permission bits, mentionable).
    pub fn set_roles(&self, roles: &[(&str, &str, u64, bool)]) {
        self.state().roles = roles
            .iter()
            .enumerate()
            .map(|(position, (id, name, permissions, mentionable))| {
                json!({"id": id, "name": name, "color": 0,
                       "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                       "hoist": false, "icon": null, "unicode_emoji": null, "position": position,
                       "permissions": permissions.to_string(), "managed": false,
                       "mentionable": mentionable, "flags": 0})
            })
            .collect();
    }

    /// Messages the fake Discord holds in `channel` (each stored once, as Discord would).
    pub fn stored_messages(&self, channel: &str) -> Vec<Value> {
        self.state()
            .stored
            .iter()
            .filter(|(c, _, _)| c == channel)
            .map(|(_, m, _)| serde_json::from_str(m).unwrap_or(Value::Null))
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

    /// Sends a dispatch to the bot (after checking serenity can read it). An interaction's
    /// 3-second window starts now.
    pub fn dispatch(&self, t: &str, d: Value) {
        assert_serenity_parses(&json!({"op": 0, "s": 1, "t": t, "d": d.clone()}));
        let mut state = self.state();
        if t == "INTERACTION_CREATE" {
            if let (Some(id), Some(token)) = (d["id"].as_str(), d["token"].as_str()) {
                state.interactions.insert(
                    id.to_string(),
                    InteractionSeen {
                        dispatched: Instant::now(),
                        token: token.to_string(),
                        acked: None,
                    },
                );
            }
        }
        state.dispatch(t, d);
    }

    /// Closes every gateway connection with `code`, as Discord does on trouble.
    pub fn close_gateway(&self, code: u16) {
        let mut state = self.state();
        for (_, connection) in state.connections.drain(..) {
            let _ = connection.send(ToBot::Close(code));
        }
    }

    pub fn calls(&self) -> Vec<RestCall> {
        self.state().calls.clone()
    }

    /// The calls matching `matches`, in order of arrival (e.g. every attempt at one post).
    pub fn calls_to(&self, matches: impl Fn(&RestCall) -> bool) -> Vec<RestCall> {
        let state = self.state();
        state.calls.iter().filter(|c| matches(c)).cloned().collect()
    }

    /// The calls whose body contains `text` where the readers of server channel `channel` see
    /// it: posts there, and interaction answers that are not ephemeral.
    pub fn seen_in_channel(&self, channel: &str, text: &str) -> Vec<RestCall> {
        let posts = format!("/channels/{channel}/messages");
        self.calls_to(|c| {
            c.body().to_string().contains(text)
                && (c.path == posts
                    || (c.path.contains("/interactions/") && !ephemeral(&c.body()["data"])))
        })
    }

    /// Waits for the call matching `matches` to go through after exactly one 429 (not retried
    /// early, not given up); how long after the 429 the retry came.
    pub async fn retried_once_after_429(
        &self,
        what: &str,
        matches: impl Fn(&RestCall) -> bool,
    ) -> Duration {
        self.wait_for_call(what, &matches).await;
        let attempts = self.calls_to(&matches);
        let statuses: Vec<u16> = attempts.iter().map(|c| c.status).collect();
        assert!(
            statuses.len() == 2 && statuses[0] == 429 && statuses[1] < 300,
            "{what}: attempts answered {statuses:?}, not one 429 then success"
        );
        attempts[1].at - attempts[0].at
    }

    /// How many calls so far match `matches` (without copying them).
    pub fn count(&self, matches: impl Fn(&RestCall) -> bool) -> usize {
        self.state().calls.iter().filter(|c| matches(c)).count()
    }

    /// How many calls have arrived so far (a mark for `first_since`).
    pub fn calls_so_far(&self) -> usize {
        self.state().calls.len()
    }

    /// The arrival time of the first call matching `matches` among those after the first
    /// `mark` (read only those: a long run does not rescan everything before).
    pub fn first_since(&self, mark: usize, matches: impl Fn(&RestCall) -> bool) -> Option<Instant> {
        let state = self.state();
        state
            .calls
            .get(mark..)?
            .iter()
            .find(|c| matches(c))
            .map(|c| c.at)
    }

    pub fn identifies(&self) -> u32 {
        self.state().identifies
    }

    pub fn resumes(&self) -> u32 {
        self.state().resumes
    }

    /// Sessions connected now.
    pub fn connections(&self) -> usize {
        self.state().connections.len()
    }

    /// What Discord would have refused, so far.
    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }

    /// How the interaction `id` was acknowledged (its callback type), if it was.
    pub fn acknowledged(&self, id: &str) -> Option<u64> {
        self.state().interactions.get(id).and_then(|i| i.acked)
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
                .find(|c| (200..300).contains(&c.status) && matches(c))
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
            let arrived = Instant::now();
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
            let mut sent = vec![0u8; length];
            if stream.read_exact(&mut sent).await.is_err() {
                return;
            }
            let (json, files) = match &boundary {
                Some(boundary) => multipart(&sent, boundary),
                None => (sent, Vec::new()),
            };
            let body: Value = serde_json::from_slice(&json).unwrap_or(Value::Null);
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
            let (status, answer, headers) = match self.scripted(&method, &path) {
                Some(ScriptedFailure {
                    kind: Scripted::Hang,
                    ..
                }) => {
                    self.record(&method, &path, json, files, 0, arrived);
                    std::future::pending::<()>().await;
                    return;
                }
                Some(ScriptedFailure {
                    kind: Scripted::Delay(by),
                    ..
                }) => {
                    tokio::time::sleep(by).await;
                    let (s, a) = self.answer(&method, &path, &body, files.len());
                    (s, a, Vec::new())
                }
                Some(f) if f.kind == Scripted::AfterStoring => {
                    let _ = self.answer(&method, &path, &body, files.len());
                    (f.status, f.body, f.headers)
                }
                Some(f) => (f.status, f.body, f.headers),
                None => {
                    let (s, a) = self.answer(&method, &path, &body, files.len());
                    (s, a, Vec::new())
                }
            };
            drop(body);
            self.record(&method, &path, json, files, status, arrived);
            let reason = match status {
                200 => "OK",
                204 => "No Content",
                400 => "Bad Request",
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
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
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

    fn record(
        &self,
        method: &str,
        path: &str,
        json: Vec<u8>,
        files: Vec<(String, Vec<u8>)>,
        status: u16,
        at: Instant,
    ) {
        self.state().calls.push(RestCall {
            method: method.into(),
            path: path.into(),
            json: json.into_boxed_slice(),
            parsed: OnceLock::new(),
            files,
            status,
            at,
        });
        self.changed.notify_waiters();
    }

    fn scripted(&self, method: &str, path: &str) -> Option<ScriptedFailure> {
        let limited = self.state().limits.iter().find_map(|(m, p, until)| {
            (m == method && path.contains(p.as_str()))
                .then(|| until.saturating_duration_since(Instant::now()))
                .filter(|left| !left.is_zero())
        });
        if let Some(left) = limited {
            self.rate_limit_next(method, path, left);
        }
        let mut state = self.state();
        let at = state
            .failures
            .iter()
            .position(|f| f.method == method && path.contains(&f.path_contains))?;
        state.failures.remove(at)
    }

    fn answer(&self, method: &str, path: &str, body: &Value, files: usize) -> (u16, Value) {
        let mut state = self.state();
        let now = self.now(&state);
        Self::route(&mut state, &self.ws_url, now, method, path, body, files)
    }

    /// Checks an interaction callback: known, on time, first.
    fn acknowledge(state: &mut State, id: &str, token: &str, body: &Value) -> Option<(u16, Value)> {
        let kind = body["type"].as_u64().unwrap_or(0);
        let problems = match kind {
            4 | 7 => discord_rules::message(&body["data"], "callback.data"),
            9 => discord_rules::modal(&body["data"]),
            _ => Vec::new(),
        };
        if let Some(refused) = state.violation(problems) {
            return Some(refused);
        }
        if kind == 4 && discord_rules::is_empty_message(&body["data"], 0) {
            state.violations.push("an empty interaction message".into());
            return Some((
                400,
                json!({"message": "Cannot send an empty message", "code": 50006}),
            ));
        }
        let Some(seen) = state.interactions.get_mut(id).filter(|s| s.token == token) else {
            return Some(discord_error(10062));
        };
        if seen.acked.is_some() {
            return Some(discord_error(40060));
        }
        if seen.dispatched.elapsed() > INTERACTION_DEADLINE {
            return Some(discord_error(10062));
        }
        seen.acked = Some(kind);
        None
    }

    fn acked_token(state: &State, token: &str) -> bool {
        state
            .interactions
            .values()
            .any(|i| i.token == token && i.acked.is_some())
    }

    fn route(
        state: &mut State,
        ws_url: &str,
        now: Duration,
        method: &str,
        path: &str,
        body: &Value,
        files: usize,
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
            ("GET", ["channels", channel]) => match state.channels.get(*channel) {
                Some((kind, overwrites)) => (
                    200,
                    json!({"id": channel, "type": kind, "guild_id": GUILD_ID.to_string(),
                           "name": "channel", "position": 0, "permission_overwrites": overwrites,
                           "nsfw": false}),
                ),
                None => discord_error(10003),
            },
            ("GET", ["users", "@me"]) => (
                200,
                json!({"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0",
                       "global_name": null, "avatar": null, "bot": true}),
            ),
            ("GET", ["guilds", _, "roles"]) => (200, Value::Array(state.roles.clone())),
            ("POST", ["channels", channel, "messages"]) => {
                let problems = discord_rules::message(body, "message");
                if let Some(refused) = state.violation(problems) {
                    return refused;
                }
                if discord_rules::is_empty_message(body, files) {
                    state
                        .violations
                        .push(format!("an empty message to {channel}"));
                    return (
                        400,
                        json!({"message": "Cannot send an empty message", "code": 50006}),
                    );
                }
                // Like Discord: with enforce_nonce, a nonce seen in the last few minutes
                // returns that message instead of posting another.
                let key = body["nonce"]
                    .as_str()
                    .map(|nonce| (channel.to_string(), nonce.to_string()));
                if body["enforce_nonce"] == true {
                    let seen = key.as_ref().and_then(|k| state.nonces.get(k));
                    if let Some((_, message, _)) = seen
                        .and_then(|&at| state.stored.get(at))
                        .filter(|(_, _, at)| now - *at < NONCE_MEMORY)
                    {
                        return (200, serde_json::from_str(message).unwrap_or(Value::Null));
                    }
                }
                let id = state.id();
                let message = message_json(&id, channel, body);
                if let Some(key) = key {
                    let at = state.stored.len();
                    state.nonces.insert(key, at);
                }
                state
                    .stored
                    .push((channel.to_string(), message.to_string(), now));
                (200, message)
            }
            ("POST", ["interactions", id, token, "callback"]) => {
                match Self::acknowledge(state, id, token, body) {
                    Some(refused) => refused,
                    None => (204, Value::Null),
                }
            }
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
            ("DELETE", ["channels", id]) => (
                200,
                json!({
                    "id": id, "guild_id": GUILD_ID.to_string(), "parent_id": null, "type": 12,
                    "name": "deleted", "permission_overwrites": [], "position": 0, "nsfw": false,
                    "flags": 0, "available_tags": [], "applied_tags": []
                }),
            ),
            ("POST", ["webhooks", _, token]) | ("PATCH", ["webhooks", _, token, "messages", _]) => {
                if !Self::acked_token(state, token) {
                    return discord_error(10015);
                }
                let problems = discord_rules::message(body, "follow-up");
                if let Some(refused) = state.violation(problems) {
                    return refused;
                }
                if method == "POST" && discord_rules::is_empty_message(body, files) {
                    state.violations.push("an empty follow-up".into());
                    return (
                        400,
                        json!({"message": "Cannot send an empty message", "code": 50006}),
                    );
                }
                let id = state.id();
                (200, message_json(&id, "1300000000000000009", body))
            }
            ("PUT", ["applications", app, "guilds", guild, "commands"]) => {
                let problems = discord_rules::commands(body);
                if let Some(refused) = state.violation(problems) {
                    return refused;
                }
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
        let connection_id = {
            let mut state = self.state();
            state.next_id += 1;
            state.next_id
        };
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
                    state.connections.retain(|(id, _)| *id != connection_id);
                    state.connections.push((connection_id, sender.clone()));
                    let ready = json!({
                        "v": 10,
                        "user": {"id": APPLICATION_ID, "username": "kyodo", "discriminator": "0",
                                 "global_name": null, "avatar": null, "bot": true},
                        "guilds": [], "session_id": session, "resume_gateway_url": self.ws_url,
                        "shard": [0, 1], "application": {"id": APPLICATION_ID, "flags": 0}
                    });
                    state.seq += 1;
                    let frame = json!({"op": 0, "s": state.seq, "t": "READY", "d": ready});
                    let _ = sender.send(ToBot::Frame(frame.to_string()));
                    state.flush_pending();
                }
                Some(6) => {
                    let mut state = self.state();
                    state.resumes += 1;
                    state.connections.retain(|(id, _)| *id != connection_id);
                    state.connections.push((connection_id, sender.clone()));
                    state.seq += 1;
                    let frame = json!({"op": 0, "s": state.seq, "t": "RESUMED", "d": {}});
                    let _ = sender.send(ToBot::Frame(frame.to_string()));
                    state.flush_pending();
                }
                Some(1) => {
                    let _ = sender.send(ToBot::Frame(json!({"op": 11}).to_string()));
                }
                _ => {}
            }
            self.changed.notify_waiters();
        }
        self.state()
            .connections
            .retain(|(id, _)| *id != connection_id);
        self.changed.notify_waiters();
    }
}

/// Matches a message posted to `channel`.
/// An interaction answer's data is ephemeral (flag 64: only the person sees it).
pub fn ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

pub fn posted_to(channel: impl Into<String>) -> impl Fn(&RestCall) -> bool {
    let path = format!("/channels/{}/messages", channel.into());
    move |c| c.method == "POST" && c.path == path
}

/// The DM channel the fake opens with `user` (fixed, so tests can script failures for it).
pub fn dm_channel_for(user: &str) -> String {
    // Distinct for the tests' ids (a citizen's 14…01 and advisor 92…01 must not share one).
    let n: u64 = user.parse().unwrap_or(1);
    (1_310_000_000_000_000_000u64 + n % 89_999_999_999_999_999).to_string()
}

/// A multipart form as serenity sends files: the `payload_json` part is the body (its bytes),
/// the others are files (by filename).
fn multipart(body: &[u8], boundary: &str) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut json = Vec::new();
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
            (Some("payload_json"), _) => json = content.to_vec(),
            (_, Some(filename)) => files.push((filename, content.to_vec())),
            _ => {}
        }
    }
    (json, files)
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
