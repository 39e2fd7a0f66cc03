//! Consultations through the real serenity client and the fake Discord: a citizen's DM, the
//! advisor's DM with buttons, the click, the answers; declines, refusals and escalation.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::fake_discord::{
    button, dm, dm_channel_for, ephemeral, modal_submit, posted_to, slash, FakeDiscord, RestCall,
    GUILD_CHANNEL,
};
use support::{start_bot, Running, COORDINATOR_CHANNEL, COORDINATOR_ROLE};

const CITIZEN: &str = "1400000000000000001";
const CITIZEN_DM: &str = "1300000000000000002";
// The demo advisors' Discord ids.
const A01: &str = "920000000000000001";
const A02: &str = "920000000000000002";
const A04: &str = "920000000000000004";

fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// The citizen asks by DM and agrees to the notice; returns the offer the first advisor got.
async fn citizen_asks(running: &Running) -> String {
    running.fake.dispatch(
        "MESSAGE_CREATE",
        dm(1, CITIZEN_DM, CITIZEN, "子ども食堂を始めたいので相談したい"),
    );
    let notice = running
        .fake
        .wait_for_call("the consent notice", posted_to(CITIZEN_DM))
        .await;
    assert_eq!(
        custom_ids(notice.body()),
        vec!["kyodo:consent:yes", "kyodo:consent:no"]
    );
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(2, CITIZEN_DM, CITIZEN, "はい"));
    running
        .fake
        .wait_until("the number", Duration::from_secs(10), |f| {
            f.calls().iter().any(|c| {
                posted_to(CITIZEN_DM)(c)
                    && c.body()["content"].as_str().unwrap_or("").contains("#1")
            })
        })
        .await;
    "kyodo:accept:1".into()
}

async fn offer_to(running: &Running, advisor: &str) -> RestCall {
    running
        .fake
        .wait_for_call("an offer DM", posted_to(dm_channel_for(advisor)))
        .await
}

