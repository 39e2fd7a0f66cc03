//! The outbox and its delivery worker: nothing lost across a crash, nothing sent twice, retries
//! that back off, refusals that move a consultation on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Reply};
use kyodo::clock::ManualClock;
use kyodo::consult::model::Route;
use kyodo::consult::service;
use kyodo::lang::Lang;
use kyodo::outbox::Target;
use kyodo::worker::{DeliverError, Deliverer, Sent, Worker};

const T0: i64 = 1_795_000_000;

/// Records deliveries; can refuse a target or fail the first attempts of a key.
#[derive(Default)]
struct Recorder {
    delivered: Mutex<Vec<(Target, String, String)>>,
    removed: Mutex<Vec<Sent>>,
    refuse_user: Option<u64>,
    fail_first: Mutex<HashMap<String, u32>>,
    /// Keys whose first attempt is rate limited for the given wait.
    rate_limit_first: Mutex<HashMap<String, Duration>>,
}

impl Deliverer for Recorder {
    async fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        key: &str,
    ) -> Result<Vec<Sent>, DeliverError> {
        if matches!(target, Target::User(id) if Some(id) == self.refuse_user) {
            return Err(DeliverError::Refused("403 DMs closed".into()));
        }
        if let Some(retry_after) = self.rate_limit_first.lock().unwrap().remove(key) {
            let why = format!("rate limited for {retry_after:?}");
            return Err(DeliverError::RateLimited { why, retry_after });
        }
        if let Some(left) = self.fail_first.lock().unwrap().get_mut(key) {
            if *left > 0 {
                *left -= 1;
                return Err(DeliverError::Later("503".into()));
            }
        }
        let mut delivered = self.delivered.lock().unwrap();
        delivered.push((target, key.to_string(), reply.text.clone()));
        // Each message gets its number in the order sent; a DM's channel is the person's id.
        let channel = match target {
            Target::User(id) | Target::Channel(id) => id,
        };
        Ok(vec![Sent {
            channel,
            message: delivered.len() as u64,
        }])
    }

    async fn remove(&self, sent: Sent) -> Result<(), DeliverError> {
        self.removed.lock().unwrap().push(sent);
        Ok(())
    }
}

impl Recorder {
    fn keys(&self) -> Vec<String> {
        self.delivered
            .lock()
            .unwrap()
            .iter()
            .map(|(_, k, _)| k.clone())
            .collect()
    }
}

async fn chat_on(path: &std::path::Path, clock: &ManualClock) -> Worker {
    let pool = kyodo::store::open(path).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let mut settings = ChatSettings::default();
    settings.consult.coordinator_channel = Some(77);
    let chat = Chat::new(pool, Prompts::builtin().unwrap(), settings)
        .await
        .unwrap()
        .with_clock(Arc::new(clock.clone()));
    Worker::new(Arc::new(chat))
}

async fn submit(chat: &Chat, requester: &str) -> i64 {
    service::submit(
        chat.pool(),
        T0,
        chat.consult_settings(),
        &chat.searcher(),
        requester,
        Route::Citizen,
        Lang::Ja,
        "子ども食堂を始めたい",
    )
    .await
    .unwrap()
    .id
}

/// A01 accepts consultation `id` (offered to them first) and resolves it with `note`.
async fn accepted_and_resolved(chat: &Chat, id: i64, note: &str) {
    let offer = service::open_offer_for(chat.pool(), id, "A01")
        .await
        .unwrap()
        .unwrap();
    let contact = chat.consult_settings().contact;
    service::accept(chat.pool(), T0, offer, "A01", contact)
        .await
        .unwrap();
    service::resolve(chat.pool(), T0, id, "A01", note, 500)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_crash_between_commit_and_send_a_restart_delivers_each_message_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let clock = ManualClock::at(T0);
    {
        // The bot takes three requests, commits them, and dies before its worker sends.
        let chat = chat_on(&path, &clock).await;
        for requester in ["1", "2", "3"] {
            submit(&chat, requester).await;
        }
        assert_eq!(kyodo::outbox::pending_count(chat.pool()).await.unwrap(), 3);
    }
    // Restarted: two instances (say, a restart overlapping the old one) deliver at once.
    let (first, second) = (chat_on(&path, &clock).await, chat_on(&path, &clock).await);
    let recorder = Recorder::default();
    let (a, b) = tokio::join!(first.deliver_due(&recorder), second.deliver_due(&recorder));
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    let mut keys = recorder.keys();
    keys.sort();
    keys.dedup();
    assert_eq!(
        keys.len(),
        3,
        "each message delivered once: {:?}",
        recorder.keys()
    );
    assert_eq!(recorder.keys().len(), 3);
    assert_eq!(
        first.deliver_due(&recorder).await.unwrap(),
        0,
        "nothing left to send"
    );
    assert_eq!(kyodo::outbox::pending_count(first.pool()).await.unwrap(), 0);
}

