//! The weekly digest through the real serenity client and the fake Discord: it arrives in the
//! staff channel once, with its chart attached, mentioning only the owners of stale actions.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{Timelike, Utc};
use serde_json::json;
use support::fake_discord::FakeDiscord;
use support::{chat_with_settings, start_bot_on};

const STAFF_CHANNEL: u64 = 1300000000000000888;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_arrives_once_with_its_chart_mentioning_only_stale_owners() {
    // A daily schedule whose fire is ten seconds from now (UTC), so the test sees it happen: the
    // bot must be up before it (a fire before its first tick is not this bot's to post), and
    // setting up the search index takes seconds on a loaded machine.
    let fire = Utc::now() + chrono::Duration::seconds(10);
    let cron = format!("{} {} {} * * *", fire.second(), fire.minute(), fire.hour());
    let schedule = kyodo::remind::schedule::Schedule::parse(
        "staff-digest",
        &cron,
        "UTC",
        STAFF_CHANNEL,
        "progress-digest",
        "run",
        kyodo::lang::Lang::Ja,
    )
    .unwrap();
    let mut owners = HashMap::new();
    owners.insert(10, vec![kyodo::outbox::Mention::Role(111)]);
    owners.insert(1, vec![kyodo::outbox::Mention::Role(333)]);
    owners.insert(22, vec![kyodo::outbox::Mention::User(1400000000000000222)]);
    let (chat, dir) = chat_with_settings(None, |settings| {
        settings.schedules = vec![schedule];
        settings.plan = kyodo::remind::digest::PlanSettings {
            owners,
            stale_days: 30,
            ..Default::default()
        };
    })
    .await;
    // Action 10 was updated today: it is not stale, so its owner is not called.
    let update = kyodo::plan::progress::Update {
        action_no: 10,
        fiscal_year: 2026,
        status: kyodo::plan::progress::Status::InProgress,
        note: String::new(),
        author_id: "staff".into(),
        created_at: Utc::now().timestamp(),
    };
    kyodo::plan::progress::record(chat.pool(), &update)
        .await
        .unwrap();
    let running = start_bot_on(FakeDiscord::start().await, chat, dir).await;

    let path = format!("/channels/{STAFF_CHANNEL}/messages");
    let posted =
        |c: &support::fake_discord::RestCall| c.path == path && (200..300).contains(&c.status);
    running
        .fake
        .wait_until("the digest", Duration::from_secs(25), |f| {
            f.calls().iter().any(posted)
        })
        .await;
    let post = running.fake.calls().into_iter().find(posted).unwrap();
    let content = post.body()["content"].as_str().unwrap();
    assert!(
        content.starts_with("<@&333> <@1400000000000000222> 【協働推進計画 週次ダイジェスト】"),
        "{content}"
    );
    assert!(
        !content.contains("111"),
        "the owner of a fresh action is not mentioned"
    );
    assert_eq!(
        post.body()["allowed_mentions"],
        json!({"parse": [], "users": ["1400000000000000222"], "roles": ["333"]}),
        "exactly the stale actions' owners may be pinged"
    );
    assert_eq!(post.files.len(), 1);
    let (name, png) = &post.files[0];
    assert_eq!(name, "digest.png");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "a real chart ({} bytes)",
        png.len()
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    let posts = running
        .fake
        .calls()
        .iter()
        .filter(|c| c.path == path)
        .count();
    assert_eq!(posts, 1, "posted exactly once");
    running.stop().await;
}
