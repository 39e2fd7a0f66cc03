//! Retrying a Discord call: back-off on 5xx and dropped connections; a 429 waited as long as
//! the server said (when it said: `raw.rs`), else a floor; refusals fail at once, typed.

use std::future::Future;
use std::time::Duration;

use serenity::http::HttpError;

use super::raw::CallError;
use super::sender::DeliveryError;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Least wait after a 429 whose `retry_after` is unknown (a call other than a message post
    /// behind a proxy, where serenity drops it). A known `retry_after` is waited exactly (see
    /// `raw.rs`); without a proxy serenity's own limiter waits it before kyodo sees the 429.
    pub rate_limited_delay: Duration,
    /// Longest `retry_after` waited in place; a longer one fails at once with
    /// `DeliveryError::RateLimited`, for the caller to try later or another way.
    pub longest_rate_limit_wait: Duration,
    /// Longest wait for one REST call's answer; a call past it counts as a dropped connection
    /// (retried; a message's nonce keeps the retry from posting twice).
    pub call_timeout: Duration,
}

impl RetryPolicy {
    /// For interaction answers, which Discord accepts only within 3 seconds.
    pub fn interaction() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            rate_limited_delay: Duration::from_millis(500),
            // Within the 3-s window, after the work and a first attempt.
            longest_rate_limit_wait: Duration::from_millis(1000),
            call_timeout: Duration::from_millis(1500),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            rate_limited_delay: Duration::from_secs(1),
            // One destination's wait holds one of the worker's slots, not the others.
            longest_rate_limit_wait: Duration::from_secs(60),
            call_timeout: Duration::from_secs(10),
        }
    }
}

enum Verdict {
    /// Try again; after `wait` when the server said how long.
    Retry {
        rate_limited: bool,
        wait: Option<Duration>,
    },
    Fail(DeliveryError),
}

const RETRY: Verdict = Verdict::Retry {
    rate_limited: false,
    wait: None,
};

fn classify(error: &CallError) -> Verdict {
    let error = match error {
        CallError::RateLimited { retry_after } => {
            return Verdict::Retry {
                rate_limited: true,
                wait: *retry_after,
            }
        }
        CallError::Serenity(error) => error,
    };
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            let (code, message) = (response.error.code, response.error.message.clone());
            match status {
                429 => Verdict::Retry {
                    rate_limited: true,
                    wait: None,
                },
                500..=599 => RETRY,
                403 => Verdict::Fail(DeliveryError::Forbidden { code, message }),
                _ => Verdict::Fail(DeliveryError::Rejected {
                    status,
                    code,
                    message,
                }),
            }
        }
        // The connection dropped or timed out before Discord answered.
        serenity::Error::Http(HttpError::Request(_)) | serenity::Error::Io(_) => RETRY,
        serenity::Error::Model(model) => Verdict::Fail(DeliveryError::Invalid(model.to_string())),
        other => Verdict::Fail(DeliveryError::Invalid(other.to_string())),
    }
}

/// Runs `op` until it succeeds, fails for good, or the policy's attempts are spent. A 429
/// with a known `retry_after` is retried after exactly that wait, or fails at once with
/// `RateLimited` when it is longer than the policy's `longest_rate_limit_wait`.
pub async fn with_retry<T, E, F, Fut>(
    policy: &RetryPolicy,
    what: &str,
    mut op: F,
) -> Result<T, DeliveryError>
where
    E: Into<CallError>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut delay = policy.first_delay;
    let mut last = String::new();
    for attempt in 1..=policy.attempts {
        let outcome = match tokio::time::timeout(policy.call_timeout, op()).await {
            Ok(outcome) => outcome,
            Err(_) => {
                last = format!("no answer within {:?}", policy.call_timeout);
                tracing::info!(what, attempt, error = %last, "Discord call timed out; retrying");
                if attempt < policy.attempts {
                    tokio::time::sleep(delay).await;
                }
                delay = (delay * 2).min(policy.max_delay);
                continue;
            }
        };
        let outcome: Result<T, CallError> = outcome.map_err(Into::into);
        match outcome {
            Ok(value) => return Ok(value),
            Err(error) => match classify(&error) {
                Verdict::Fail(failure) => {
                    tracing::warn!(what, %failure, "Discord refused");
                    return Err(failure);
                }
                Verdict::Retry {
                    wait: Some(retry_after),
                    ..
                } if retry_after > policy.longest_rate_limit_wait => {
                    tracing::warn!(
                        what,
                        ?retry_after,
                        "rate limited for longer than waited in place"
                    );
                    return Err(DeliveryError::RateLimited { retry_after });
                }
                Verdict::Retry { rate_limited, wait } => {
                    last = error.to_string();
                    let wait = match (wait, rate_limited) {
                        (Some(server), _) => server,
                        (None, true) => delay.max(policy.rate_limited_delay),
                        (None, false) => delay,
                    };
                    tracing::info!(what, attempt, ?wait, error = %last, "Discord call failed; retrying");
                    if attempt < policy.attempts {
                        tokio::time::sleep(wait).await;
                    }
                    delay = (delay * 2).min(policy.max_delay);
                }
            },
        }
    }
    Err(DeliveryError::GaveUp {
        attempts: policy.attempts,
        last,
    })
}
