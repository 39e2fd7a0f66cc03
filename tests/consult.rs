//! Consultation routing against a real SQLite file: intake, offers, acceptance, escalation,
//! time-outs, closing, privacy and retention; under concurrency, nothing lost or doubled.

use std::sync::Arc;

use kyodo::consult::model::Route;
use kyodo::consult::service::{self, ConsultError, Contact, Listing, Settings};
use kyodo::consult::state::State;
use kyodo::directory::search::{Lexicon, LexiconParts, Searcher};
use kyodo::lang::Lang;
use sqlx::SqlitePool;

const COORDINATORS: u64 = 1300000000000000777;
const COORDINATOR_ROLE: u64 = 1500000000000000777;
const T0: i64 = 1_795_000_000;

struct Office {
    pool: SqlitePool,
    searcher: Arc<Searcher>,
    settings: Settings,
    _dir: tempfile::TempDir,
}

/// The demo directory in a database file, with the coordinators' channel configured.
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
            coordinator_channel: Some(COORDINATORS),
            coordinator_role: Some(COORDINATOR_ROLE),
            ..Settings::default()
        },
        _dir: dir,
    }
}

impl Office {
    async fn submit(
        &self,
        requester: &str,
        topic: &str,
    ) -> Result<kyodo::consult::model::Consultation, ConsultError> {
        service::submit(
            &self.pool,
            T0,
            &self.settings,
            &self.searcher,
            requester,
            Route::Citizen,
            Lang::Ja,
            topic,
        )
        .await
    }

    async fn open_offer(&self, consultation: i64) -> Option<(i64, String)> {
        sqlx::query_as("SELECT id, advisor_id FROM consultation_offers WHERE consultation_id = ?1 AND state = 'open'")
            .bind(consultation)
            .fetch_optional(&self.pool)
            .await
            .unwrap()
    }

