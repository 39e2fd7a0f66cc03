//! Scheduled digests with the clock under control: each fire posts exactly once, close to its
//! time, across restarts; an outage gives one late post; holiday policies; fiscal years.

use std::sync::{Arc, Mutex};

use chrono::TimeZone;
use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Reply};
use kyodo::clock::ManualClock;
use kyodo::lang::Lang;
use kyodo::outbox::{Mention, Target};
use kyodo::remind::digest::PlanSettings;
use kyodo::remind::schedule::Schedule;
use kyodo::worker::{DeliverError, Deliverer, Sent, Worker};

const STAFF_CHANNEL: u64 = 4242;

fn tokyo(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .timestamp()
}

/// Records each post with the clock's time when it went out.
struct Posts {
    clock: ManualClock,
    posted: Mutex<Vec<(i64, Target, Reply)>>,
}

impl Deliverer for Posts {
    async fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        _key: &str,
    ) -> Result<Vec<Sent>, DeliverError> {
        use kyodo::clock::Clock;
        self.posted
            .lock()
            .unwrap()
            .push((self.clock.now(), target, reply.clone()));
        Ok(Vec::new())
    }

    async fn remove(&self, _sent: Sent) -> Result<(), DeliverError> {
        Ok(())
    }
}

impl Posts {
    fn new(clock: &ManualClock) -> Posts {
        Posts {
            clock: clock.clone(),
            posted: Mutex::new(Vec::new()),
        }
    }

    fn times(&self) -> Vec<i64> {
        self.posted
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _, _)| *t)
            .collect()
    }
}

fn weekly(on_holiday: &str) -> Schedule {
    Schedule::parse(
        "weekly-digest",
        "0 0 9 * * Mon",
        "Asia/Tokyo",
        STAFF_CHANNEL,
        "progress-digest",
        on_holiday,
        Lang::Ja,
    )
    .unwrap()
}

async fn chat_on(
    path: &std::path::Path,
    clock: &ManualClock,
    schedule: Schedule,
    plan: PlanSettings,
) -> Worker {
    let pool = kyodo::store::open(path).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let settings = ChatSettings {
        schedules: vec![schedule],
        plan,
        ..ChatSettings::default()
    };
    let chat = Chat::new(pool, Prompts::builtin().unwrap(), settings)
        .await
        .unwrap()
        .with_clock(Arc::new(clock.clone()));
    Worker::new(Arc::new(chat))
}

fn plan() -> PlanSettings {
    PlanSettings {
        owners: Default::default(),
        stale_days: 30,
        ..Default::default()
    }
}

/// Ticks at `at` (a second after each minute the worker would).
async fn tick_at(chat: &Worker, clock: &ManualClock, posts: &Posts, at: i64) {
    clock.set(at);
    chat.tick(posts).await.unwrap();
}

#[tokio::test]
async fn a_weekly_monday_digest_posts_once_a_week_for_eight_weeks_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    // Mondays from 2026-06-01 (no holidays in June–July until 海の日 07-20, handled by "run").
    let start = tokyo(2026, 5, 31, 12, 0);
    let clock = ManualClock::at(start);
    let posts = Posts::new(&clock);
    let mut chat = chat_on(&path, &clock, weekly("run"), plan()).await;
    tick_at(&chat, &clock, &posts, start).await;
    let fires: Vec<i64> = (0..8)
        .map(|w| tokyo(2026, 6, 1, 9, 0) + w * 7 * 86_400)
        .collect();
    for (week, fire) in fires.iter().enumerate() {
        // Every six hours in between nothing is posted.
        for quarter in 1..4 {
            tick_at(&chat, &clock, &posts, fire - quarter * 6 * 3600).await;
        }
        if week == 4 {
            // A restart just before the fire; the old and new instance both tick at it.
            let old = chat;
            chat = chat_on(&path, &clock, weekly("run"), plan()).await;
            tick_at(&old, &clock, &posts, fire + 1).await;
        }
        tick_at(&chat, &clock, &posts, fire + 1).await;
        tick_at(&chat, &clock, &posts, fire + 2).await;
    }
    let times = posts.times();
    assert_eq!(times.len(), 8, "{times:?}");
    for (posted, fire) in times.iter().zip(&fires) {
        assert!(
            (0..=2).contains(&(posted - fire)),
            "posted {posted} for {fire}"
        );
    }
    let posted = posts.posted.lock().unwrap();
    assert!(posted.iter().all(
        |(_, target, reply)| *target == Target::Channel(STAFF_CHANNEL)
            && !reply.text.contains("遅れて")
    ));
}

