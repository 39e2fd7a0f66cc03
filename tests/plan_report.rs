//! The annual report's figures against a hand count, and the waiting-too-long alert, on
//! consultations made through the real service in a migrated SQLite file.

use std::sync::Arc;

use chrono::TimeZone;
use kyodo::consult::model::Route;
use kyodo::consult::service::{self, Contact, Settings};
use kyodo::directory::search::{Lexicon, LexiconParts, Searcher};
use kyodo::lang::Lang;
use kyodo::plan::progress::{self, Status, Update};
use kyodo::remind::report::{self, Period};
use sqlx::SqlitePool;

const ROLE: u64 = 1500000000000000777;

fn tokyo(m: u32, d: u32, h: u32, min: u32) -> i64 {
    let y = 2026;
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .timestamp()
}

struct Office {
    pool: SqlitePool,
    searcher: Arc<Searcher>,
    settings: Settings,
    _dir: tempfile::TempDir,
}

async fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let pool = kyodo::store::open(&dir.path().join("k.db")).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let orgs = kyodo::db::organizations::load_all(&mut conn).await.unwrap();
    drop(conn);
    Office {
        pool,
        searcher: Arc::new(Searcher::new(
            orgs,
            Lexicon::builtin(LexiconParts::ALL).unwrap(),
        )),
        settings: Settings {
            coordinator_channel: Some(1300000000000000777),
            coordinator_role: Some(ROLE),
            // The figures are about offers and answers: every request is offered to someone,
            // even where no advisor's fields fit it.
            routing: kyodo::consult::routing::Knobs {
                triage_when_nothing_fits: false,
                ..Default::default()
            },
            ..Settings::default()
        },
        _dir: dir,
    }
}

impl Office {
    async fn submit(&self, at: i64, who: &str, route: Route) -> i64 {
        service::submit(
            &self.pool,
            at,
            &self.settings,
            &self.searcher,
            who,
            route,
            Lang::Ja,
            "子ども食堂を始めたいので相談したい",
        )
        .await
        .unwrap()
        .id
    }

    async fn offer(&self, id: i64) -> Option<(i64, String)> {
        sqlx::query_as("SELECT id, advisor_id FROM consultation_offers WHERE consultation_id = ?1 AND state = 'open'")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .unwrap()
    }

    async fn accept(&self, at: i64, id: i64) -> String {
        let (offer, advisor) = self.offer(id).await.expect("an open offer");
        service::accept(&self.pool, at, offer, &advisor, Contact::AdvisorDm)
            .await
            .unwrap();
        advisor
    }

    async fn decline_all(&self, at: i64, id: i64) {
        while let Some((offer, advisor)) = self.offer(id).await {
            service::decline(
                &self.pool,
                at,
                &self.settings,
                &self.searcher,
                offer,
                &advisor,
            )
            .await
            .unwrap();
        }
    }

    async fn resolve(&self, at: i64, id: i64, advisor: &str) {
        service::resolve(&self.pool, at, id, advisor, "団体を紹介して解決", 1000)
            .await
            .unwrap();
    }

    async fn rate(&self, at: i64, id: i64, score: u8) {
        let mut conn = self.pool.acquire().await.unwrap();
        let stored =
            kyodo::db::consultation_ratings::insert(&mut conn, id, score, Some("助かりました"), at)
                .await
                .unwrap();
        assert!(stored);
    }
}

fn month(r: &report::RouteYear, m: u32) -> &Period {
    r.months
        .iter()
        .find(|p| p.month.map(|d| chrono::Datelike::month(&d)) == Some(m))
        .unwrap()
}

