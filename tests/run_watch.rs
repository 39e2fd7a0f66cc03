//! `kyodo run`, the binary, against the fake Discord: when its database file is removed under
//! it, it stops with one clear line instead of answering as if it still saved anything.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::fake_discord::{FakeDiscord, GUILD_ID, TOKEN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_stops_with_one_line_when_its_database_file_is_removed() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[discord]\nguild_id = {GUILD_ID}\napi_base = \"{}\"\n",
            fake.rest_url
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .arg("run")
        .current_dir(dir.path())
        .env_remove("KYODO_DB")
        .env("DISCORD_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    fake.wait_until("the bot to identify", Duration::from_secs(20), |f| {
        f.identifies() == 1
    })
    .await;
    let db = dir.path().join("kyodo.db");
    std::fs::remove_file(&db).unwrap();

    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        assert!(
            waited < Duration::from_secs(30),
            "kyodo run kept running without its database"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += Duration::from_millis(100);
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.starts_with("名簿が空です"), "{out}");
    let err = String::from_utf8_lossy(&output.stderr);
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "kyodo: database ./kyodo.db was removed while kyodo was running: stopped; nothing more was saved. Restore the file (or start anew) and run kyodo again",
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with("kyodo:")).count(),
        1,
        "one line says why it stopped: {err}"
    );
    assert!(!db.exists(), "no empty database in its place");
}
