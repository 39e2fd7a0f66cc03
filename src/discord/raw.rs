//! Message posts that read a 429's wait themselves. Behind an API proxy (`discord.api_base`)
//! serenity 0.12 must run with its rate limiter off — its limiter builds every URL for
//! discord.com and ignores the proxy — and its error for a refused call keeps only the status
//! and the JSON `code`/`message`: the 429's `Retry-After` header and `retry_after` field are
//! dropped. So in that mode kyodo sends a message with serenity's own request type
//! (`serenity::http::Request`, its documented low-level API) and reads the answer here.

use std::time::Duration;

use serde_json::Value;
use serenity::all::{CreateMessage, Message};
use serenity::http::{ErrorResponse, Http, HttpError, LightMethod, Request, Route};
use serenity::model::id::ChannelId;

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

/// Posts `message` (no attachments: those need serenity's multipart path) to `channel` through
/// `http`'s proxy with `client`, as serenity would, but with the 429's wait kept.
pub async fn post_message(
    client: &reqwest::Client,
    http: &Http,
    channel: ChannelId,
    message: &CreateMessage,
) -> Result<Message, CallError> {
    // As serenity does: a message that sets no allowed mentions gets the client's default.
    let json = |e| CallError::Serenity(serenity::Error::Json(e));
    let mut body = serde_json::to_value(message).map_err(json)?;
    let unset = body.get("allowed_mentions").is_none_or(Value::is_null);
    if let (true, Some(default)) = (unset, &http.default_allowed_mentions) {
        body["allowed_mentions"] = serde_json::to_value(default).map_err(json)?;
    }
    let body = serde_json::to_vec(&body).map_err(json)?;
    let route = Route::ChannelMessages {
        channel_id: channel,
    };
    let request = Request::new(route, LightMethod::Post)
        .body(Some(body))
        .build(client, http.token(), http.proxy.as_deref())?
        .build()?;
    let response = client.execute(request).await?;
    let status = response.status();
    if status.is_success() {
        let bytes = response.bytes().await?;
        return serde_json::from_slice(&bytes).map_err(|e| serenity::Error::Json(e).into());
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
    let error = ErrorResponse::from_response(response, reqwest::Method::POST).await;
    Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(error)).into())
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