#[tokio::test]
async fn the_reports_figures_equal_a_hand_count() {
    let o = office().await;
    // Citizens (action 10). Received in March (FY2025), accepted 14 h later in April.
    let c0 = o.submit(tokyo(3, 31, 20, 0), "u0", Route::Citizen).await;
    o.accept(tokyo(4, 1, 10, 0), c0).await;
    // May: accepted after 2 h, resolved in June and rated 4.
    let c1 = o.submit(tokyo(5, 11, 10, 0), "u1", Route::Citizen).await;
    let a1 = o.accept(tokyo(5, 11, 12, 0), c1).await;
    o.resolve(tokyo(6, 2, 15, 0), c1, &a1).await;
    o.rate(tokyo(6, 3, 9, 0), c1, 4).await;
    // May: accepted after 23 h (within the offer's 24 h), still open.
    let c2 = o.submit(tokyo(5, 20, 9, 0), "u2", Route::Citizen).await;
    o.accept(tokyo(5, 21, 8, 0), c2).await;
    // May: every advisor declines: escalated.
    let c3 = o.submit(tokyo(5, 25, 10, 0), "u3", Route::Citizen).await;
    o.decline_all(tokyo(5, 25, 11, 0), c3).await;
    // June: withdrawn the next day.
    let c4 = o.submit(tokyo(6, 10, 10, 0), "u4", Route::Citizen).await;
    service::cancel(&o.pool, tokyo(6, 11, 10, 0), c4, "u4")
        .await
        .unwrap();
    // City staff (action 22), July: accepted after 6 h, resolved, rated 5.
    let s1 = o.submit(tokyo(7, 1, 10, 0), "s1", Route::Staff).await;
    let a5 = o.accept(tokyo(7, 1, 16, 0), s1).await;
    o.resolve(tokyo(7, 15, 10, 0), s1, &a5).await;
    o.rate(tokyo(7, 16, 10, 0), s1, 5).await;

    // Progress: action 10 twice this year (its last status 完了) and once the year before.
    for (fy, status, at) in [
        (2025, Status::InProgress, tokyo(3, 1, 9, 0)),
        (2026, Status::InProgress, tokyo(5, 1, 9, 0)),
        (2026, Status::Done, tokyo(9, 1, 9, 0)),
    ] {
        progress::record(
            &o.pool,
            &Update {
                action_no: 10,
                fiscal_year: fy,
                status,
                note: "窓口の案内".into(),
                author_id: "staff".into(),
                created_at: at,
            },
        )
        .await
        .unwrap();
    }
    // Unmet searches: 将棋 by three people, 囲碁 by two.
    for (who, term) in [
        ("a", "将棋"),
        ("b", "将棋"),
        ("c", "将棋"),
        ("a", "囲碁"),
        ("b", "囲碁"),
    ] {
        kyodo::remind::digest::record_miss(&o.pool, &[term.to_string()], who, tokyo(8, 1, 9, 0))
            .await
            .unwrap();
    }

    let now = tokyo(11, 30, 9, 0);
    let r = report::compose(&o.pool, 2026, chrono_tz::Asia::Tokyo, now)
        .await
        .unwrap();
    let action = |no: u32| r.actions.iter().find(|a| a.no == no).unwrap();
    assert_eq!(
        (action(10).status, action(10).updates),
        (Some(Status::Done), 2)
    );
    assert_eq!((action(3).status, action(3).updates), (None, 0));
    assert_eq!(r.actions.len(), 22);

    let citizens = &r.routes[0];
    assert_eq!(citizens.action, 10);
    assert_eq!(citizens.months.len(), 12);
    let april = month(citizens, 4);
    assert_eq!((april.received, april.accepted), (0, 1));
    assert_eq!(april.median_hours, Some(14.0));
    let may = month(citizens, 5);
    assert_eq!(
        (
            may.received,
            may.accepted,
            may.escalated,
            may.resolved,
            may.cancelled
        ),
        (3, 2, 1, 0, 0)
    );
    assert_eq!((may.median_hours, may.p90_hours), (Some(12.5), Some(23.0)));
    let june = month(citizens, 6);
    assert_eq!(
        (june.received, june.accepted, june.resolved, june.cancelled),
        (1, 0, 1, 1)
    );
    assert_eq!(
        (june.satisfaction.count, june.satisfaction.average),
        (1, Some(4.0))
    );
    assert_eq!(month(citizens, 7).received, 0);
    let year = &citizens.total;
    assert_eq!(
        (
            year.received,
            year.accepted,
            year.escalated,
            year.resolved,
            year.cancelled
        ),
        (4, 3, 1, 1, 1)
    );
    // Waits 2 h, 14 h and 23 h: median 14, 90th percentile (nearest rank) 23.
    assert_eq!(
        (year.median_hours, year.p90_hours),
        (Some(14.0), Some(23.0))
    );
    assert_eq!(year.satisfaction.count, 1);

    let staff = &r.routes[1];
    assert_eq!(staff.action, 22);
    let july = month(staff, 7);
    assert_eq!(
        (
            july.received,
            july.accepted,
            july.median_hours,
            july.resolved
        ),
        (1, 1, Some(6.0), 1)
    );
    assert_eq!(
        (
            staff.total.satisfaction.count,
            staff.total.satisfaction.average
        ),
        (1, Some(5.0))
    );
    assert_eq!(r.unmet, vec![("将棋".to_string(), 3)]);

    // Figures only: the CSV carries no topic, note, comment or requester.
    let prompts = kyodo::chat::prompts::Prompts::builtin().unwrap();
    let csv = kyodo::remind::report_out::to_csv(&r, &prompts, Lang::Ja).unwrap();
    let text = String::from_utf8(csv).unwrap();
    for private in [
        "子ども食堂",
        "団体を紹介",
        "助かりました",
        "窓口の案内",
        "u1",
        "s1",
    ] {
        assert!(!text.contains(private), "{private} in the report");
    }
    assert!(text.contains("10,2026-05,3,2,12.5,23.0,1,0,0,0,"), "{text}");
    assert!(
        text.contains("22,2026-07,1,1,6.0,6.0,0,1,0,1,5.00"),
        "{text}"
    );
    let font = kyodo::remind::chart::find_font(None).unwrap();
    let png = kyodo::remind::report_out::chart(&r, &prompts, Lang::Ja, &font).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

fn sla_schedule() -> kyodo::remind::schedule::Schedule {
    kyodo::remind::schedule::Schedule::parse(
        "waiting",
        "0 0 10 * * *",
        "Asia/Tokyo",
        4343,
        "consultation-sla",
        "run",
        Lang::Ja,
    )
    .unwrap()
}

async fn sla_posts(o: &Office) -> Vec<String> {
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE dedupe_key LIKE 'schedule:waiting:%' ORDER BY id",
    )
    .fetch_all(&o.pool)
    .await
    .unwrap();
    let prompts = kyodo::chat::prompts::Prompts::builtin().unwrap();
    payloads
        .iter()
        .map(|p| {
            let notice = kyodo::chat::notices::Notice::decode(p).unwrap();
            let reply = kyodo::chat::notices::render(&notice, &prompts, 0, None);
            assert_eq!(reply.mentions, vec![kyodo::outbox::Mention::Role(ROLE)]);
            reply.text
        })
        .collect()
}

