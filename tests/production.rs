//! Production data stays production data, and the bot's database is checked before use: the
//! `kyodo` binary as an office runs it, each test in its own folder with real database files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The sample registry the tests carry (copies of the shared sample; tests/data/SOURCE-sample-data.md).
fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn kyodo_as(dir: &Path, args: &[&str], stdin: &str, user: Option<u32>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kyodo"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("KYODO_DB")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    if let Some(uid) = user {
        use std::os::unix::process::CommandExt;
        command.uid(uid).gid(uid);
    }
    let mut child = command.spawn().expect("kyodo starts");
    let mut input = child.stdin.take().expect("stdin");
    // A kyodo that refuses to start may exit before reading its input.
    if let Err(error) = input.write_all(stdin.as_bytes()) {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "write stdin: {error}"
        );
    }
    drop(input);
    child.wait_with_output().expect("kyodo finishes")
}

fn kyodo(dir: &Path, args: &[&str], stdin: &str) -> Output {
    kyodo_as(dir, args, stdin, None)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "kyodo failed: {}\n{}",
        text(&output.stderr),
        text(&output.stdout)
    );
    text(&output.stdout)
}

/// Runs `sql` on the database at `db` (the tests' own connection, not kyodo's), creating the
/// file if `create`; the first column of the first row, when there is one.
fn sql(db: &Path, sql: &str, create: bool) -> Option<i64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .create_if_missing(create);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let value = sqlx::query_scalar(sql).fetch_optional(&pool).await.unwrap();
        pool.close().await;
        value
    })
}

fn figure(db: &Path, query: &str) -> i64 {
    sql(db, query, false).expect("a figure")
}

fn execute(db: &Path, statement: &str) {
    sql(db, statement, false);
}

/// `kyodo run` without a token: it checks and marks its database and says what it holds, then
/// stops for want of the token (no Discord connection is made).
fn run_until_the_token(dir: &Path, args: &[&str]) -> (String, String) {
    let output = kyodo(dir, &[args, &["run"]].concat(), "");
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert!(!output.status.success());
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
    (out, err)
}

/// A bot's database with the sample registry, as `kyodo import` and `kyodo run` leave it.
fn bots_database(dir: &Path) -> PathBuf {
    let db = dir.join("bot.db");
    let shown = db.to_str().unwrap();
    for (kind, file) in [
        ("organizations", "organizations.csv"),
        ("advisors", "advisors.csv"),
        ("actions", "actions.csv"),
    ] {
        ok(kyodo(
            dir,
            &["--db", shown, "import", kind, data(file).to_str().unwrap()],
            "",
        ));
    }
    let (said, _) = run_until_the_token(dir, &["--db", shown]);
    assert_eq!(
        said.trim(),
        "名簿：団体 300 件、アドバイザー 14 人、アクション 22 件。",
        "one line on what the directory holds"
    );
    db
}

const CONSULT: &str = "/consult 子ども食堂を始めたいので、準備の進め方を相談したい\nはい\n";

#[test]
fn a_console_on_a_running_bots_database_delivers_nothing_and_leaves_its_outbox_pending() {
    let dir = tempfile::tempdir().unwrap();
    let db = bots_database(dir.path());
    let shown = db.to_str().unwrap();

    let first = ok(kyodo(dir.path(), &["--db", shown, "console"], CONSULT));
    let said = first.lines().next().unwrap_or_default();
    assert!(
        said.contains("bot.db は稼働中のボット（kyodo run）のデータベースです"),
        "said in one line at start: {first}"
    );
    assert!(first.contains("受付番号は #1"), "{first}");
    assert!(
        !first.contains("✉"),
        "nothing delivered from the console: {first}"
    );
    let pending = "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts = 0";
    let waiting = figure(&db, pending);
    assert!(waiting >= 1, "the offer waits for the bot");

    let second = ok(kyodo(dir.path(), &["--db", shown, "console"], "/help\n"));
    assert!(!second.contains("✉"), "{second}");
    assert_eq!(figure(&db, pending), waiting, "still pending, untouched");
    assert_eq!(
        figure(
            &db,
            "SELECT COUNT(*) FROM consultation_offers WHERE state = 'open'"
        ),
        1
    );
    assert_eq!(
        figure(&db, "SELECT COUNT(*) FROM demo_rows"),
        0,
        "no demo loaded into it"
    );

    // The same database without the bot's mark: a console there is the worker, and delivers.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    execute(
        &copy,
        "DELETE FROM kyodo_meta WHERE key = 'production_since'",
    );
    let delivered = ok(kyodo(
        dir.path(),
        &["--db", copy.to_str().unwrap(), "console"],
        "/help\n",
    ));
    assert!(delivered.contains("✉ → DM"), "{delivered}");
    assert_eq!(figure(&copy, pending), 0);
}