#[tokio::test]
async fn a_three_week_outage_gives_one_late_post_with_its_due_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(tokyo(2026, 5, 31, 12, 0));
    let posts = Posts::new(&clock);
    let chat = chat_on(&dir.path().join("k.db"), &clock, weekly("run"), plan()).await;
    tick_at(&chat, &clock, &posts, tokyo(2026, 5, 31, 12, 0)).await;
    tick_at(&chat, &clock, &posts, tokyo(2026, 6, 1, 9, 0) + 1).await;
    // Down from 06-01 afternoon to 06-24: the fires of 06-08, 06-15 and 06-22 are missed.
    tick_at(&chat, &clock, &posts, tokyo(2026, 6, 24, 10, 0)).await;
    tick_at(&chat, &clock, &posts, tokyo(2026, 6, 24, 10, 1)).await;
    let posted = posts.posted.lock().unwrap().clone();
    assert_eq!(posted.len(), 2, "one post for the outage, not a burst");
    let late = &posted[1].2.text;
    assert!(
        late.contains("遅れて投稿") && late.contains("2026-06-22 09:00"),
        "{late}"
    );
    drop(posted);
    tick_at(&chat, &clock, &posts, tokyo(2026, 6, 29, 9, 0) + 1).await;
    assert_eq!(posts.times().len(), 3, "and the next week is on time again");
}

#[tokio::test]
async fn on_a_holiday_monday_skip_skips_and_next_business_day_waits() {
    // 2026-09-21 is 敬老の日; 09-22 and 09-23 are holidays too: next business day is Thursday.
    for (policy, expected) in [
        ("skip", None),
        ("next-business-day", Some(tokyo(2026, 9, 24, 9, 0))),
        ("run", Some(tokyo(2026, 9, 21, 9, 0))),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::at(tokyo(2026, 9, 20, 12, 0));
        let posts = Posts::new(&clock);
        let chat = chat_on(&dir.path().join("k.db"), &clock, weekly(policy), plan()).await;
        tick_at(&chat, &clock, &posts, tokyo(2026, 9, 20, 12, 0)).await;
        for at in [
            tokyo(2026, 9, 21, 9, 0) + 1,
            tokyo(2026, 9, 22, 9, 0),
            tokyo(2026, 9, 24, 9, 0) + 1,
            tokyo(2026, 9, 25, 9, 0),
        ] {
            tick_at(&chat, &clock, &posts, at).await;
        }
        let times = posts.times();
        match expected {
            None => assert!(times.is_empty(), "{policy}: {times:?}"),
            Some(when) => {
                assert_eq!(times.len(), 1, "{policy}");
                assert!(
                    (0..=2).contains(&(times[0] - when)),
                    "{policy}: posted at {} for {when}",
                    times[0]
                );
            }
        }
    }
}

#[tokio::test]
async fn fiscal_years_turn_on_the_first_of_april() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(tokyo(2026, 3, 31, 12, 0));
    let chat = chat_on(&dir.path().join("k.db"), &clock, weekly("run"), plan()).await;
    let searcher = chat.searcher();
    for at in [tokyo(2026, 3, 31, 12, 0), tokyo(2026, 4, 1, 12, 0)] {
        kyodo::consult::service::submit(
            chat.pool(),
            at,
            chat.consult_settings(),
            &searcher,
            &at.to_string(),
            kyodo::consult::model::Route::Citizen,
            Lang::Ja,
            "相談",
        )
        .await
        .unwrap();
    }
    let settings = plan();
    let compose = |at: i64| {
        kyodo::remind::digest::compose(
            chat.pool(),
            &settings,
            "t",
            chrono_tz::Asia::Tokyo,
            Lang::Ja,
            at,
            false,
        )
    };
    let march = compose(tokyo(2026, 3, 31, 23, 59)).await.unwrap();
    assert_eq!(march.fiscal_year, 2025);
    assert_eq!(
        march.routes[0].fiscal_year.received, 1,
        "only March's request in FY2025"
    );
    let april = compose(tokyo(2026, 4, 1, 23, 0)).await.unwrap();
    assert_eq!(april.fiscal_year, 2026);
    assert_eq!(
        april.routes[0].fiscal_year.received, 1,
        "April's request starts FY2026"
    );
    assert_eq!(april.routes[0].week.received, 2, "the week spans both");
}

#[tokio::test]
async fn the_digest_mentions_only_the_owners_of_stale_actions() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(tokyo(2026, 6, 1, 8, 0));
    let mut owners = std::collections::HashMap::new();
    owners.insert(10, vec![Mention::Role(111)]);
    owners.insert(22, vec![Mention::User(222)]);
    owners.insert(1, vec![Mention::Role(333), Mention::User(222)]);
    let plan = PlanSettings {
        owners,
        stale_days: 30,
        ..Default::default()
    };
    let chat = chat_on(
        &dir.path().join("k.db"),
        &clock,
        weekly("run"),
        plan.clone(),
    )
    .await;
    let update = kyodo::plan::progress::Update {
        action_no: 10,
        fiscal_year: 2026,
        status: kyodo::plan::progress::Status::InProgress,
        note: String::new(),
        author_id: "staff".into(),
        created_at: tokyo(2026, 5, 25, 10, 0),
    };
    kyodo::plan::progress::record(chat.pool(), &update)
        .await
        .unwrap();
    let digest = kyodo::remind::digest::compose(
        chat.pool(),
        &plan,
        "w",
        chrono_tz::Asia::Tokyo,
        Lang::Ja,
        tokyo(2026, 6, 1, 9, 0),
        false,
    )
    .await
    .unwrap();
    let mut mentioned = digest.stale_owners.clone();
    mentioned.sort_by_key(|m| format!("{m:?}"));
    assert_eq!(
        mentioned,
        vec![Mention::Role(333), Mention::User(222)],
        "action 10 is fresh; 1 and 22 are stale"
    );
    let action10 = digest
        .visions
        .iter()
        .flat_map(|v| &v.actions)
        .find(|a| a.no == 10)
        .unwrap();
    assert_eq!((action10.stale, action10.days_since), (false, Some(6)));
}

