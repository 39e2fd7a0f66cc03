//! Faults a running office meets: a full disk, a busy database, the database file removed or
//! replaced under the bot. Driven through the chat core as people use it, on a real file.

use std::path::Path;

use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Content, Incoming, Person, Place, Reply};

/// The demo directory in a real database file; topics up to `max_topic_chars`.
async fn file_chat(path: &Path, max_topic_chars: usize) -> Chat {
    let pool = kyodo::store::open(path).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let settings = ChatSettings {
        consult: kyodo::consult::service::Settings {
            max_topic_chars,
            // Consultations are taken where escalations reach someone.
            coordinator_channel: Some(77),
            ..Default::default()
        },
        ..ChatSettings::default()
    };
    Chat::new(pool, Prompts::builtin().unwrap(), settings)
        .await
        .unwrap()
}

async fn ask(chat: &Chat, person: &Person, text: &str) -> Reply {
    chat.handle(&Incoming {
        person: person.clone(),
        place: Place::Direct,
        content: Content::Text(text.to_string()),
    })
    .await
}

/// Runs `sql` on every connection the pool can hold (`max_page_count` is per connection) and
/// keeps all but one of them, so the chat's work runs on that one connection.
async fn on_every_connection_keeping_one_free(
    chat: &Chat,
    sql: &str,
) -> Vec<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
    let pool = chat.pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.unwrap());
    }
    for conn in &mut held {
        sqlx::query(sql).execute(&mut **conn).await.unwrap();
    }
    held.pop();
    held
}

/// A chat on `kyodo.db` in a new folder, and a citizen who asked to consult about `topic` and
/// was shown the consent notice.
async fn notice_shown(topic: &str) -> (tempfile::TempDir, Chat, Person) {
    let dir = tempfile::tempdir().unwrap();
    let chat = file_chat(&dir.path().join("kyodo.db"), 1000).await;
    let person = Person::citizen("930", "Kenta");
    let notice = ask(&chat, &person, &format!("/consult {topic}")).await;
    assert!(notice.text.contains("同意"), "{}", notice.text);
    (dir, chat, person)
}

async fn consultations(chat: &Chat) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM consultations")
        .fetch_one(chat.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn after_a_full_disk_the_next_consultation_succeeds_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let chat = file_chat(&dir.path().join("kyodo.db"), 4000).await;
    let person = Person::citizen("920", "Rina");
    // Long enough to need new pages of the file wherever it is written (topic, offer).
    let topic = format!(
        "子ども食堂を始めたい。{}",
        "食材の集め方や場所の借り方を相談したい。".repeat(150)
    );
    let notice = ask(&chat, &person, &format!("/consult {topic}")).await;
    assert!(notice.text.contains("同意"), "{}", notice.text);

    // The disk is full: the file may not grow by a single page.
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(chat.pool())
        .await
        .unwrap();
    let held =
        on_every_connection_keeping_one_free(&chat, &format!("PRAGMA max_page_count = {pages}"))
            .await;
    let refused = ask(&chat, &person, "はい").await;
    assert!(
        !refused.text.contains("受付番号"),
        "nothing saved is reported as saved: {}",
        refused.text
    );
    assert_eq!(consultations(&chat).await, 0);

    // Space again, on the connection the failed write used: the same conversation goes on, on
    // the same running chat.
    let unlimited = "PRAGMA max_page_count = 1073741823";
    sqlx::query(unlimited).execute(chat.pool()).await.unwrap();
    let agreed = ask(&chat, &person, "はい").await;
    assert!(
        agreed.text.contains("受付番号は #1"),
        "the consent step was kept and the consultation made: {}",
        agreed.text
    );
    drop(held);
    on_every_connection_keeping_one_free(&chat, unlimited).await;
    for n in 2..=3 {
        let other = Person::citizen(&format!("92{n}"), "Next");
        ask(
            &chat,
            &other,
            "/consult 町内会の役員を引き受けるか迷っている",
        )
        .await;
        let reply = ask(&chat, &other, "はい").await;
        assert!(
            reply.text.contains(&format!("受付番号は #{n}")),
            "every connection works again: {}",
            reply.text
        );
    }
    assert_eq!(consultations(&chat).await, 3);
}

#[tokio::test]
async fn a_busy_database_says_try_again_and_keeps_the_consent_step() {
    let (dir, chat, person) = notice_shown("自治会の会計の引き継ぎ方を相談したい").await;
    let path = dir.path().join("kyodo.db");

    // Another writer (an import, another process) holds the database past the busy timeout.
    let other = kyodo::store::open(&path).await.unwrap();
    let writer = other.begin_with("BEGIN IMMEDIATE").await.unwrap();
    let busy = ask(&chat, &person, "はい").await;
    assert_eq!(
        busy.text,
        Prompts::builtin()
            .unwrap()
            .get(kyodo::lang::Lang::Ja, "store.busy"),
        "told to try again, nothing else"
    );
    writer.rollback().await.unwrap();

    let agreed = ask(&chat, &person, "はい").await;
    assert!(
        agreed.text.contains("受付番号は #1"),
        "the same step, answered again: {}",
        agreed.text
    );
    assert_eq!(consultations(&chat).await, 1);
}

#[tokio::test]
async fn a_database_file_removed_under_the_chat_is_noticed_and_nothing_is_reported_saved() {
    let (dir, chat, person) = notice_shown("外国人住民向けの日本語教室を始めたい").await;
    let path = dir.path().join("kyodo.db");

    let watched = kyodo::store::Watched::new(&path).unwrap();
    let watcher = tokio::spawn(async move {
        watched
            .until_gone(std::time::Duration::from_millis(50))
            .await
    });
    std::fs::remove_file(&path).unwrap();
    let gone = tokio::time::timeout(std::time::Duration::from_secs(10), watcher)
        .await
        .expect("the watcher notices")
        .unwrap();
    assert_eq!(
        gone.to_string(),
        format!(
            "database {} was removed while kyodo was running",
            path.display()
        )
    );

    let after = ask(&chat, &person, "はい").await;
    assert!(
        !after.text.contains("受付番号"),
        "not reported as saved: {}",
        after.text
    );
    assert!(!path.exists(), "no new empty database in its place");
}