#[tokio::test]
async fn a_worker_that_died_mid_send_is_taken_over_with_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    submit(&chat, "1").await;
    // A worker claims the row and dies before it is marked sent.
    let claimed = kyodo::outbox::claim_due(chat.pool(), T0, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let recorder = Recorder::default();
    assert_eq!(
        chat.deliver_due(&recorder).await.unwrap(),
        0,
        "a fresh claim is left alone"
    );
    clock.advance(kyodo::outbox::STALE_CLAIM_SECS);
    assert_eq!(chat.deliver_due(&recorder).await.unwrap(), 1);
    // The transport gets the same dedupe key the dead worker had (Discord's nonce).
    assert_eq!(recorder.keys(), vec![claimed[0].dedupe_key.clone()]);
}

#[tokio::test]
async fn an_outage_is_retried_later_and_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    submit(&chat, "1").await;
    let recorder = Recorder::default();
    recorder
        .fail_first
        .lock()
        .unwrap()
        .insert("offer:1".into(), 2);
    assert_eq!(chat.deliver_due(&recorder).await.unwrap(), 0);
    assert_eq!(
        chat.deliver_due(&recorder).await.unwrap(),
        0,
        "not due again yet"
    );
    clock.advance(3600);
    assert_eq!(
        chat.deliver_due(&recorder).await.unwrap(),
        0,
        "second failure"
    );
    clock.advance(3600);
    assert_eq!(chat.deliver_due(&recorder).await.unwrap(), 1);
    assert_eq!(recorder.keys(), vec!["offer:1"]);
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM outbox WHERE dedupe_key = 'offer:1'")
            .fetch_one(chat.pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("sent", 3));
}

/// A rate limit the transport could not wait out in place: the row waits the server's
/// `retry_after` (89.5 s here, longer than the outbox's own 10-s back-off), counted from the
/// refusal, and goes at the first tick after it.
#[tokio::test]
async fn a_rate_limited_row_is_retried_after_its_retry_after_not_on_the_back_off() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    submit(&chat, "1").await;
    let recorder = Recorder::default();
    recorder
        .rate_limit_first
        .lock()
        .unwrap()
        .insert("offer:1".into(), Duration::from_millis(89_500));
    assert_eq!(chat.deliver_due(&recorder).await.unwrap(), 0);
    clock.advance(10);
    assert_eq!(
        chat.deliver_due(&recorder).await.unwrap(),
        0,
        "not at the outbox's own back-off"
    );
    clock.advance(79);
    assert_eq!(
        chat.deliver_due(&recorder).await.unwrap(),
        0,
        "not before the server's wait is over"
    );
    clock.advance(2);
    assert_eq!(chat.deliver_due(&recorder).await.unwrap(), 1);
    assert_eq!(recorder.keys(), vec!["offer:1"]);
}

#[tokio::test]
async fn an_advisor_whose_dms_are_closed_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    let id = submit(&chat, "1").await;
    // A01 (920000000000000001) has closed their DMs.
    let recorder = Recorder {
        refuse_user: Some(920000000000000001),
        ..Recorder::default()
    };
    chat.tick(&recorder).await.unwrap();
    chat.tick(&recorder).await.unwrap();
    let offers: Vec<(String, String)> = sqlx::query_as(
        "SELECT advisor_id, state FROM consultation_offers WHERE consultation_id = ?1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(chat.pool())
    .await
    .unwrap();
    assert_eq!(
        offers,
        vec![
            ("A01".into(), "undeliverable".into()),
            ("A02".into(), "open".into())
        ]
    );
    let delivered = recorder.delivered.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].0, Target::User(920000000000000002));
    assert!(
        delivered[0].2.contains("#1") && !delivered[0].2.contains("子ども食堂を始めたい"),
        "the offer names the consultation but never shows the topic before it is accepted: {}",
        delivered[0].2
    );
}

#[tokio::test]
async fn unanswered_offers_time_out_on_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    let id = submit(&chat, "1").await;
    let recorder = Recorder::default();
    chat.tick(&recorder).await.unwrap();
    clock.advance(chat.consult_settings().offer_timeout_secs);
    chat.tick(&recorder).await.unwrap();
    let advisors: Vec<String> = sqlx::query_scalar(
        "SELECT advisor_id FROM consultation_offers WHERE consultation_id = ?1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(chat.pool())
    .await
    .unwrap();
    assert_eq!(advisors, vec!["A01", "A02"]);
    assert_eq!(recorder.keys(), vec!["offer:1", "offer:2"]);
}

