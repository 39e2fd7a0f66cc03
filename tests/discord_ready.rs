//! Ready for a real server, through the strict fake Discord: forms in server channels, answers
//! deferred past Discord's window, hung calls bounded by a time-out, and one active instance
//! per database with a standby that takes over.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::fake_discord::{
    button, dm, dm_channel_for, ephemeral, guild_button, guild_message, modal_submit, posted_to,
    slash, FakeDiscord, GUILD_CHANNEL, GUILD_ID, TOKEN,
};
use support::{chat_with, start_bot, start_bot_with, test_config, STAFF_ROLE};

const CITIZEN: &str = "1400000000000000031";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consultation_begun_in_a_server_channel_is_finished_through_its_form_privately() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let topic = "近所で子ども食堂を始めたいが、衛生の届け出が不安です（秘密）";

    // A message in the channel that does not mention the bot arrives empty: not for kyodo.
    fake.dispatch(
        "MESSAGE_CREATE",
        guild_message(501, GUILD_CHANNEL, CITIZEN, &[], topic, false),
    );
    fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            2,
            1700000000000000501,
            "tok-c1",
            CITIZEN,
            &[],
            "consult",
            json!([]),
        ),
    );
    let notice = fake
        .wait_for_call("the consent notice", |c| {
            c.path.ends_with("/tok-c1/callback")
        })
        .await;
    assert!(ephemeral(&notice.body()["data"]), "{}", notice.body());

    fake.dispatch(
        "INTERACTION_CREATE",
        guild_button(
            1700000000000000502,
            "tok-c2",
            CITIZEN,
            &[],
            "kyodo:consent:yes",
        ),
    );
    let form = fake
        .wait_for_call("the topic form", |c| c.path.ends_with("/tok-c2/callback"))
        .await;
    assert_eq!(form.body()["type"], 9, "a modal: {}", form.body());
    let form_id = form.body()["data"]["custom_id"]
        .as_str()
        .expect("form id")
        .to_string();

    fake.dispatch(
        "INTERACTION_CREATE",
        modal_submit(
            1700000000000000503,
            "tok-c3",
            CITIZEN,
            true,
            &form_id,
            &[("text", topic)],
        ),
    );
    let done = fake
        .wait_for_call("the consultation's number", |c| {
            c.path.ends_with("/tok-c3/callback")
        })
        .await;
    assert!(ephemeral(&done.body()["data"]), "{}", done.body());
    assert!(
        done.body()["data"]["content"]
            .as_str()
            .unwrap_or("")
            .contains('1'),
        "{}",
        done.body()
    );
    let stored: Option<String> = sqlx::query_scalar("SELECT topic FROM consultations")
        .fetch_optional(running.chat.pool())
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some(topic));

    // Nothing private anywhere a channel's readers see it.
    let public = fake.seen_in_channel(GUILD_CHANNEL, "子ども食堂を始めたい");
    assert!(public.is_empty(), "posted publicly: {public:?}");
    assert!(
        !fake.calls().iter().any(posted_to(GUILD_CHANNEL)),
        "nothing is posted in the server channel"
    );
    running.stop().await;
}