#[tokio::test]
async fn the_sla_post_lists_exactly_the_consultations_past_the_threshold() {
    let o = office().await;
    let plan = kyodo::remind::digest::PlanSettings {
        sla: kyodo::remind::sla::SlaSettings {
            hours: 8,
            coordinator_role: ROLE,
            ..Default::default()
        },
        ..Default::default()
    };
    let schedules = [sla_schedule()];
    let run = |at: i64| kyodo::remind::scheduler::run_due(&o.pool, at, &schedules, &plan);
    run(tokyo(9, 14, 8, 0)).await.unwrap(); // first seen: nothing from before

    // Monday 2026-09-14 (business days to Wednesday; office hours 08:30–17:15).
    let waiting_offer = o.submit(tokyo(9, 14, 9, 0), "u1", Route::Citizen).await;
    let taken = o.submit(tokyo(9, 14, 9, 0), "u2", Route::Citizen).await;
    o.accept(tokyo(9, 14, 9, 30), taken).await;
    let escalated = o.submit(tokyo(9, 14, 13, 0), "u3", Route::Citizen).await;
    o.decline_all(tokyo(9, 14, 13, 5), escalated).await;
    let recent = o.submit(tokyo(9, 15, 15, 0), "s1", Route::Staff).await;

    // Monday 10:00: the oldest has waited 1 office hour; nothing is posted.
    let outcomes = run(tokyo(9, 14, 10, 0) + 1).await.unwrap();
    assert!(matches!(
        outcomes.as_slice(),
        [kyodo::remind::scheduler::Outcome::Skipped { .. }]
    ));
    assert!(sla_posts(&o).await.is_empty());

    // Tuesday 10:00: #waiting_offer 8.25 + 1.5 = 9.75 h; #escalated 4.25 + 1.5 = 5.75 h.
    run(tokyo(9, 15, 10, 0) + 1).await.unwrap();
    // Wednesday 10:00: 8.25 + 8.75 + 1.5 = 18.5 h and 14.5 h; #recent 2.25 + 1.5 = 3.75 h;
    // #taken was accepted.
    run(tokyo(9, 16, 10, 0) + 1).await.unwrap();
    let posts = sla_posts(&o).await;
    assert_eq!(posts.len(), 2, "{posts:?}");
    let numbered = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| {
                l.split_once('#')
                    .map(|(_, r)| r.split('（').next().unwrap().to_string())
            })
            .collect()
    };
    assert_eq!(numbered(&posts[0]), vec![waiting_offer.to_string()]);
    assert!(posts[0].contains("回答待ち：9.8時間"), "{}", posts[0]);
    assert_eq!(
        numbered(&posts[1]),
        vec![waiting_offer.to_string(), escalated.to_string()]
    );
    assert!(posts[1].contains("割り当て待ち：14.5時間"), "{}", posts[1]);
    assert!(!posts[1].contains(&format!("#{recent}")));
    assert!(!posts[1].contains(&format!("#{taken}")));
    assert!(
        !posts[1].contains("子ども食堂"),
        "no topic in a channel post"
    );
}
