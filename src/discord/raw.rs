//! One REST call, made so that a 429's wait is kept. Behind an API proxy (`discord.api_base`)
//! serenity 0.12 must run with its rate limiter off — its limiter builds every URL for
//! discord.com and ignores the proxy — and its error for a refused call keeps only the status
//! and the JSON `code`/`message`: the 429's `Retry-After` header and `retry_after` field are
//! dropped. So every call kyodo's sender makes is a `serenity::http::Request` (serenity's
//! documented low-level API): behind a proxy kyodo sends it itself and reads the answer here;
//! otherwise it goes through serenity's `Http::request`, whose limiter waits 429s itself.

use std::sync::OnceLock;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use serenity::builder::CreateAttachment;
use serenity::http::{
    ErrorResponse, Http, HttpError, LightMethod, Multipart, MultipartUpload, Request, Route,
};

/// A failed REST call: serenity's error, or a rate limit whose wait the server gave.
#[derive(Debug)]
pub enum CallError {
    Serenity(serenity::Error),
    /// 429, with the server's `retry_after` when it gave one readably.
    RateLimited {
        retry_after: Option<Duration>,
    },
}

impl From<serenity::Error> for CallError {
    fn from(error: serenity::Error) -> Self {
        CallError::Serenity(error)
    }
}

impl From<reqwest::Error> for CallError {
    fn from(error: reqwest::Error) -> Self {
        CallError::Serenity(serenity::Error::Http(HttpError::Request(error)))
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Serenity(error) => error.fmt(f),
            CallError::RateLimited {
                retry_after: Some(wait),
            } => write!(f, "rate limited for {wait:?}"),
            CallError::RateLimited { retry_after: None } => write!(f, "rate limited"),
        }
    }
}

/// The wait a 429 asks for: the `Retry-After` header (seconds, Discord's rounded-up value),
/// else the body's `retry_after` (seconds, fractional) — Discord's topics/rate-limits. The
/// larger of the two when both are given, so kyodo never retries early. None: neither readable.
pub fn retry_after(header: Option<&str>, body: &[u8]) -> Option<Duration> {
    let seconds = |s: f64| (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s));
    let from_header = header
        .and_then(|h| h.trim().parse::<f64>().ok())
        .and_then(seconds);
    let from_body = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("retry_after").and_then(serde_json::Value::as_f64))
        .and_then(seconds);
    match (from_header, from_body) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Room a body is written into at first: a reply with a few embeds fits, so it is not moved
/// while it grows.
const BODY_BYTES: usize = 4096;

/// The JSON body of a call.
pub fn json(body: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(BODY_BYTES);
    serde_json::to_writer(&mut bytes, body)?;
    Ok(bytes)
}

/// A message's JSON (a new message, a follow-up, an edit) with the client's default allowed
/// mentions when it sets none, as serenity's own builders do.
pub fn message_json(http: &Http, message: &impl Serialize) -> serde_json::Result<Value> {
    let mut body = serde_json::to_value(message)?;
    let unset = body.get("allowed_mentions").is_none_or(Value::is_null);
    if let (true, Some(default)) = (unset, &http.default_allowed_mentions) {
        body["allowed_mentions"] = serde_json::to_value(default)?;
    }
    Ok(body)
}

/// A request carrying `body` (JSON), with `file` as a multipart upload when there is one.
/// Discord matches the upload `files[0]` to the body's attachment id 0: serenity's public
/// `CreateAttachment` keeps its id at 0, so one file per request is what this can send.
pub fn with_body(
    request: Request<'_>,
    body: Vec<u8>,
    file: Option<CreateAttachment>,
) -> serde_json::Result<Request<'_>> {
    let Some(file) = file else {
        return Ok(request.body(Some(body)));
    };
    // The JSON writer only writes valid UTF-8.
    let payload = String::from_utf8(body).map_err(serde::ser::Error::custom)?;
    Ok(request.multipart(Some(Multipart {
        upload: MultipartUpload::Attachments(vec![file]),
        fields: vec![],
        payload_json: Some(payload),
    })))
}

/// The client for calls kyodo sends itself; None when none could be built (then serenity's
/// own path, where a 429's wait is unknown).
fn own_client() -> Option<&'static reqwest::Client> {
    static CLIENT: OnceLock<Option<reqwest::Client>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .build()
                .inspect_err(
                    |error| tracing::warn!(%error, "no own REST client; 429 waits guessed"),
                )
                .ok()
        })
        .as_ref()
}