/// The citizen presses a DM button whose work is slow: a DM press carries no roles, so the
/// member lookup is part of the work, and the fake answers it after 4 s (the citizen's own
/// lookup: the bot's start-up check looks itself up too).
fn press_slowly(fake: &FakeDiscord, id: u64, token: &str) {
    fake.delay_next(
        "GET",
        &format!("/members/{CITIZEN}"),
        Duration::from_secs(4),
    );
    let channel = dm_channel_for(CITIZEN);
    fake.dispatch(
        "INTERACTION_CREATE",
        button(id, token, CITIZEN, &channel, "kyodo:consent:yes"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_whose_work_takes_longer_than_three_seconds_is_still_answered() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    press_slowly(fake, 1700000000000000601, "tok-slow");
    let edited = fake
        .wait_for_call("the deferred answer", |c| {
            c.method == "PATCH" && c.path.contains("/tok-slow/messages/@original")
        })
        .await;
    assert_eq!(
        fake.acknowledged("1700000000000000601"),
        Some(5),
        "deferred within the window"
    );
    assert!(
        !edited.body()["content"].as_str().unwrap_or("").is_empty(),
        "{}",
        edited.body()
    );
    running.stop().await;
}

/// Behind a proxy (every test here) writing a deferred answer, not only posting a message,
/// reads the 429's wait: rate limited for 2.5 s, the answer is written once that is over (not
/// at the 1-s floor, not much later), once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_deferred_answer_waits_its_retry_after_and_is_written_once() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let retry_after = Duration::from_millis(2500);
    fake.rate_limit_next("PATCH", "/tok-limited/messages/@original", retry_after);
    press_slowly(fake, 1700000000000000602, "tok-limited");
    let waited = fake
        .retried_once_after_429("the deferred answer", |c| {
            c.method == "PATCH" && c.path.contains("/tok-limited/messages/@original")
        })
        .await;
    assert!(
        waited >= retry_after && waited < retry_after + Duration::from_millis(1500),
        "retried {waited:?} after a 429 asking for {retry_after:?}"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_call_delays_no_one_else_and_is_retried_after_its_time_out() {
    let fake = FakeDiscord::start().await;
    let (chat, dir) = chat_with(None).await;
    let policy = kyodo::discord::sender::RetryPolicy {
        call_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let running = start_bot_with(fake, chat, dir, policy).await;
    let fake = &running.fake;
    let (hung, other) = ("1300000000000000061", "1300000000000000062");
    fake.hang_next("POST", &format!("/channels/{hung}/messages"));
    fake.dispatch(
        "MESSAGE_CREATE",
        dm(611, hung, "1400000000000000061", "子ども食堂"),
    );
    fake.wait_until("the hung call", Duration::from_secs(5), |f| {
        f.calls().iter().any(|c| c.path.contains(hung))
    })
    .await;
    let sent = Instant::now();
    fake.dispatch(
        "MESSAGE_CREATE",
        dm(612, other, "1400000000000000062", "子ども食堂"),
    );
    let reply = fake
        .wait_for_call("the other reply", posted_to(other))
        .await;
    assert!(
        reply.at - sent < Duration::from_secs(1),
        "the other user waited {:?}",
        reply.at - sent
    );
    fake.wait_for_call("the retried reply", posted_to(hung))
        .await;
    assert_eq!(fake.stored_messages(hung).len(), 1);
    running.stop().await;
}

/// `kyodo run` as a real process on `dir`'s database, against `fake`, with a short lease.
fn kyodo_run(dir: &std::path::Path, fake: &FakeDiscord, lease_seconds: u64) -> std::process::Child {
    let config = format!(
        "database = \"kyodo.db\"\n[discord]\nguild_id = {GUILD_ID}\nstaff_role_ids = [{STAFF_ROLE}]\napi_base = \"{}\"\nlease_seconds = {lease_seconds}\n",
        fake.rest_url
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, config).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .arg("--config")
        .arg(&path)
        .arg("run")
        .env("DISCORD_TOKEN", TOKEN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kyodo run starts")
}

async fn dms_from(fake: &FakeDiscord, users: std::ops::Range<u64>, first_id: u64) {
    for (i, user) in users.enumerate() {
        let user = (1_400_000_000_000_000_700 + user).to_string();
        let channel = dm_channel_for(&user);
        fake.dispatch(
            "MESSAGE_CREATE",
            dm(first_id + i as u64, &channel, &user, "子ども食堂"),
        );
    }
}

fn replies_per_user(fake: &FakeDiscord, users: std::ops::Range<u64>) -> Vec<usize> {
    users
        .map(|u| {
            fake.stored_messages(&dm_channel_for(
                &(1_400_000_000_000_000_700 + u).to_string(),
            ))
            .len()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_answer_each_dm_once_and_the_standby_takes_over() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    // Long enough that a loaded machine still renews in time, short enough to take over soon.
    let lease = 4;
    let mut active = kyodo_run(dir.path(), &fake, lease);
    fake.wait_until(
        "the active instance to connect",
        Duration::from_secs(30),
        |f| f.identifies() == 1,
    )
    .await;

    // The second instance on the same database stands by.
    let pool = kyodo::store::open(&dir.path().join("kyodo.db"))
        .await
        .unwrap();
    let chat = kyodo::chat::Chat::new(
        pool,
        kyodo::chat::prompts::Prompts::builtin().unwrap(),
        Default::default(),
    )
    .await
    .unwrap();
    let config = kyodo::config::DiscordConfig {
        lease_seconds: lease,
        ..test_config(&fake)
    };
    let http = kyodo::discord::http(TOKEN, config.api_base.as_deref());
    let standby = tokio::spawn(kyodo::discord::start(
        http,
        std::sync::Arc::new(chat),
        config,
        Default::default(),
    ));

    dms_from(&fake, 0..5, 801).await;
    fake.wait_until("every DM answered", Duration::from_secs(10), |f| {
        replies_per_user(f, 0..5).iter().all(|n| *n >= 1)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        replies_per_user(&fake, 0..5),
        vec![1; 5],
        "none answered twice"
    );
    assert_eq!(fake.identifies(), 1, "the standby did not connect");

    active.kill().expect("kill -9 the active instance");
    let killed = Instant::now();
    let _ = active.wait();
    fake.wait_until("the standby to take over", Duration::from_secs(15), |f| {
        f.identifies() == 2
    })
    .await;
    let took = killed.elapsed();
    // The lease expires `lease` s after its last renewal; the standby looks every third of it.
    let bound = Duration::from_millis(lease * 1000 * 4 / 3) + Duration::from_secs(2);
    assert!(took < bound, "took over after {took:?}, bound {bound:?}");
    dms_from(&fake, 0..5, 901).await;
    fake.wait_until(
        "every DM answered by the new active one",
        Duration::from_secs(10),
        |f| replies_per_user(f, 0..5).iter().all(|n| *n >= 2),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        replies_per_user(&fake, 0..5),
        vec![2; 5],
        "none answered twice"
    );
    let bot = standby.await.unwrap().expect("the standby started");
    bot.shutdown().await;
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_discord_says_what_the_bot_lacks_one_line_each() {
    const VIEW: u64 = 1 << 10;
    const SEND: u64 = 1 << 11;
    const EMBED: u64 = 1 << 14;
    const ATTACH: u64 = 1 << 15;
    const SEND_IN_THREADS: u64 = 1 << 38;
    let fake = FakeDiscord::start().await;
    let (bot_role, coordinators) = ("1500000000000000100", "1500000000000000777");
    let (escalations, threads, digest) = (
        "1300000000000000701",
        "1300000000000000702",
        "1300000000000000703",
    );
    let everyone = GUILD_ID.to_string();
    fake.set_roles(&[
        (&everyone, "@everyone", VIEW | SEND, false),
        (bot_role, "kyodo", EMBED | ATTACH | SEND_IN_THREADS, false),
        (coordinators, "コーディネーター", 0, false),
    ]);
    fake.set_member(support::fake_discord::APPLICATION_ID, &[bot_role]);
    fake.set_channel(escalations, 0, json!([]));
    fake.set_channel(threads, 2, json!([]));
    fake.set_channel(
        digest,
        0,
        json!([{"id": everyone, "type": 0, "allow": "0", "deny": ATTACH.to_string()},
               {"id": bot_role, "type": 0, "allow": "0", "deny": ATTACH.to_string()}]),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[consult]\ncoordinator_channel_id = {escalations}\ncoordinator_role_id = {coordinators}\ncontact = \"private-thread\"\nthread_channel_id = {threads}\n\n[[schedules]]\nname = \"weekly\"\ncron = \"0 0 9 * * Mon\"\ntimezone = \"Asia/Tokyo\"\nchannel = {digest}\nkind = \"progress-digest\"\n\n[discord]\nguild_id = {GUILD_ID}\napi_base = \"{}\"\n",
        fake.rest_url
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let config = dir.path().join("config.toml");
    // The fake answers on this runtime: the process is waited for on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kyodo"))
            .arg("--config")
            .arg(config)
            .args(["check-config", "--discord"])
            .env("DISCORD_TOKEN", TOKEN)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("discord: "))
        .collect();
    let about = |id: &str| {
        findings
            .iter()
            .filter(|l| l.contains(id))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(about(escalations).is_empty(), "{findings:#?}");
    let thread_lines = about(threads).join("\n");
    assert!(thread_lines.contains("Voice channel"), "{findings:#?}");
    assert!(
        thread_lines.contains("Create Private Threads"),
        "{findings:#?}"
    );
    assert!(
        !thread_lines.contains("Send Messages in Threads"),
        "{findings:#?}"
    );
    let digest_lines = about(digest);
    assert_eq!(digest_lines.len(), 1, "{findings:#?}");
    assert!(digest_lines[0].contains("Attach Files"), "{findings:#?}");
    assert!(!digest_lines[0].contains("View Channel"), "{findings:#?}");
    assert!(
        about(coordinators)
            .iter()
            .any(|l| l.contains("not mentionable")),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_rate_limit_in_proxy_mode_delays_the_reply_until_it_ends_and_posts_it_once() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let channel = "1300000000000000091";
    let window = Duration::from_secs(5);
    fake.rate_limit_for("POST", &format!("/channels/{channel}/messages"), window);
    let sent = Instant::now();
    fake.dispatch("MESSAGE_CREATE", dm(911, channel, CITIZEN, "子ども食堂"));
    let reply = fake.wait_for_call("the reply", posted_to(channel)).await;
    assert!(
        reply.at - sent >= window,
        "posted {:?} after the DM, inside the rate limit",
        reply.at - sent
    );
    assert_eq!(fake.stored_messages(channel).len(), 1, "posted once");
    running.stop().await;
}

/// `/progress N STATUS` in a server channel without a note: nothing is recorded until the
/// form (note optional) is sent; the sender's staff role is checked again at that moment; the
/// note is saved and the channel sees only that the status was recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_in_a_server_channel_takes_its_note_through_a_form() {
    let running = start_bot(FakeDiscord::start().await, None).await;
    let fake = &running.fake;
    let staff = "1400000000000000041";
    let options = json!([
        {"name": "action", "type": 3, "value": "10"},
        {"name": "status", "type": 3, "value": "実施中"}
    ]);
    fake.dispatch(
        "INTERACTION_CREATE",
        slash(
            2,
            1700000000000000701,
            "tok-p1",
            staff,
            &[STAFF_ROLE],
            "progress",
            options,
        ),
    );
    let form = fake
        .wait_for_call("the note form", |c| c.path.ends_with("/tok-p1/callback"))
        .await;
    assert_eq!(form.body()["type"], 9, "a modal: {}", form.body());
    let form_id = form.body()["data"]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let recorded = || async {
        sqlx::query_as::<_, (String, String)>("SELECT status, note FROM progress_updates")
            .fetch_all(running.chat.pool())
            .await
            .unwrap()
    };
    assert!(
        recorded().await.is_empty(),
        "recorded before the form was sent"
    );

    let note = "相談窓口の案内を始めた（担当者の私的メモ）";
    let submit = |id: u64, token: &str, roles: Value| {
        let mut submit = modal_submit(id, token, staff, true, &form_id, &[("text", note)]);
        submit["member"]["roles"] = roles;
        fake.dispatch("INTERACTION_CREATE", submit);
    };
    // Sent after the staff role was taken away: refused, nothing recorded.
    submit(1700000000000000702, "tok-p2", json!([]));
    let refused = fake
        .wait_for_call("the refusal", |c| c.path.ends_with("/tok-p2/callback"))
        .await;
    assert!(ephemeral(&refused.body()["data"]), "{}", refused.body());
    assert!(
        recorded().await.is_empty(),
        "recorded for a non-staff sender"
    );

    submit(1700000000000000703, "tok-p3", json!([STAFF_ROLE]));
    let done = fake
        .wait_for_call("the record confirmed", |c| {
            c.path.ends_with("/tok-p3/callback")
        })
        .await;
    let said = done.body()["data"]["content"].as_str().unwrap_or("");
    assert!(said.contains("記録しました"), "{}", done.body());
    assert_eq!(
        recorded().await,
        vec![("in_progress".to_string(), note.to_string())]
    );
    let public = fake.seen_in_channel(GUILD_CHANNEL, "私的メモ");
    assert!(
        public.is_empty(),
        "the note was posted publicly: {public:#?}"
    );
    running.stop().await;
}