    async fn outbox_keys(&self) -> Vec<String> {
        sqlx::query_scalar("SELECT dedupe_key FROM outbox ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }

    async fn events(&self, consultation: i64) -> Vec<(Option<String>, String, String)> {
        sqlx::query_as("SELECT from_state, to_state, reason FROM consultation_events WHERE consultation_id = ?1 ORDER BY id")
            .bind(consultation)
            .fetch_all(&self.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_request_goes_to_the_best_fitting_advisor_with_the_reason_recorded() {
    let office = office().await;
    let c = office.submit("100", "子ども食堂を始めたい").await.unwrap();
    assert_eq!(c.state, State::Offered);
    let (offer, advisor) = office.open_offer(c.id).await.expect("an open offer");
    assert_eq!(
        advisor, "A01",
        "the advisor whose specialties name 子ども食堂"
    );
    let events = office.events(c.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, "offered");
    assert!(
        events[0].2.starts_with("offered to A01: fit"),
        "{}",
        events[0].2
    );
    assert!(
        !events[0].2.contains("子ども食堂"),
        "no topic text in the audit trail"
    );
    assert_eq!(office.outbox_keys().await, vec![format!("offer:{offer}")]);
}

#[tokio::test]
async fn declines_move_on_and_when_nobody_is_left_the_coordinators_are_told() {
    let office = office().await;
    let c = office.submit("100", "子ども食堂を始めたい").await.unwrap();
    let mut asked = Vec::new();
    while let Some((offer, advisor)) = office.open_offer(c.id).await {
        asked.push(advisor.clone());
        service::decline(
            &office.pool,
            T0 + 60,
            &office.settings,
            &office.searcher,
            offer,
            &advisor,
        )
        .await
        .unwrap();
    }
    // Citizen route, Japanese: A01, A02, A04 (A03 serves staff only, A05 is inactive).
    assert_eq!(asked, vec!["A01", "A02", "A04"]);
    let c = service::load(&mut office.pool.acquire().await.unwrap(), c.id)
        .await
        .unwrap();
    assert_eq!(c.state, State::Escalated);
    let payload: String = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE target_kind = 'channel' AND target_id = ?1",
    )
    .bind(COORDINATORS.to_string())
    .fetch_one(&office.pool)
    .await
    .unwrap();
    assert!(payload.contains(&COORDINATOR_ROLE.to_string()), "{payload}");
    assert!(
        !payload.contains("子ども食堂"),
        "the coordinators' post carries no personal text: {payload}"
    );
    let told: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?1 AND target_id = '100'",
    )
    .bind(format!("waiting:{}", c.id))
    .fetch_one(&office.pool)
    .await
    .unwrap();
    assert_eq!(
        told, 1,
        "the requester is told their request waits for a coordinator"
    );
}

#[tokio::test]
async fn a_timed_out_or_undeliverable_offer_goes_to_the_next_advisor() {
    let office = office().await;
    let c = office.submit("100", "子ども食堂を始めたい").await.unwrap();
    let (first, _) = office.open_offer(c.id).await.unwrap();
    let not_yet = service::expire_due(
        &office.pool,
        T0 + office.settings.offer_timeout_secs - 1,
        &office.settings,
        &office.searcher,
    )
    .await
    .unwrap();
    assert_eq!(not_yet, 0);
    let expired = service::expire_due(
        &office.pool,
        T0 + office.settings.offer_timeout_secs,
        &office.settings,
        &office.searcher,
    )
    .await
    .unwrap();
    assert_eq!(expired, 1);
    let (second, advisor) = office.open_offer(c.id).await.unwrap();
    assert_ne!(first, second);
    assert_eq!(advisor, "A02");
    service::undeliverable(
        &office.pool,
        T0 + 90_000,
        &office.settings,
        &office.searcher,
        second,
    )
    .await
    .unwrap();
    assert_eq!(office.open_offer(c.id).await.unwrap().1, "A04");
    let states: Vec<String> = sqlx::query_scalar(
        "SELECT state FROM consultation_offers WHERE consultation_id = ?1 ORDER BY id",
    )
    .bind(c.id)
    .fetch_all(&office.pool)
    .await
    .unwrap();
    assert_eq!(states, vec!["expired", "undeliverable", "open"]);
}

#[tokio::test]
async fn only_the_offered_advisor_may_accept_and_only_once() {
    let office = office().await;
    let c = office.submit("100", "子ども食堂を始めたい").await.unwrap();
    let (offer, advisor) = office.open_offer(c.id).await.unwrap();
    assert!(matches!(
        service::accept(&office.pool, T0, offer, "A02", Contact::AdvisorDm).await,
        Err(ConsultError::NotYours)
    ));
    let accepted = service::accept(&office.pool, T0, offer, &advisor, Contact::AdvisorDm)
        .await
        .unwrap();
    assert_eq!(
        (accepted.state, accepted.advisor_id.as_deref()),
        (State::Assigned, Some("A01"))
    );
    assert!(matches!(
        service::accept(&office.pool, T0, offer, &advisor, Contact::AdvisorDm).await,
        Err(ConsultError::OfferClosed)
    ));
    let keys = office.outbox_keys().await;
    assert!(
        keys.contains(&format!("accepted:{}:requester", c.id))
            && keys.contains(&format!("assigned:{}:A01", c.id))
    );
}

#[tokio::test]
async fn twenty_simultaneous_accepts_give_exactly_one_owner() {
    let office = Arc::new(office().await);
    let c = office.submit("100", "子ども食堂を始めたい").await.unwrap();
    let (offer, advisor) = office.open_offer(c.id).await.unwrap();
    let clicks: Vec<_> = (0..20)
        .map(|_| {
            let office = office.clone();
            let advisor = advisor.clone();
            tokio::spawn(async move {
                service::accept(&office.pool, T0, offer, &advisor, Contact::AdvisorDm).await
            })
        })
        .collect();
    let mut won = 0;
    for click in clicks {
        match click.await.unwrap() {
            Ok(_) => won += 1,
            Err(ConsultError::OfferClosed) => {}
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(won, 1);
    let accepted_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consultation_events WHERE consultation_id = ?1 AND to_state = 'assigned'")
        .bind(c.id)
        .fetch_one(&office.pool)
        .await
        .unwrap();
    assert_eq!(accepted_events, 1);
    let notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'accepted:%'")
            .fetch_one(&office.pool)
            .await
            .unwrap();
    assert_eq!(notices, 1, "the requester is told once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_requests_are_each_offered_or_escalated_exactly_once() {
    let office = Arc::new(office().await);
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let office = office.clone();
            tokio::spawn(async move {
                let topic = [
                    "子ども食堂を始めたい",
                    "防災の活動に参加したい",
                    "SNSで団体の情報発信をしたい",
                    "日本語教室を手伝いたい",
                ][i % 4];
                office.submit(&format!("{}", 200_000 + i), topic).await
            })
        })
        .collect();
    for task in tasks {
        let c = task.await.unwrap().expect("every request is taken in");
        assert!(matches!(c.state, State::Offered | State::Escalated));
    }
    let (total, offered, escalated): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), SUM(state = 'offered'), SUM(state = 'escalated') FROM consultations",
    )
    .fetch_one(&office.pool)
    .await
    .unwrap();
    assert_eq!(total, 1000);
    assert_eq!(offered + escalated, 1000);
    // Exactly one first step each, and one notice each (an offer or an escalation post).
    let first_steps: Vec<i64> =
        sqlx::query_scalar("SELECT COUNT(*) FROM consultation_events GROUP BY consultation_id")
            .fetch_all(&office.pool)
            .await
            .unwrap();
    assert_eq!(first_steps.len(), 1000);
    assert!(first_steps.iter().all(|&n| n == 1));
    let notices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&office.pool)
        .await
        .unwrap();
    assert_eq!(notices, 1000);
    // Offers never exceed an advisor's capacity.
    let over: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM advisors a WHERE (SELECT COUNT(*) FROM consultation_offers o WHERE o.advisor_id = a.id AND o.state = 'open') > a.capacity",
    )
    .fetch_one(&office.pool)
    .await
    .unwrap();
    assert_eq!(over, 0);
    assert_eq!(
        offered,
        5 + 3 + 4,
        "every active citizen-route advisor filled to capacity (A01 5, A02 3, A04 4)"
    );
}