fn schedule(cron: &str, zone: &str, on_holiday: &str) -> Schedule {
    Schedule::parse(
        "s",
        cron,
        zone,
        STAFF_CHANNEL,
        "progress-digest",
        on_holiday,
        Lang::Ja,
    )
    .unwrap()
}

/// Ticks every minute over `[from, to)` and returns when posts went out.
async fn posts_over(schedule: Schedule, from: i64, to: i64) -> Vec<i64> {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(from);
    let posts = Posts::new(&clock);
    let chat = chat_on(&dir.path().join("k.db"), &clock, schedule, plan()).await;
    let mut at = from;
    while at < to {
        tick_at(&chat, &clock, &posts, at).await;
        at += 60;
    }
    posts.times()
}

#[test]
fn weekday_numbers_and_five_field_lines_mean_what_crontab_means() {
    let shown = |s: &Schedule| -> Vec<String> {
        s.next(tokyo(2026, 11, 29, 0, 0), 5) // a Sunday
            .iter()
            .map(|t| t.format("%a %H:%M").to_string())
            .collect()
    };
    let weekdays = schedule("0 0 9 * * 1-5", "Asia/Tokyo", "run");
    assert_eq!(
        shown(&weekdays),
        vec![
            "Mon 09:00",
            "Tue 09:00",
            "Wed 09:00",
            "Thu 09:00",
            "Fri 09:00"
        ]
    );
    let crontab = schedule("30 8 * * 0,7", "Asia/Tokyo", "run");
    assert_eq!(shown(&crontab)[..2], ["Sun 08:30", "Sun 08:30"]);
    let monday = schedule("0 9 * * 1", "Asia/Tokyo", "run");
    assert_eq!(shown(&monday)[0], "Mon 09:00");
}

#[tokio::test]
async fn a_time_that_occurs_twice_posts_once_and_a_skipped_time_posts_after_the_gap() {
    let new_york = |y, m, d, h, min| {
        chrono_tz::America::New_York
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
            .timestamp()
    };
    // 2026-11-01: clocks go back at 02:00 EDT; 01:30 happens twice.
    let autumn = schedule("0 30 1 * * Sun", "America/New_York", "run");
    let posted = posts_over(
        autumn,
        new_york(2026, 10, 31, 23, 0),
        new_york(2026, 11, 1, 4, 0),
    )
    .await;
    assert_eq!(posted, vec![new_york(2026, 11, 1, 1, 30)], "01:30 EDT only");
    // 2026-03-08: clocks go forward at 02:00 EST; 02:30 does not exist, 03:00 EDT is next.
    let spring = schedule("0 30 2 * * Sun", "America/New_York", "run");
    let posted = posts_over(
        spring,
        new_york(2026, 3, 7, 23, 0),
        new_york(2026, 3, 8, 5, 0),
    )
    .await;
    assert_eq!(posted, vec![new_york(2026, 3, 8, 3, 0)]);
}

#[tokio::test]
async fn a_fire_moved_onto_a_day_with_its_own_fire_posts_once() {
    // 2027-01-11 is 成人の日: Monday's 09:00 would move to Tuesday, which has its own 09:00.
    let weekdays = schedule("0 0 9 * * Mon-Fri", "Asia/Tokyo", "next-business-day");
    let posted = posts_over(
        weekdays,
        tokyo(2027, 1, 11, 8, 0),
        tokyo(2027, 1, 12, 10, 0),
    )
    .await;
    assert_eq!(posted, vec![tokyo(2027, 1, 12, 9, 0)]);
}

#[tokio::test]
async fn the_year_end_closure_is_closed_for_skip_too() {
    let daily = schedule("0 0 9 * * *", "Asia/Tokyo", "skip");
    let posted = posts_over(daily, tokyo(2026, 12, 28, 8, 0), tokyo(2026, 12, 30, 10, 0)).await;
    assert_eq!(
        posted,
        vec![tokyo(2026, 12, 28, 9, 0)],
        "12/29 and 12/30 are closed"
    );
}
