//! Retrying a Discord call: back-off on 5xx and dropped connections; a 429 waited as long as
//! the server said (when it said: `raw.rs`), else a floor; refusals fail at once, typed.
//! serenity's own rate limiter (on without a proxy) waits inside the call and announces the
//! wait (`announce_wait`), which stretches that call's time-out instead of being cut by it.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use serenity::http::HttpError;

use super::raw::CallError;
use super::sender::DeliveryError;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Least wait after a 429 whose `retry_after` is unknown (a call behind a proxy that does not
    /// go through `raw::call`, where serenity drops it). A known `retry_after` is waited exactly (see
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
        let outcome = match call(policy, op()).await {
            Called::Done(outcome) => outcome,
            Called::TooLong(retry_after) => {
                tracing::warn!(
                    what,
                    ?retry_after,
                    "rate limited for longer than waited in place"
                );
                return Err(DeliveryError::RateLimited { retry_after });
            }
            Called::TimedOut => {
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

tokio::task_local! {
    /// The wait serenity's limiter announced during the call being made in this task.
    static ANNOUNCED: Arc<Announced>;
}

#[derive(Default)]
struct Announced {
    /// When the wait was announced, and how long it is.
    wait: Mutex<Option<(Instant, Duration)>>,
    changed: Notify,
}

/// Tells the call in progress in this task that the server asked to wait `wait` before it
/// goes on (serenity's rate-limit callback, `connect.rs`). Outside a call it does nothing.
pub fn announce_wait(wait: Duration) {
    let _ = ANNOUNCED.try_with(|announced| {
        if let Ok(mut slot) = announced.wait.lock() {
            *slot = Some((Instant::now(), wait));
        }
        announced.changed.notify_one();
    });
}

enum Called<T> {
    Done(T),
    TimedOut,
    /// The server asked for a longer wait than the policy allows in place.
    TooLong(Duration),
}

/// Runs one call within the policy's time-out, stretched by any wait announced during it.
async fn call<T>(policy: &RetryPolicy, op: impl Future<Output = T>) -> Called<T> {
    let announced = Arc::new(Announced::default());
    let op = ANNOUNCED.scope(announced.clone(), op);
    tokio::pin!(op);
    let mut deadline = Instant::now() + policy.call_timeout;
    loop {
        tokio::select! {
            outcome = &mut op => return Called::Done(outcome),
            () = tokio::time::sleep_until(deadline) => return Called::TimedOut,
            () = announced.changed.notified() => {
                let slot = announced.wait.lock().ok().and_then(|mut slot| slot.take());
                let Some((at, wait)) = slot else { continue };
                if wait > policy.longest_rate_limit_wait {
                    return Called::TooLong(wait);
                }
                deadline = deadline.max(at + wait + policy.call_timeout);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(call_timeout_ms: u64, longest_wait_ms: u64) -> RetryPolicy {
        RetryPolicy {
            attempts: 1,
            call_timeout: Duration::from_millis(call_timeout_ms),
            longest_rate_limit_wait: Duration::from_millis(longest_wait_ms),
            ..RetryPolicy::default()
        }
    }

    /// A call that announces `wait` (as serenity's limiter does) and then waits it.
    async fn limited(wait: Duration) -> serenity::Result<&'static str> {
        announce_wait(wait);
        tokio::time::sleep(wait).await;
        Ok("sent")
    }

    #[tokio::test]
    async fn an_announced_wait_stretches_the_time_out_instead_of_being_cut() {
        let wait = Duration::from_millis(400);
        let sent = with_retry(&policy(100, 1000), "test", || limited(wait)).await;
        assert_eq!(sent, Ok("sent"));
    }

    #[tokio::test]
    async fn a_call_that_announces_nothing_still_times_out() {
        let hung = || async {
            tokio::time::sleep(Duration::from_millis(400)).await;
            serenity::Result::<&str>::Ok("sent")
        };
        let sent = with_retry(&policy(100, 1000), "test", hung).await;
        assert!(
            matches!(sent, Err(DeliveryError::GaveUp { .. })),
            "{sent:?}"
        );
    }

    #[tokio::test]
    async fn a_wait_longer_than_allowed_fails_at_once_with_its_length() {
        let started = Instant::now();
        let wait = Duration::from_secs(30);
        let sent = with_retry(&policy(100, 1000), "test", || limited(wait)).await;
        assert_eq!(sent, Err(DeliveryError::RateLimited { retry_after: wait }));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