fn press(running: &Running, id: u64, advisor: &str, custom_id: &str) {
    running.fake.dispatch(
        "INTERACTION_CREATE",
        button(
            id,
            &format!("tok{id}"),
            advisor,
            &dm_channel_for(advisor),
            custom_id,
        ),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizens_dm_reaches_an_advisor_whose_accept_tells_the_citizen() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    citizen_asks(&running).await;
    let offer = offer_to(&running, A01).await;
    let offered = offer.body()["content"].as_str().unwrap();
    assert!(
        offered.contains("#1") && !offered.contains("子ども食堂を始めたい"),
        "an offer names the consultation, never its topic: {offered}"
    );
    assert_eq!(
        custom_ids(offer.body()),
        vec!["kyodo:accept:1", "kyodo:decline:1"]
    );

    press(&running, 1700000000000000101, A01, "kyodo:accept:1");
    let answer = running
        .fake
        .wait_for_call("the click's answer", |c| {
            c.path.contains("tok1700000000000000101")
        })
        .await;
    assert!(
        answer.body()["data"]["content"]
            .as_str()
            .unwrap()
            .contains("引き受けました"),
        "{}",
        answer.body()
    );
    let told = running
        .fake
        .wait_for_call("the citizen told", |c| {
            posted_to(dm_channel_for(CITIZEN))(c)
                && c.body()["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("松本 香織")
        })
        .await;
    assert_eq!(told.body()["allowed_mentions"]["parse"], json!([]));
    running
        .fake
        .wait_for_call("the topic, to the advisor who took it", |c| {
            posted_to(dm_channel_for(A01))(c)
                && c.body()["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("子ども食堂を始めたい")
        })
        .await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decline_moves_to_the_next_advisor_and_a_second_click_changes_nothing() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    press(&running, 1700000000000000201, A01, "kyodo:decline:1");
    // Next is A04: its field, support for civic groups (…連絡・助言), is near the topic's 相談.
    let next = offer_to(&running, A04).await;
    assert_eq!(
        custom_ids(next.body()),
        vec!["kyodo:accept:2", "kyodo:decline:2"]
    );
    // A01 presses Accept on the old offer afterwards: refused, privately.
    press(&running, 1700000000000000202, A01, "kyodo:accept:1");
    let late = running
        .fake
        .wait_for_call("the late click", |c| {
            c.path.contains("tok1700000000000000202")
        })
        .await;
    assert_eq!(late.body()["data"]["flags"], 64);
    assert!(late.body()["data"]["content"]
        .as_str()
        .unwrap()
        .contains("締め切られています"));
    let first_advisor_saw_the_topic = running.fake.calls().iter().any(|c| {
        c.path.contains(&dm_channel_for(A01))
            && c.body().to_string().contains("子ども食堂を始めたい")
    });
    assert!(
        !first_advisor_saw_the_topic,
        "an advisor who declined never had the topic in their DMs"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_everyone_declines_the_coordinators_are_called_by_role_only() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    citizen_asks(&running).await;
    for (n, (advisor, offer)) in [(A01, 1), (A04, 2), (A02, 3)].into_iter().enumerate() {
        offer_to(&running, advisor).await;
        press(
            &running,
            1700000000000000300 + n as u64,
            advisor,
            &format!("kyodo:decline:{offer}"),
        );
    }
    let post = running
        .fake
        .wait_for_call(
            "the escalation post",
            posted_to(COORDINATOR_CHANNEL.to_string()),
        )
        .await;
    let content = post.body()["content"].as_str().unwrap();
    assert!(
        content.starts_with(&format!("<@&{COORDINATOR_ROLE}> ")),
        "{content}"
    );
    assert!(
        content.contains("#1") && !content.contains("子ども食堂"),
        "numbers, no personal text: {content}"
    );
    assert_eq!(
        post.body()["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": [COORDINATOR_ROLE.to_string()]})
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_advisor_whose_dms_are_closed_is_skipped() {
    let fake = FakeDiscord::start().await;
    fake.fail_next(
        "POST",
        &format!("/channels/{}/messages", dm_channel_for(A01)),
        403,
        json!({"message": "Cannot send messages to this user", "code": 50007}),
    );
    let running = start_bot(fake, None).await;
    citizen_asks(&running).await;
    // Next is A04: its field, support for civic groups (…連絡・助言), is near the topic's 相談.
    let next = offer_to(&running, A04).await;
    assert_eq!(
        custom_ids(next.body()),
        vec!["kyodo:accept:2", "kyodo:decline:2"]
    );
    let to_a01 = running
        .fake
        .calls()
        .iter()
        .filter(|c| posted_to(dm_channel_for(A01))(c))
        .map(|c| c.status)
        .collect::<Vec<_>>();
    assert_eq!(to_a01, vec![403], "tried once, then skipped");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_private_threads_the_bot_opens_one_for_requester_and_advisor() {
    const THREADS: u64 = 1300000000000000999;
    let (chat, dir) = support::chat_with_settings(None, |settings| {
        settings.consult.contact = kyodo::consult::service::Contact::PrivateThread(THREADS);
    })
    .await;
    let running = support::start_bot_on(FakeDiscord::start().await, chat, dir).await;
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    press(&running, 1700000000000000401, A01, "kyodo:accept:1");
    let opened = running
        .fake
        .wait_for_call("the thread", |c| {
            c.path == format!("/channels/{THREADS}/threads")
        })
        .await;
    assert_eq!(opened.body()["type"], 12, "a private thread");
    assert_eq!(opened.body()["name"], "相談 #1");
    running
        .fake
        .wait_until("both added", Duration::from_secs(10), |f| {
            let added: Vec<String> = f
                .calls()
                .iter()
                .filter(|c| c.path.contains("/thread-members/"))
                .map(|c| c.path.clone())
                .collect();
            added.iter().any(|p| p.ends_with(CITIZEN)) && added.iter().any(|p| p.ends_with(A01))
        })
        .await;
    let post = running
        .fake
        .wait_for_call("the thread's first message", |c| {
            c.method == "POST"
                && c.path.ends_with("/messages")
                && c.body()["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("このスレッドは相談者と")
        })
        .await;
    assert!(
        !post.path.contains(&THREADS.to_string()),
        "posted inside the new thread, not the parent channel"
    );
    assert_eq!(
        post.body()["allowed_mentions"]["users"],
        json!([CITIZEN, A01])
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_delivery_retried_later_reuses_its_thread() {
    const THREADS: u64 = 1300000000000000998;
    let clock = kyodo::clock::ManualClock::at(chrono::Utc::now().timestamp());
    let (chat, dir) = support::chat_with_clock(
        None,
        |settings| {
            settings.consult.contact = kyodo::consult::service::Contact::PrivateThread(THREADS);
        },
        Some(std::sync::Arc::new(clock.clone())),
    )
    .await;
    let policy = kyodo::discord::sender::RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(10),
        ..Default::default()
    };
    let running = support::start_bot_with(FakeDiscord::start().await, chat, dir, policy).await;
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    // The thread opens, then Discord fails every attempt to add the first member: the
    // delivery is left for later.
    for _ in 0..2 {
        running.fake.fail_next(
            "PUT",
            "/thread-members/",
            502,
            json!({"message": "Bad Gateway", "code": 0}),
        );
    }
    press(&running, 1700000000000000411, A01, "kyodo:accept:1");
    let threads = |f: &FakeDiscord| {
        f.count(|c| c.method == "POST" && c.path == format!("/channels/{THREADS}/threads"))
    };
    running
        .fake
        .wait_until("the failed attempt", Duration::from_secs(10), |f| {
            f.count(|c| c.path.contains("/thread-members/") && c.status == 502) == 2
        })
        .await;
    assert_eq!(threads(&running.fake), 1);
    // Later, the retry: into the same thread.
    clock.advance(3600);
    let post = running
        .fake
        .wait_for_call("the thread's first message", |c| {
            c.method == "POST"
                && c.path.ends_with("/messages")
                && c.body()["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("このスレッドは相談者と")
        })
        .await;
    assert_eq!(threads(&running.fake), 1, "no second thread");
    let opened = running
        .fake
        .wait_for_call("the thread", |c| {
            c.path == format!("/channels/{THREADS}/threads")
        })
        .await;
    // The thread's id is the id the fake gave in its answer: the message went there.
    let thread_posts: Vec<RestCall> = running
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.path.contains("/thread-members/") && c.status == 204)
        .collect();
    assert!(thread_posts.len() >= 2, "both added on the retry");
    let thread_id = thread_posts[0].path.split('/').nth(2).unwrap().to_string();
    assert_eq!(post.path, format!("/channels/{thread_id}/messages"));
    assert_eq!(opened.status, 200);
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_delivery_to_one_person_holds_back_no_one_elses() {
    let (chat, dir) = support::chat_with(None).await;
    let policy = kyodo::discord::sender::RetryPolicy {
        call_timeout: Duration::from_secs(3),
        ..Default::default()
    };
    let running = support::start_bot_with(FakeDiscord::start().await, chat, dir, policy).await;
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    let (citizen, advisor) = (dm_channel_for(CITIZEN), dm_channel_for(A01));
    running
        .fake
        .hang_next("POST", &format!("/channels/{citizen}/messages"));
    press(&running, 1700000000000000421, A01, "kyodo:accept:1");
    running
        .fake
        .wait_until("the hung notice", Duration::from_secs(10), |f| {
            f.count(|c| c.path == format!("/channels/{citizen}/messages")) == 1
        })
        .await;
    let hung_at = std::time::Instant::now();
    running
        .fake
        .wait_until("the advisor's notice", Duration::from_secs(10), |f| {
            f.count(|c| posted_to(advisor.clone())(c) && c.status == 200) >= 2
        })
        .await;
    assert!(
        hung_at.elapsed() < Duration::from_secs(2),
        "the advisor waited {:?} for the citizen's hung call",
        hung_at.elapsed()
    );
    // The citizen's notice goes through once its call has timed out and is retried.
    running
        .fake
        .wait_until("the citizen's notice", Duration::from_secs(15), |f| {
            f.stored_messages(&citizen).len() == 1
        })
        .await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_who_cannot_join_the_thread_gets_the_advisor_dm_route_and_both_are_told() {
    const THREADS: u64 = 1300000000000000997;
    let (chat, dir) = support::chat_with_settings(None, |settings| {
        settings.consult.contact = kyodo::consult::service::Contact::PrivateThread(THREADS);
    })
    .await;
    let running = support::start_bot_on(FakeDiscord::start().await, chat, dir).await;
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    // The citizen wrote by DM and is not a member of the server.
    running
        .fake
        .refuse_next("PUT", &format!("/thread-members/{CITIZEN}"), 10007);
    press(&running, 1700000000000000431, A01, "kyodo:accept:1");
    let said = |channel: String, words: &'static str| {
        move |c: &RestCall| {
            posted_to(channel.clone())(c)
                && c.body()["content"].as_str().unwrap_or("").contains(words)
        }
    };
    running
        .fake
        .wait_for_call(
            "the citizen told there is no thread",
            said(dm_channel_for(CITIZEN), "追加できませんでした"),
        )
        .await;
    let advisor = running
        .fake
        .wait_for_call(
            "the advisor told to write by DM",
            said(dm_channel_for(A01), "スレッドはありません"),
        )
        .await;
    assert!(
        advisor.body()["content"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("<@{CITIZEN}>")),
        "{}",
        advisor.body()
    );
    // No thread is left without its requester, and nothing was posted in one.
    running
        .fake
        .wait_for_call("the half-made thread removed", |c| c.method == "DELETE")
        .await;
    assert!(!running.fake.calls().iter().any(|c| c.body()["content"]
        .as_str()
        .unwrap_or("")
        .contains("このスレッドは相談者と")));
    running.stop().await;
}

/// `/resolve N` in a server channel without a note: the note comes through a form only the
/// advisor sees, is saved with the resolution, and never appears where the channel reads; the
/// form sent again is checked against the consultation's state now, and refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_in_a_server_channel_takes_its_note_through_a_private_form() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let accept = citizen_asks(&running).await;
    offer_to(&running, A01).await;
    press(&running, 1700000000000000601, A01, &accept);
    fake.wait_for_call("the accept answered", |c| {
        c.path.contains("tok1700000000000000601")
    })
    .await;

    let number = json!([{"name": "number", "type": 3, "value": "1"}]);
    // Another advisor gets no form for a consultation that is not theirs, only why.
    let other = slash(
        2,
        1700000000000000600,
        "tok-r0",
        A02,
        &[],
        "resolve",
        number.clone(),
    );
    fake.dispatch("INTERACTION_CREATE", other);
    let refused = fake
        .wait_for_call("the other advisor's answer", |c| {
            c.path.ends_with("/tok-r0/callback")
        })
        .await;
    assert_eq!(
        refused.body()["type"],
        4,
        "a message, no form: {}",
        refused.body()
    );
    assert!(ephemeral(&refused.body()["data"]), "{}", refused.body());
    let why = refused.body()["data"]["content"].as_str().unwrap_or("");
    assert!(why.contains("あなたの担当・依頼ではありません"), "{why}");
    fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            2,
            1700000000000000602,
            "tok-r1",
            A01,
            &[],
            "resolve",
            number,
        ),
    );
    let form = fake
        .wait_for_call("the note form", |c| c.path.ends_with("/tok-r1/callback"))
        .await;
    assert_eq!(form.body()["type"], 9, "a modal: {}", form.body());
    let form_id = form.body()["data"]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();

    let note = "ご近所の子ども食堂の代表（秘密の連絡先）を紹介しました";
    let submit = |id: u64, token: &str| {
        fake.dispatch(
            "INTERACTION_CREATE",
            modal_submit(id, token, A01, true, &form_id, &[("text", note)]),
        );
    };
    submit(1700000000000000603, "tok-r2");
    let done = fake
        .wait_for_call("the resolution confirmed", |c| {
            c.path.ends_with("/tok-r2/callback")
        })
        .await;
    assert!(ephemeral(&done.body()["data"]), "{}", done.body());
    let said = done.body()["data"]["content"].as_str().unwrap_or("");
    assert!(said.contains("解決済みにしました"), "{}", done.body());
    let (state, saved): (String, Option<String>) =
        sqlx::query_as("SELECT state, resolution_note FROM consultations WHERE id = 1")
            .fetch_one(running.chat.pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), saved.as_deref()), ("resolved", Some(note)));

    // The same form again: the consultation is resolved now, so it is refused privately.
    submit(1700000000000000604, "tok-r3");
    let again = fake
        .wait_for_call("the second submit answered", |c| {
            c.path.ends_with("/tok-r3/callback")
        })
        .await;
    assert!(ephemeral(&again.body()["data"]), "{}", again.body());
    assert!(
        !again.body()["data"]["content"]
            .as_str()
            .unwrap_or("")
            .contains("解決済みにしました"),
        "{}",
        again.body()
    );

    let public = fake.seen_in_channel(GUILD_CHANNEL, "秘密の連絡先");
    assert!(
        public.is_empty(),
        "the note was posted publicly: {public:#?}"
    );
    running.stop().await;
}

/// A wait of `retry_after` as the server said: not the 1-s floor, not much more (its
/// `Retry-After` header rounds up to whole seconds).
fn assert_waited_as_told(waited: Duration, retry_after: Duration) {
    assert!(
        waited >= retry_after && waited < retry_after + Duration::from_millis(1500),
        "retried {waited:?} after a 429 asking for {retry_after:?}"
    );
}

/// Behind a proxy (every test here) opening a DM channel, not only posting, reads the 429's
/// wait: the advisor's offer waits it out and arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_dm_opening_waits_its_retry_after_and_the_offer_arrives_once() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let retry_after = Duration::from_millis(2500);
    running
        .fake
        .rate_limit_next("POST", "/users/@me/channels", retry_after);
    citizen_asks(&running).await;
    let waited = running
        .fake
        .retried_once_after_429("the advisor's DM channel", |c| {
            c.method == "POST" && c.path == "/users/@me/channels"
        })
        .await;
    assert_waited_as_told(waited, retry_after);
    offer_to(&running, A01).await;
    let offers = running.fake.stored_messages(&dm_channel_for(A01));
    assert_eq!(offers.len(), 1, "one offer");
    running.stop().await;
}

/// Opening a private thread rate limited for seconds waits as told, and one thread is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_thread_opening_waits_its_retry_after_and_opens_one_thread() {
    const THREADS: u64 = 1300000000000000997;
    let (chat, dir) = support::chat_with_settings(None, |settings| {
        settings.consult.contact = kyodo::consult::service::Contact::PrivateThread(THREADS);
    })
    .await;
    let running = support::start_bot_on(FakeDiscord::start().await, chat, dir).await;
    let retry_after = Duration::from_millis(2500);
    let threads = format!("/channels/{THREADS}/threads");
    running.fake.rate_limit_next("POST", &threads, retry_after);
    citizen_asks(&running).await;
    offer_to(&running, A01).await;
    press(&running, 1700000000000000411, A01, "kyodo:accept:1");
    let waited = running
        .fake
        .retried_once_after_429("the thread", |c| c.path == threads)
        .await;
    assert_waited_as_told(waited, retry_after);
    running
        .fake
        .wait_for_call("the thread's first message", |c| {
            c.method == "POST"
                && c.path.ends_with("/messages")
                && c.body().to_string().contains("このスレッドは相談者と")
        })
        .await;
    running.stop().await;
}

/// An outbox message rate limited for longer than is waited in place goes back to the outbox
/// until the server's wait is over: not retried before it, nor long after it (the outbox's own
/// back-off would be 10 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_message_rate_limited_past_the_in_place_wait_is_retried_at_its_retry_after() {
    let (chat, dir) = support::chat_with(None).await;
    let policy = kyodo::discord::sender::RetryPolicy {
        longest_rate_limit_wait: Duration::from_secs(1),
        ..Default::default()
    };
    let running = support::start_bot_with(FakeDiscord::start().await, chat, dir, policy).await;
    let retry_after = Duration::from_secs(4);
    let advisor = dm_channel_for(A01);
    running.fake.rate_limit_next(
        "POST",
        &format!("/channels/{advisor}/messages"),
        retry_after,
    );
    citizen_asks(&running).await;
    let waited = running
        .fake
        .retried_once_after_429("the offer", posted_to(advisor.as_str()))
        .await;
    // The outbox counts whole seconds from the end of the refusal's and a worker tick: up to
    // 2 s more than the wait.
    assert!(
        waited >= retry_after && waited < retry_after + Duration::from_millis(2500),
        "retried {waited:?} after a 429 asking for {retry_after:?}"
    );
    assert_eq!(running.fake.stored_messages(&advisor).len(), 1, "one offer");
    running.stop().await;
}