/// Makes `request` through `http` and reads its answer as `T` (an empty answer, 204, reads as
/// JSON `null`: `()` or an `Option`). Behind a proxy (serenity's limiter off) a 429 comes back
/// as `RateLimited` with the server's wait; with the limiter on, serenity waits it itself.
pub async fn call<T: DeserializeOwned>(http: &Http, request: Request<'_>) -> Result<T, CallError> {
    let response = match (&http.ratelimiter, own_client()) {
        (None, Some(client)) => {
            let method = (*request.method_ref()).reqwest_method();
            let built = request
                .build(client, http.token(), http.proxy.as_deref())?
                .build()?;
            let response = client.execute(built).await?;
            refused(response, method).await?
        }
        _ => http.request(request).await?,
    };
    let bytes = response.bytes().await?;
    let bytes: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
    serde_json::from_slice(bytes).map_err(|e| serenity::Error::Json(e).into())
}

/// The response when it is a success; else the refusal, with a 429's wait.
async fn refused(
    response: reqwest::Response,
    method: reqwest::Method,
) -> Result<reqwest::Response, CallError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if status.as_u16() == 429 {
        let header = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = response.bytes().await?;
        let retry_after = retry_after(header.as_deref(), &bytes);
        return Err(CallError::RateLimited { retry_after });
    }
    let error = ErrorResponse::from_response(response, method).await;
    Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(error)).into())
}

/// The calls kyodo's sender makes, as serenity's own methods make them (`serenity::http::Http`).
pub mod routes {
    use super::*;
    use serenity::model::id::{ApplicationId, ChannelId, InteractionId, MessageId, UserId};

    pub fn post_message(channel_id: ChannelId) -> Request<'static> {
        Request::new(Route::ChannelMessages { channel_id }, LightMethod::Post)
    }

    pub fn delete_message(channel_id: ChannelId, message_id: MessageId) -> Request<'static> {
        let route = Route::ChannelMessage {
            channel_id,
            message_id,
        };
        Request::new(route, LightMethod::Delete)
    }

    pub fn delete_channel(channel_id: ChannelId) -> Request<'static> {
        Request::new(Route::Channel { channel_id }, LightMethod::Delete)
    }

    /// Opens (or finds) the DM channel with `user`.
    pub fn open_dm(user: UserId) -> serde_json::Result<Request<'static>> {
        let body = json(&serde_json::json!({ "recipient_id": user }))?;
        Ok(Request::new(Route::UserMeDmChannels, LightMethod::Post).body(Some(body)))
    }

    pub fn create_thread(channel_id: ChannelId) -> Request<'static> {
        Request::new(Route::ChannelThreads { channel_id }, LightMethod::Post)
    }

    pub fn add_thread_member(channel_id: ChannelId, user_id: UserId) -> Request<'static> {
        let route = Route::ChannelThreadMember {
            channel_id,
            user_id,
        };
        Request::new(route, LightMethod::Put)
    }

    pub fn interaction_callback(interaction_id: InteractionId, token: &str) -> Request<'_> {
        let route = Route::InteractionResponse {
            interaction_id,
            token,
        };
        Request::new(route, LightMethod::Post)
    }

    pub fn edit_original(application_id: ApplicationId, token: &str) -> Request<'_> {
        let route = Route::WebhookOriginalInteractionResponse {
            application_id,
            token,
        };
        Request::new(route, LightMethod::Patch)
    }

    pub fn followup(application_id: ApplicationId, token: &str) -> Request<'_> {
        let route = Route::WebhookFollowupMessages {
            application_id,
            token,
        };
        Request::new(route, LightMethod::Post)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_comes_from_the_header_or_the_body_whichever_is_longer() {
        let body = br#"{"message":"You are being rate limited.","retry_after":4.2,"global":false}"#;
        assert_eq!(retry_after(Some("5"), body), Some(Duration::from_secs(5)));
        assert_eq!(retry_after(None, body), Some(Duration::from_secs_f64(4.2)));
        assert_eq!(retry_after(Some("1"), b"{}"), Some(Duration::from_secs(1)));
        assert_eq!(retry_after(Some("soon"), b"not json"), None);
        assert_eq!(retry_after(Some("-3"), b"{}"), None);
    }
}
