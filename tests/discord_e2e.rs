//! The real serenity client against the fake Discord: what citizens and staff see on Discord.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::fake_discord::{
    button, dm, dm_channel_for, posted_to, slash, FakeDiscord, RestCall, GUILD_ID,
};
use support::{start_bot, STAFF_ROLE};

const CITIZEN: &str = "1400000000000000001";
const DM_CHANNEL: &str = "1300000000000000002";

fn embed_titles(body: &Value) -> Vec<String> {
    body["embeds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["title"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_is_answered_in_the_same_dm_with_matching_groups() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(1, DM_CHANNEL, CITIZEN, "子ども食堂"));
    let reply = running
        .fake
        .wait_for_call("the DM reply", posted_to(DM_CHANNEL))
        .await;
    let titles = embed_titles(reply.body());
    assert!(
        titles
            .iter()
            .any(|t| t.contains("子ども食堂") || t.contains("子供食堂")),
        "{titles:?}"
    );
    assert!(
        reply.body()["content"]
            .as_str()
            .unwrap_or("")
            .contains("見つかりました"),
        "{}",
        reply.body()
    );
    assert_eq!(reply.body()["allowed_mentions"]["parse"], json!([]));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_find_gets_an_interaction_callback_with_embeds() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let options = json!([{"name": "query", "type": 3, "value": "子ども食堂"}]);
    running.fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            2,
            1700000000000000001,
            "tok-find",
            CITIZEN,
            &[],
            "find",
            options,
        ),
    );
    let callback = running
        .fake
        .wait_for_call("the /find callback", |c| {
            c.path == "/interactions/1700000000000000001/tok-find/callback"
        })
        .await;
    assert_eq!(callback.body()["type"], 4, "a message response");
    assert!(
        !embed_titles(&callback.body()["data"]).is_empty(),
        "{}",
        callback.body()
    );
    assert_eq!(
        callback.body()["data"]["allowed_mentions"]["parse"],
        json!([])
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_registration_carries_the_japanese_localisations() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let registration = running
        .fake
        .wait_for_call("registration", |c| {
            c.method == "PUT"
                && c.path == format!("/applications/1100000000000000001/guilds/{GUILD_ID}/commands")
        })
        .await;
    let commands = registration.body().as_array().expect("a command list");
    let find = commands
        .iter()
        .find(|c| c["name"] == "find")
        .expect("/find is registered");
    assert_eq!(find["name_localizations"]["ja"], "さがす");
    assert!(find["description_localizations"]["ja"]
        .as_str()
        .is_some_and(|d| d.contains("団体")));
    let query = &find["options"][0];
    assert_eq!(query["name_localizations"]["ja"], "ことば");
    assert_eq!(query["autocomplete"], true);
    assert!(commands
        .iter()
        .any(|c| c["name"] == "help" && c["name_localizations"]["ja"] == "ヘルプ"));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_at_most_25_choices() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    // The demo directory has 30 groups; an empty prefix matches them all.
    let options = json!([{"name": "query", "type": 3, "value": "", "focused": true}]);
    running.fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            4,
            1700000000000000002,
            "tok-auto",
            CITIZEN,
            &[],
            "find",
            options,
        ),
    );
    let callback = running
        .fake
        .wait_for_call("autocomplete", |c| c.path.contains("tok-auto"))
        .await;
    assert_eq!(callback.body()["type"], 8);
    let choices = callback.body()["data"]["choices"]
        .as_array()
        .expect("choices");
    assert_eq!(choices.len(), 25);

    let options = json!([{"name": "query", "type": 3, "value": "食堂", "focused": true}]);
    running.fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            4,
            1700000000000000003,
            "tok-auto2",
            CITIZEN,
            &[],
            "find",
            options,
        ),
    );
    let callback = running
        .fake
        .wait_for_call("autocomplete by name", |c| c.path.contains("tok-auto2"))
        .await;
    let names: Vec<&str> = callback.body()["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| n.contains("食堂")),
        "{names:?}"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_named_everyone_never_pings_anyone() {
    let extra = "id,name,name_kana,form,fields,area,description,keywords,target,recruiting,contact,name_en,description_en\n\
                 X001,@everyone 応援団,エブリワンオウエンダン,任意団体,6,中央,@here 地域のスポーツを応援します。,応援団;スポーツ応援,一般,yes,ouen@example.jp,,\n";
    let running = start_bot(FakeDiscord::start().await, Some(extra)).await;
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(2, DM_CHANNEL, CITIZEN, "応援団"));
    let reply = running
        .fake
        .wait_for_call("the reply", posted_to(DM_CHANNEL))
        .await;
    assert!(
        embed_titles(reply.body())
            .iter()
            .any(|t| t.contains("@everyone")),
        "{}",
        reply.body()
    );
    assert_eq!(
        reply.body()["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": []})
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_then_success_delivers_once() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running.fake.fail_next(
        "POST",
        "/messages",
        500,
        json!({"message": "Internal Server Error", "code": 0}),
    );
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(3, DM_CHANNEL, CITIZEN, "子ども食堂"));
    running
        .fake
        .wait_for_call("the retried reply", posted_to(DM_CHANNEL))
        .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let attempts: Vec<u16> = running
        .fake
        .calls()
        .iter()
        .filter(|c| posted_to(DM_CHANNEL)(c))
        .map(|c| c.status)
        .collect();
    assert_eq!(
        attempts,
        vec![500, 200],
        "one failure, then exactly one delivery"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_stored_before_the_answer_was_lost_is_not_posted_twice() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running
        .fake
        .fail_next_after_storing("POST", "/messages", 502);
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(9, DM_CHANNEL, CITIZEN, "子ども食堂"));
    running
        .fake
        .wait_until("the retry", Duration::from_secs(10), |f| {
            f.calls()
                .iter()
                .filter(|c| posted_to(DM_CHANNEL)(c))
                .count()
                == 2
        })
        .await;
    let attempts = running.fake.calls_to(posted_to(DM_CHANNEL));
    assert_eq!(
        attempts.iter().map(|c| c.status).collect::<Vec<_>>(),
        vec![502, 200]
    );
    assert!(attempts[0].body()["nonce"].is_string() && attempts[0].body()["enforce_nonce"] == true);
    assert_eq!(
        attempts[0].body()["nonce"],
        attempts[1].body()["nonce"],
        "the retry carries the same nonce"
    );
    assert_eq!(
        running.fake.stored_messages(DM_CHANNEL).len(),
        1,
        "the citizen sees the reply once"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_waits_then_delivers_once() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    // Behind a proxy (as here) kyodo reads the 429's own retry_after, shorter than the floor it
    // falls back on when no wait is given.
    let retry_after = 0.5;
    running.fake.fail_next("POST", "/messages", 429, json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": false, "code": 0}));
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(4, DM_CHANNEL, CITIZEN, "子ども食堂"));
    running
        .fake
        .wait_for_call("the reply after the rate limit", posted_to(DM_CHANNEL))
        .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let attempts = running.fake.calls_to(posted_to(DM_CHANNEL));
    assert_eq!(
        attempts.iter().map(|c| c.status).collect::<Vec<_>>(),
        vec![429, 200]
    );
    let waited = attempts[1].at - attempts[0].at;
    assert!(
        waited >= Duration::from_secs_f64(retry_after),
        "retried after {waited:?}"
    );
    running.stop().await;
}