#[tokio::test]
async fn limits_are_refused_clearly_and_change_nothing() {
    let office = office().await;
    let long = "あ".repeat(office.settings.max_topic_chars + 1);
    assert!(matches!(
        office.submit("300", &long).await,
        Err(ConsultError::TopicTooLong { .. })
    ));
    assert!(matches!(
        office.submit("300", "   ").await,
        Err(ConsultError::EmptyTopic)
    ));
    for n in 0..office.settings.max_open_per_requester {
        let topic = format!("子ども食堂を始めたい（{n}）");
        office.submit("300", &topic).await.unwrap();
    }
    assert!(matches!(
        office.submit("300", "もう一件").await,
        Err(ConsultError::TooManyOpen { .. })
    ));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consultations")
        .fetch_one(&office.pool)
        .await
        .unwrap();
    assert_eq!(count, office.settings.max_open_per_requester);
}

#[tokio::test]
async fn the_lifecycle_cancel_assign_resolve_and_refusals() {
    let office = office().await;
    let c = office.submit("400", "子ども食堂を始めたい").await.unwrap();
    assert!(matches!(
        service::cancel(&office.pool, T0, c.id, "999").await,
        Err(ConsultError::NotYours)
    ));
    let cancelled = service::cancel(&office.pool, T0, c.id, "400")
        .await
        .unwrap();
    assert_eq!(cancelled.state, State::Cancelled);
    assert!(
        office.open_offer(c.id).await.is_none(),
        "the open offer is withdrawn"
    );
    assert!(
        office
            .outbox_keys()
            .await
            .contains(&format!("cancelled:{}:A01", c.id)),
        "the advisor is told"
    );
    assert!(matches!(
        service::cancel(&office.pool, T0, c.id, "400").await,
        Err(ConsultError::Refused(_))
    ));

    let c = office.submit("401", "子ども食堂を始めたい").await.unwrap();
    let assigned = service::assign(
        &office.pool,
        T0,
        c.id,
        "A04",
        "coordinator-1",
        Contact::AdvisorDm,
    )
    .await
    .unwrap();
    assert_eq!(
        (assigned.state, assigned.advisor_id.as_deref()),
        (State::Assigned, Some("A04"))
    );
    assert!(matches!(
        service::resolve(&office.pool, T0, c.id, "A01", "x", 100).await,
        Err(ConsultError::NotYours)
    ));
    let resolved = service::resolve(&office.pool, T0 + 10, c.id, "A04", "紹介しました", 100)
        .await
        .unwrap();
    assert_eq!(
        (resolved.state, resolved.resolution_note.as_deref()),
        (State::Resolved, Some("紹介しました"))
    );
    assert!(matches!(
        service::assign(
            &office.pool,
            T0,
            c.id,
            "A01",
            "coordinator-1",
            Contact::AdvisorDm
        )
        .await,
        Err(ConsultError::Refused(_))
    ));
    let trail: Vec<String> = office
        .events(c.id)
        .await
        .into_iter()
        .map(|(_, to, _)| to)
        .collect();
    assert_eq!(trail, vec!["offered", "assigned", "resolved"]);
}