#[test]
fn run_and_console_on_a_fresh_folder_leave_no_demo_in_the_bots_database() {
    let dir = tempfile::tempdir().unwrap();
    let console = ok(kyodo(dir.path(), &["console"], "子ども食堂\n"));
    assert!(
        console.contains("kyodo-console.db"),
        "where the demo lives: {console}"
    );
    let (said, _) = run_until_the_token(dir.path(), &[]);
    assert_eq!(
        said.trim().lines().count(),
        1,
        "one line about the directory: {said}"
    );
    assert!(said.starts_with("名簿が空です"), "{said}");
    let console_again = ok(kyodo(dir.path(), &["console"], "/help\n"));
    assert!(
        !console_again.contains("デモ用の名簿"),
        "loaded once: {console_again}"
    );

    let bot = dir.path().join("kyodo.db");
    for table in ["organizations", "advisors", "plan_actions", "demo_rows"] {
        assert_eq!(
            figure(&bot, &format!("SELECT COUNT(*) FROM {table}")),
            0,
            "{table} of the bot's database"
        );
    }
    assert_eq!(
        figure(
            &bot,
            "SELECT COUNT(*) FROM kyodo_meta WHERE key = 'production_since'"
        ),
        1
    );
    let own = dir.path().join("kyodo-console.db");
    assert_eq!(figure(&own, "SELECT COUNT(*) FROM organizations"), 30);
}

#[test]
fn the_offices_first_import_replaces_the_demo_and_demo_remove_takes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    ok(kyodo(dir.path(), &["console"], "/help\n"));
    let db = ["--db", "kyodo-console.db"];
    let groups = data("organizations.csv");
    let summary = ok(kyodo(
        dir.path(),
        &[
            &db[..],
            &["import", "organizations", groups.to_str().unwrap()],
        ]
        .concat(),
        "",
    ));
    assert!(
        summary.contains("added 300, updated 0, unchanged 0, replaced the demo's 30 records"),
        "{summary}"
    );
    let exported = ok(kyodo(
        dir.path(),
        &[&db[..], &["export", "organizations"]].concat(),
        "",
    ));
    assert_eq!(exported.lines().count(), 301, "only the office's groups");
    assert!(!exported.contains("\nG0"), "no demo group left");

    let removed = ok(kyodo(
        dir.path(),
        &[&db[..], &["demo", "remove"]].concat(),
        "",
    ));
    assert!(
        removed.contains("removed the demo: 0 groups, 5 advisors, 22 actions"),
        "{removed}"
    );
    let (said, _) = run_until_the_token(dir.path(), &db);
    assert_eq!(
        said.trim(),
        "名簿：団体 300 件、アドバイザー 0 人、アクション 0 件。"
    );
}

#[test]
fn a_demo_advisor_with_consultations_is_kept_inactive_by_demo_remove() {
    let dir = tempfile::tempdir().unwrap();
    ok(kyodo(dir.path(), &["console"], CONSULT));
    let db = dir.path().join("kyodo-console.db");
    let offered: i64 = figure(&db, "SELECT COUNT(*) FROM consultation_offers");
    assert_eq!(offered, 1);
    let removed = ok(kyodo(
        dir.path(),
        &["--db", "kyodo-console.db", "demo", "remove"],
        "",
    ));
    assert!(
        removed.contains("removed the demo: 30 groups, 4 advisors, 22 actions; kept 1 advisors"),
        "{removed}"
    );
    assert_eq!(
        figure(
            &db,
            "SELECT COUNT(*) FROM advisors WHERE active = 1 OR available = 1"
        ),
        0,
        "the kept advisor gets no more offers"
    );
    assert_eq!(figure(&db, "SELECT COUNT(*) FROM demo_rows"), 0);
}

/// A bot's database refused: the one line, the exit status, and the file left as it was.
fn refused(dir: &Path, db: &Path, user: Option<u32>) -> Vec<String> {
    let before = std::fs::read(db).unwrap();
    let shown = db.to_str().unwrap();
    let mut lines = Vec::new();
    for command in ["run", "console", "check-config"] {
        let output = kyodo_as(dir, &["--db", shown, command], "/help\n", user);
        assert!(!output.status.success(), "{command} refuses it");
        let err = text(&output.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(
            !err.contains("DISCORD_TOKEN"),
            "the database is checked first: {err}"
        );
        lines.push(err.trim_end().to_string());
    }
    assert_eq!(std::fs::read(db).unwrap(), before, "left as it was");
    lines
}

#[test]
fn an_empty_or_foreign_file_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for line in refused(dir.path(), &empty, None) {
        assert_eq!(
            line,
            format!("kyodo: database {} is empty (0 bytes), not a kyodo database: restore the real file, or delete this one to start a new database", empty.display())
        );
    }
    let csv = dir.path().join("registry.db");
    std::fs::copy(data("advisors.csv"), &csv).unwrap();
    for line in refused(dir.path(), &csv, None) {
        assert!(line.contains("is not an SQLite database"), "{line}");
    }
    let other = dir.path().join("other.db");
    sql(
        &other,
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY)",
        true,
    );
    for line in refused(dir.path(), &other, None) {
        assert!(
            line.starts_with(&format!(
                "kyodo: database {} belongs to another program",
                other.display()
            )),
            "{line}"
        );
    }
    assert!(!dir.path().join("kyodo.db").exists());
}

/// The effective user of this test process (the owner of /proc/self).
#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(unix)]
#[test]
fn a_database_this_user_cannot_write_is_refused_in_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = bots_database(dir.path());
    // As after `sudo kyodo import`: the files belong to someone else. Root may write anything,
    // so as root kyodo runs as `nobody` (uid 65534); otherwise the file is made read-only.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let user = if running_as_root() {
        Some(65534)
    } else {
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
        None
    };
    for line in refused(dir.path(), &db, user) {
        assert!(
            line.starts_with(&format!(
                "kyodo: database {} cannot be written by this user (",
                db.display()
            )),
            "{line}"
        );
    }
}