/// The check: in proxy mode (every test here) a 429 asking for 5 s is waited 5 s, not
/// more than a moment longer, the reply is posted once, and another person's reply meanwhile
/// is not held back by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_asking_for_5_s_is_waited_5_s_while_other_replies_go_on() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let retry_after = Duration::from_secs(5);
    fake.rate_limit_next(
        "POST",
        &format!("/channels/{DM_CHANNEL}/messages"),
        retry_after,
    );
    fake.dispatch("MESSAGE_CREATE", dm(41, DM_CHANNEL, CITIZEN, "子ども食堂"));
    let limited = |c: &RestCall| posted_to(DM_CHANNEL)(c) && c.status == 429;
    fake.wait_until("the rate-limited post", Duration::from_secs(10), |f| {
        f.calls().iter().any(limited)
    })
    .await;
    let (other_user, other_channel) = ("1400000000000000077", "1300000000000000077");
    fake.dispatch("MESSAGE_CREATE", dm(42, other_channel, other_user, "防災"));
    let other = fake
        .wait_for_call("the other person's reply", posted_to(other_channel))
        .await;
    let first = fake
        .wait_for_call("the reply after the wait", posted_to(DM_CHANNEL))
        .await;
    let attempts = fake.calls_to(posted_to(DM_CHANNEL));
    assert_eq!(
        attempts.iter().map(|c| c.status).collect::<Vec<_>>(),
        vec![429, 200]
    );
    let waited = attempts[1].at - attempts[0].at;
    assert!(
        waited >= retry_after && waited < retry_after + Duration::from_millis(1500),
        "retried after {waited:?}"
    );
    assert!(
        other.at < first.at,
        "the other reply waited for the rate-limited one"
    );
    assert_eq!(fake.stored_messages(DM_CHANNEL).len(), 1, "posted once");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_recorded_not_retried() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running.fake.fail_next(
        "POST",
        "/messages",
        403,
        json!({"message": "Cannot send messages to this user", "code": 50007}),
    );
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(5, DM_CHANNEL, CITIZEN, "子ども食堂"));
    let pool = running.chat.pool().clone();
    let recorded = || async {
        sqlx::query_as::<_, (String, String, i64, i64)>(
            "SELECT target_kind, target_id, status, code FROM delivery_failures",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while recorded().await.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        recorded().await,
        vec![("channel".to_string(), DM_CHANNEL.to_string(), 403, 50007)]
    );
    let attempts = running
        .fake
        .calls()
        .iter()
        .filter(|c| posted_to(DM_CHANNEL)(c))
        .count();
    assert_eq!(attempts, 1, "a refusal is final");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_gateway_closes_with_4000_the_bot_resumes_and_still_answers() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running.fake.close_gateway(4000);
    running
        .fake
        .wait_until("a resume", Duration::from_secs(15), |f| f.resumes() == 1)
        .await;
    assert_eq!(
        running.fake.identifies(),
        1,
        "resumed, not identified again"
    );
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(6, DM_CHANNEL, CITIZEN, "子ども食堂"));
    let reply = running
        .fake
        .wait_for_call("a reply after resuming", posted_to(DM_CHANNEL))
        .await;
    assert!(!embed_titles(reply.body()).is_empty());
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_in_the_guild_are_recognised_in_dms() {
    let fake = FakeDiscord::start().await;
    let staff = "1400000000000000077";
    fake.set_member(staff, &[STAFF_ROLE]);
    let running = start_bot(fake, None).await;
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(7, DM_CHANNEL, staff, "help"));
    running
        .fake
        .wait_for_call("the reply", posted_to(DM_CHANNEL))
        .await;
    let lookups = running
        .fake
        .calls()
        .iter()
        .filter(|c| c.path == format!("/guilds/{GUILD_ID}/members/{staff}"))
        .count();
    assert_eq!(lookups, 1, "a DM sender's guild roles are looked up");
    running
        .fake
        .dispatch("MESSAGE_CREATE", dm(8, DM_CHANNEL, staff, "help"));
    running
        .fake
        .wait_until("the second reply", Duration::from_secs(10), |f| {
            f.calls()
                .iter()
                .filter(|c| posted_to(DM_CHANNEL)(c))
                .count()
                == 2
        })
        .await;
    let lookups = running
        .fake
        .calls()
        .iter()
        .filter(|c| c.path.contains(&format!("/members/{staff}")))
        .count();
    assert_eq!(lookups, 1, "and cached");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_button_gets_a_private_answer() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    running.fake.dispatch(
        "INTERACTION_CREATE",
        button(
            1700000000000000009,
            "tok-btn",
            CITIZEN,
            DM_CHANNEL,
            "nonsense:1",
        ),
    );
    let callback = running
        .fake
        .wait_for_call("the button answer", |c| c.path.contains("tok-btn"))
        .await;
    assert_eq!(
        callback.body()["data"]["flags"],
        64,
        "only the presser sees it"
    );
    running.stop().await;
}