#[tokio::test]
async fn retention_purges_personal_text_but_keeps_figures_and_events() {
    let office = office().await;
    let c = office.submit("500", "子ども食堂を始めたい").await.unwrap();
    let (offer, advisor) = office.open_offer(c.id).await.unwrap();
    service::accept(&office.pool, T0, offer, &advisor, Contact::AdvisorDm)
        .await
        .unwrap();
    service::resolve(&office.pool, T0, c.id, &advisor, "紹介しました", 100)
        .await
        .unwrap();
    assert_eq!(
        kyodo::retention::purge(&office.pool, T0 + 29 * 86_400, 30)
            .await
            .unwrap(),
        0,
        "not yet"
    );
    assert_eq!(
        kyodo::retention::purge(&office.pool, T0 + 30 * 86_400, 30)
            .await
            .unwrap(),
        1
    );
    let c = service::load(&mut office.pool.acquire().await.unwrap(), c.id)
        .await
        .unwrap();
    assert_eq!(
        (c.topic, c.resolution_note, c.state),
        (None, None, State::Resolved)
    );
    assert_eq!(office.events(c.id).await.len(), 3);
    let texts: Vec<String> = sqlx::query_scalar("SELECT payload FROM outbox")
        .fetch_all(&office.pool)
        .await
        .unwrap();
    assert!(
        texts
            .iter()
            .all(|p| !p.contains("子ども食堂") && !p.contains("紹介しました")),
        "{texts:?}"
    );
    // Anonymised: the figures and events stay, the person does not.
    assert!(service::list(&office.pool, Listing::Requester("500"))
        .await
        .unwrap()
        .is_empty());
    let actors: Vec<String> =
        sqlx::query_scalar("SELECT actor FROM consultation_events WHERE consultation_id = ?1")
            .bind(c.id)
            .fetch_all(&office.pool)
            .await
            .unwrap();
    assert_eq!(actors.len(), 3);
    assert!(actors.iter().all(|a| !a.contains("500")), "{actors:?}");
    let addressed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE target_id = '500'")
        .fetch_one(&office.pool)
        .await
        .unwrap();
    assert_eq!(addressed, 0);
}

#[tokio::test]
async fn an_offer_past_its_time_cannot_be_accepted_even_before_the_worker_notices() {
    let office = office().await;
    let c = office.submit("600", "子ども食堂を始めたい").await.unwrap();
    let (offer, advisor) = office.open_offer(c.id).await.unwrap();
    let late = T0 + office.settings.offer_timeout_secs;
    assert!(matches!(
        service::accept(&office.pool, late, offer, &advisor, Contact::AdvisorDm).await,
        Err(ConsultError::OfferClosed)
    ));
}

#[tokio::test]
async fn the_audit_trail_says_why_an_offer_moved_on() {
    let office = office().await;
    let c = office.submit("700", "子ども食堂を始めたい").await.unwrap();
    let (offer, advisor) = office.open_offer(c.id).await.unwrap();
    service::decline(
        &office.pool,
        T0,
        &office.settings,
        &office.searcher,
        offer,
        &advisor,
    )
    .await
    .unwrap();
    let events = office.events(c.id).await;
    assert!(
        events[1]
            .2
            .starts_with(&format!("offer {offer} declined; offered to A02")),
        "{}",
        events[1].2
    );
}