#[tokio::test]
async fn after_the_retention_period_the_messages_that_carried_the_text_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    let id = submit(&chat, "1").await;
    let recorder = Recorder::default();
    chat.tick(&recorder).await.unwrap();
    accepted_and_resolved(&chat, id, "近くの子ども食堂を紹介しました").await;
    chat.tick(&recorder).await.unwrap();
    let carrying: Vec<Sent> = recorder
        .delivered
        .lock()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, (_, _, text))| {
            text.contains("子ども食堂を始めたい") || text.contains("近くの子ども食堂を紹介")
        })
        .map(|(n, (target, _, _))| Sent {
            channel: match target {
                Target::User(id) | Target::Channel(id) => *id,
            },
            message: n as u64 + 1,
        })
        .collect();
    assert_eq!(
        carrying.len(),
        2,
        "the advisor's topic and the requester's note"
    );

    clock.advance(chat.settings().retention_days * 86_400 - 3600);
    chat.tick(&recorder).await.unwrap();
    assert!(
        recorder.removed.lock().unwrap().is_empty(),
        "not before its time"
    );
    clock.advance(2 * 3600);
    chat.tick(&recorder).await.unwrap();
    let mut removed = recorder.removed.lock().unwrap().clone();
    removed.sort_by_key(|s| s.message);
    assert_eq!(removed, carrying);
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%子ども食堂を%'")
            .fetch_one(chat.pool())
            .await
            .unwrap();
    assert_eq!(left, 0, "no copy of the text is left in the outbox");
    chat.tick(&recorder).await.unwrap();
    assert_eq!(recorder.removed.lock().unwrap().len(), 2, "removed once");
}

#[tokio::test]
async fn retention_leaves_messages_that_carry_no_consultation_alone() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    // A digest held back past a long holiday: figures only, still to be posted.
    sqlx::query(
        "INSERT INTO outbox (dedupe_key, target_kind, target_id, payload, state, next_attempt_at, created_at)
         VALUES ('schedule:weekly:1', 'channel', '42', '{\"kind\":\"digest\",\"figures\":1}', 'pending', ?1, ?2)",
    )
    .bind(T0 + 40 * 86_400)
    .bind(T0)
    .execute(chat.pool())
    .await
    .unwrap();
    kyodo::retention::purge(chat.pool(), T0 + 31 * 86_400, 30)
        .await
        .unwrap();
    let (state, payload): (String, String) =
        sqlx::query_as("SELECT state, payload FROM outbox WHERE dedupe_key = 'schedule:weekly:1'")
            .fetch_one(chat.pool())
            .await
            .unwrap();
    assert_eq!(state, "pending");
    assert!(payload.contains("digest"), "{payload}");
}

/// What the person sees for the outbox row with `key`.
async fn rendered(chat: &Worker, key: &str) -> Reply {
    let payload: String = sqlx::query_scalar("SELECT payload FROM outbox WHERE dedupe_key = ?1")
        .bind(key)
        .fetch_one(chat.pool())
        .await
        .unwrap();
    let notice = kyodo::chat::notices::Notice::decode(&payload).unwrap();
    kyodo::chat::notices::render(&notice, chat.prompts(), T0, None)
}

fn press(person: &str, id: &str) -> kyodo::chat::Incoming {
    kyodo::chat::Incoming {
        person: kyodo::chat::Person::citizen(person, "someone"),
        place: kyodo::chat::Place::Direct,
        content: kyodo::chat::Content::Button(id.to_string()),
    }
}

#[tokio::test]
async fn a_resolved_consultation_asks_once_how_useful_it_was_and_counts_one_answer() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(T0);
    let chat = chat_on(&dir.path().join("k.db"), &clock).await;
    let id = submit(&chat, "1").await;
    accepted_and_resolved(&chat, id, "紹介しました").await;
    let told = rendered(&chat, &format!("resolved:{id}")).await;
    let asks: Vec<String> = told.buttons.iter().map(|b| b.action.to_string()).collect();
    assert_eq!(
        asks,
        (1..=5)
            .map(|s| format!("kyodo:rate:{id}:{s}"))
            .collect::<Vec<_>>(),
        "one question, five answers"
    );
    let questions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%\"resolved\"%'")
            .fetch_one(chat.pool())
            .await
            .unwrap();
    assert_eq!(questions, 1, "asked exactly once");

    let stranger = chat
        .handle(&press("2", &format!("kyodo:rate:{id}:1")))
        .await;
    assert!(stranger.private, "{}", stranger.text);
    let first = chat
        .handle(&press("1", &format!("kyodo:rate:{id}:4")))
        .await;
    assert!(first.text.contains("ありがとう"), "{}", first.text);
    let again = chat
        .handle(&press("1", &format!("kyodo:rate:{id}:1")))
        .await;
    assert!(
        again.private && again.text.contains("すでに"),
        "{}",
        again.text
    );
    let answers: Vec<i64> = sqlx::query_scalar("SELECT score FROM consultation_ratings")
        .fetch_all(chat.pool())
        .await
        .unwrap();
    assert_eq!(
        answers,
        vec![4],
        "the stranger's and the second press change nothing"
    );
}