#[test]
fn fixtures_parse_as_serenity_events() {
    for (t, d) in [
        ("MESSAGE_CREATE", dm(1, DM_CHANNEL, CITIZEN, "x")),
        (
            "INTERACTION_CREATE",
            slash(2, 1, "t", CITIZEN, &[STAFF_ROLE], "find", json!([])),
        ),
        (
            "INTERACTION_CREATE",
            slash(
                4,
                1,
                "t",
                CITIZEN,
                &[],
                "find",
                json!([{"name": "query", "type": 3, "value": "", "focused": true}]),
            ),
        ),
        (
            "INTERACTION_CREATE",
            button(1, "t", CITIZEN, DM_CHANNEL, "x"),
        ),
    ] {
        support::fake_discord::assert_serenity_parses(&json!({"op": 0, "s": 1, "t": t, "d": d}));
    }
}

#[test]
#[should_panic(expected = "serenity would drop this fixture")]
fn a_broken_fixture_is_caught() {
    let mut broken = dm(1, DM_CHANNEL, CITIZEN, "x");
    broken.as_object_mut().unwrap().remove("timestamp");
    support::fake_discord::assert_serenity_parses(
        &json!({"op": 0, "s": 1, "t": "MESSAGE_CREATE", "d": broken}),
    );
}

/// An interaction whose answer Discord keeps refusing with 429 past its 3-s window is not lost
/// silently: the answer reaches the person by DM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_answer_rate_limited_past_its_window_comes_by_dm() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    fake.rate_limit_for("POST", "/tok-limited/callback", Duration::from_secs(30));
    let options = json!([{"name": "query", "type": 3, "value": "子ども食堂"}]);
    fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            2,
            1700000000000000901,
            "tok-limited",
            CITIZEN,
            &[],
            "find",
            options,
        ),
    );
    let by_dm = fake
        .wait_for_call("the answer by DM", posted_to(dm_channel_for(CITIZEN)))
        .await;
    assert!(!embed_titles(by_dm.body()).is_empty(), "{}", by_dm.body());
    let answered = fake
        .calls()
        .iter()
        .any(|c| c.path.ends_with("/tok-limited/callback") && c.status < 300);
    assert!(!answered, "the callback was never accepted");
    running.stop().await;
}
