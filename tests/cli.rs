//! The `kyodo` binary as an office admin and a newcomer use it: import, export, find, console,
//! config errors. Each test works in its own temporary folder with a real database file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A sample file the tests carry in `tests/data/` (copies of the shared sample registry; see
/// `tests/data/SOURCE-sample-data.md`).
fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Runs kyodo in `dir` (so ./config.toml there, if any, is the one used).
fn kyodo(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(args)
        .current_dir(dir)
        .env_remove("KYODO_DB")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kyodo starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("kyodo finishes")
}

/// A database file in `dir` holding `kind` imported from `csv`; its path.
fn imported(dir: &Path, kind: &str, csv: &Path) -> String {
    let db = dir.join("x.db").to_str().unwrap().to_string();
    ok(kyodo(
        dir,
        &["--db", &db, "import", kind, csv.to_str().unwrap()],
        None,
    ));
    db
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "kyodo failed: {}\n{}",
        stderr(&output),
        stdout(&output)
    );
    stdout(&output)
}

#[test]
fn import_loads_300_groups_and_export_reimports_unchanged() {
    let csv = data("organizations.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let csv = csv.to_str().unwrap();

    let summary = ok(kyodo(
        dir.path(),
        &["--db", db, "import", "organizations", csv],
        None,
    ));
    assert!(
        summary.contains("added 300, updated 0, unchanged 0"),
        "{summary}"
    );

    let exported = dir.path().join("export.csv");
    ok(kyodo(
        dir.path(),
        &[
            "--db",
            db,
            "export",
            "organizations",
            exported.to_str().unwrap(),
        ],
        None,
    ));
    let first = std::fs::read(&exported).unwrap();
    assert!(
        first.starts_with(b"\xEF\xBB\xBFid,name,name_kana,"),
        "UTF-8 BOM and the same header"
    );

    let again = ok(kyodo(
        dir.path(),
        &[
            "--db",
            db,
            "import",
            "organizations",
            exported.to_str().unwrap(),
        ],
        None,
    ));
    assert!(
        again.contains("added 0, updated 0, unchanged 300"),
        "{again}"
    );
    ok(kyodo(
        dir.path(),
        &[
            "--db",
            db,
            "export",
            "organizations",
            exported.to_str().unwrap(),
        ],
        None,
    ));
    assert_eq!(
        std::fs::read(&exported).unwrap(),
        first,
        "a re-import changes nothing"
    );
}

#[test]
fn shift_jis_import_gives_identical_results() {
    let csv = data("organizations.csv");
    let dir = tempfile::tempdir().unwrap();
    // As Windows' CP932 has them: "é" (Café) has no code, Excel writes "?", so both copies spell
    // it "e"; the wave dash 〜 is written as the full-width tilde ～.
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace('é', "e")
        .replace('〜', "～");
    let utf8 = dir.path().join("utf8.csv");
    std::fs::write(&utf8, &text).unwrap();
    // As Excel saves it: CP932 with CRLF line ends.
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
    let unmappable_chars: Vec<char> = if unmappable {
        let mut found: Vec<char> = text
            .chars()
            .filter(|c| encoding_rs::SHIFT_JIS.encode(&c.to_string()).2)
            .collect();
        found.dedup();
        found
    } else {
        Vec::new()
    };
    assert!(
        unmappable_chars.is_empty(),
        "not representable in Shift_JIS: {unmappable_chars:?}"
    );
    let sjis = dir.path().join("sjis.csv");
    std::fs::write(&sjis, &bytes).unwrap();

    let (utf8_db, sjis_db) = (dir.path().join("u.db"), dir.path().join("s.db"));
    ok(kyodo(
        dir.path(),
        &[
            "--db",
            utf8_db.to_str().unwrap(),
            "import",
            "organizations",
            utf8.to_str().unwrap(),
        ],
        None,
    ));
    let summary = ok(kyodo(
        dir.path(),
        &[
            "--db",
            sjis_db.to_str().unwrap(),
            "import",
            "organizations",
            sjis.to_str().unwrap(),
        ],
        None,
    ));
    assert!(
        summary.contains("Shift_JIS") && summary.contains("added 300"),
        "{summary}"
    );

    let export = |db: &Path| {
        ok(kyodo(
            dir.path(),
            &["--db", db.to_str().unwrap(), "export", "organizations"],
            None,
        ))
    };
    let (from_utf8, from_sjis) = (export(&utf8_db), export(&sjis_db));
    assert!(
        from_sjis.contains("さくら台"),
        "Japanese text survived the conversion"
    );
    assert_eq!(from_utf8, from_sjis);
}

#[test]
fn bad_rows_are_all_reported_and_nothing_changes() {
    let csv = data("organizations.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), "organizations", &csv);
    let db = db.as_str();
    let before = ok(kyodo(
        dir.path(),
        &["--db", db, "export", "organizations"],
        None,
    ));

    // Row 2 updates a group (valid), rows 3–5 each have one problem, row 6 would add one.
    let bad = "\
id,name,name_kana,form,fields,area,description,keywords,target,recruiting,contact,name_en,description_en
O001,名前を変えた団体,,任意団体,13,若葉,,,,yes,,,
O002,,,任意団体,13,若葉,,,,yes,,,
O003,港町歴史散歩の会,,任意団体,6;21,港町,,,,yes,,,
O004,さくら台市民吹奏楽団,,任意団体,6,市内全域,,,,maybe,,,
O999,新しい団体,,任意団体,3,駅前,,,,no,,,
";
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, bad).unwrap();
    let output = kyodo(
        dir.path(),
        &[
            "--db",
            db,
            "import",
            "organizations",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(!output.status.success());
    let errors = stderr(&output);
    let path = file.to_str().unwrap();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!("{path}:3: name: required value is missing"),
            format!("{path}:4: fields: \"21\" is not a number from 1 to 20"),
            format!("{path}:5: recruiting: \"maybe\" is not yes or no (yes/no, はい/いいえ, 〇/×)"),
            format!("{path}: 3 problem(s); nothing was imported"),
        ],
        "each problem exactly as FILE:LINE: column: what is wrong"
    );

    let after = ok(kyodo(
        dir.path(),
        &["--db", db, "export", "organizations"],
        None,
    ));
    assert_eq!(before, after, "the database is exactly as it was");
}

#[test]
fn duplicate_ids_and_wrong_column_counts_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let file = dir.path().join("dup.csv");
    std::fs::write(
        &file,
        "id,name,discord_user_id,serves,fields,specialties,languages,capacity,active\n\
         A01,青木,910000000000000001,citizen,13,,ja,5,yes\n\
         A01,石川,910000000000000002,both,3,,ja,4,yes\n\
         A03,上田,910000000000000003,citizen,1,,ja,5\n",
    )
    .unwrap();
    let output = kyodo(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "import",
            "advisors",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(!output.status.success());
    let errors = stderr(&output);
    assert!(
        errors.contains(":3: id: A01 is listed twice (first on line 2)"),
        "{errors}"
    );
    assert!(
        errors.contains(":4: row: has 8 values, the header has 9 columns"),
        "{errors}"
    );
    let exported = ok(kyodo(
        dir.path(),
        &["--db", db.to_str().unwrap(), "export", "advisors"],
        None,
    ));
    assert_eq!(
        exported.lines().count(),
        1,
        "only the header: nothing was imported"
    );
}

#[test]
fn dry_run_counts_but_writes_nothing() {
    let csv = data("advisors.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let summary = ok(kyodo(
        dir.path(),
        &[
            "--db",
            db,
            "import",
            "advisors",
            csv.to_str().unwrap(),
            "--dry-run",
        ],
        None,
    ));
    assert!(
        summary.contains("added 14") && summary.contains("dry run"),
        "{summary}"
    );
    let exported = ok(kyodo(dir.path(), &["--db", db, "export", "advisors"], None));
    assert_eq!(exported.lines().count(), 1);
}

#[test]
fn actions_import_with_their_visions() {
    let csv = data("actions.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let summary = ok(kyodo(
        dir.path(),
        &["--db", db, "import", "actions", csv.to_str().unwrap()],
        None,
    ));
    assert!(summary.contains("added 22"), "{summary}");
    let exported = ok(kyodo(dir.path(), &["--db", db, "export", "actions"], None));
    let original = std::fs::read_to_string(&csv).unwrap().replace("\r\n", "\n");
    assert_eq!(
        exported.trim_start_matches('\u{feff}'),
        original,
        "export reproduces the plan's file"
    );
}

#[test]
fn find_json_reads_one_query_per_line() {
    let csv = data("organizations.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), "organizations", &csv);
    let db = db.as_str();
    let out = ok(kyodo(
        dir.path(),
        &["--db", db, "find", "--json", "-"],
        Some("子ども食堂\nbeach cleanup\n"),
    ));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["query"], "子ども食堂");
    assert_eq!(lines[1]["query"], "beach cleanup");
    for line in &lines {
        assert!(line["suggestions"].is_array());
        let results = line["results"].as_array().expect("results");
        assert!(!results.is_empty(), "{line}");
        for hit in results {
            assert!(hit["id"].is_string() && hit["name"].is_string() && hit["why"].is_string());
            assert!(hit["score"]
                .as_f64()
                .is_some_and(|s| (0.0..=1.0).contains(&s)));
        }
    }
    let ids: Vec<&str> = lines[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"O035"),
        "a children's cafeteria is found: {ids:?}"
    );
}

#[test]
fn find_answers_odd_and_undecodable_lines() {
    let csv = data("organizations.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), "organizations", &csv);
    let huge = "子ども食堂 ".repeat(800);
    let mut input = format!("\n🙂🎉\n\u{0007}\u{001b}[31m\n{huge}\n").into_bytes();
    input.extend_from_slice(b"\xff\xfe broken\n");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("子ども食堂\n");
    input.extend_from_slice(&sjis);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(["--db", &db, "find", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = ok(child.wait_with_output().unwrap());
    let answers: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(answers.len(), 6, "one answer per line, none fatal");
    assert_eq!(answers[0]["query"], "");
    assert_eq!(answers[0]["results"].as_array().map(Vec::len), Some(0));
    assert!(
        !answers[3]["results"].as_array().unwrap().is_empty(),
        "the long query still finds groups"
    );
    assert_eq!(
        answers[5]["query"], "子ども食堂",
        "a Shift_JIS line is read as such"
    );
    assert!(!answers[5]["results"].as_array().unwrap().is_empty());
}

#[test]
fn find_never_loads_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    let output = kyodo(
        dir.path(),
        &["--db", db.to_str().unwrap(), "find", "--json", "子ども食堂"],
        None,
    );
    let out = ok(output);
    let answer: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(answer["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn scripted_console_shows_the_demo_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(kyodo(
        dir.path(),
        &["console"],
        Some("子ども食堂\nfind a group for kids\n/help\n"),
    ));
    let sections: Vec<&str> = out.split("\n> ").collect();
    assert!(
        sections[0].contains("デモ用の名簿"),
        "the demo is announced: {out}"
    );
    assert!(
        sections[1].contains("子ども食堂") && sections[1].contains("■"),
        "a group card answers 子ども食堂: {out}"
    );
    assert!(
        sections[2].starts_with("find a group for kids") && sections[2].contains("Found"),
        "answered in English: {out}"
    );
    assert!(
        sections[3].contains("/find"),
        "help lists the commands: {out}"
    );
    assert!(
        dir.path().join("kyodo-console.db").exists(),
        "the console's own database sits next to the (built-in) config"
    );
    assert!(
        !dir.path().join("kyodo.db").exists(),
        "the bot's database is not touched"
    );
}

#[test]
fn console_switches_speaker() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(kyodo(
        dir.path(),
        &["console"],
        Some("/as advisor A01\n/as advisor Z99\n/as wizard\n"),
    ));
    assert!(
        out.contains("協働アドバイザー（A01）として話します。"),
        "{out}"
    );
    assert!(
        out.contains("アドバイザー「Z99」は名簿にいません。"),
        "{out}"
    );
    assert!(out.contains("使い方：/as"), "{out}");
}

#[test]
fn a_bad_config_stops_every_command_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "default_language = \"ja\"\n\n[search]\nlimt = 3\n",
    )
    .unwrap();
    for args in [
        &["check-config"][..],
        &["console"],
        &["find", "x"],
        &["export", "organizations"],
    ] {
        let output = kyodo(dir.path(), args, Some(""));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.starts_with(
                "kyodo: config.toml:4:1: search.limt: not a setting kyodo knows (here: limit, lexicon_dir)"
            ),
            "{message}"
        );
        assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    }
    assert!(!dir.path().join("kyodo.db").exists(), "nothing was created");
}

#[test]
fn check_config_reads_the_office_lexicon_and_says_where_it_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[search]\nlexicon_dir = \"lex\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("lex")).unwrap();
    std::fs::write(
        dir.path().join("lex/related.toml"),
        "[related]\n\"鉄道模型\" = [\"ジオラマ\"]\n",
    )
    .unwrap();
    let out = ok(kyodo(dir.path(), &["check-config"], None));
    assert!(out.contains("with the office's lexicon in"), "{out}");

    std::fs::write(
        dir.path().join("lex/areas.toml"),
        "[aliases]\n\n\"駅の北\" = 3\n",
    )
    .unwrap();
    let output = kyodo(dir.path(), &["check-config"], None);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with("kyodo: "), "{message}");
    assert!(message.contains("areas.toml:3:"), "FILE:LINE: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
}

#[test]
fn check_config_says_what_it_would_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(kyodo(dir.path(), &["check-config"], None));
    assert!(
        out.contains("configuration: built-in default (valid)"),
        "{out}"
    );
    assert!(out.contains("will be created on first use"), "{out}");
    assert!(out.contains("DISCORD_TOKEN: not set"), "{out}");
    // What consultations lack, one line each.
    for missing in [
        "consult.coordinator_channel_id",
        "consult.coordinator_role_id",
        "no active advisor serves action 10",
        "no active advisor serves action 22",
    ] {
        assert_eq!(
            out.lines().filter(|l| l.contains(missing)).count(),
            1,
            "{missing}: {out}"
        );
    }
    assert!(
        !dir.path().join("kyodo.db").exists(),
        "checking creates nothing"
    );
}

#[test]
fn run_without_a_token_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = kyodo(dir.path(), &["run"], None);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("DISCORD_TOKEN is not set"));
}

#[test]
fn a_scripted_console_consultation_from_request_to_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let script = "\
/as citizen
/consult 子ども食堂を始めたいので、準備の進め方を相談したい
はい
/as advisor A01
/consultations
/press kyodo:accept:1
/resolve 1 近くの子ども食堂の運営者を紹介しました
/as citizen
/consultations
";
    let out = ok(kyodo(dir.path(), &["console"], Some(script)));
    let turns: Vec<&str> = out.split("\n> ").collect();
    let turn = |start: &str| {
        turns
            .iter()
            .find(|t| t.starts_with(start))
            .unwrap_or_else(|| panic!("no turn {start}: {out}"))
    };
    assert!(
        turn("/consult").contains("同意して相談する"),
        "the notice comes first"
    );
    let agreed = turn("はい");
    assert!(agreed.contains("受付番号は #1"), "{agreed}");
    assert!(
        agreed.contains("✉ → DM advisor A01") && agreed.contains("/press kyodo:accept:1"),
        "the advisor is offered it: {agreed}"
    );
    let accepted = turn("/press kyodo:accept:1");
    assert!(accepted.contains("引き受けました"), "{accepted}");
    assert!(
        accepted.contains("✉ → DM console citizen") && accepted.contains("松本 香織"),
        "the citizen is told: {accepted}"
    );
    let resolved = turn("/resolve 1");
    assert!(
        resolved.contains("解決済み") && resolved.contains("運営者を紹介しました"),
        "{resolved}"
    );
    assert!(
        turns.last().unwrap().contains("#1（アクション10）解決済み"),
        "{out}"
    );

    // The audit export (of the console's own database) carries no personal text unless asked.
    let console_db = ["--db", "kyodo-console.db"];
    let audit = ok(kyodo(
        dir.path(),
        &[&console_db[..], &["export", "consultations"]].concat(),
        None,
    ));
    assert!(
        audit.contains("number,action,route,state") && audit.contains(",10,citizen,resolved,"),
        "{audit}"
    );
    assert!(!audit.contains("子ども食堂"), "{audit}");
    let with_text = ok(kyodo(
        dir.path(),
        &[&console_db[..], &["export", "consultations", "--with-text"]].concat(),
        None,
    ));
    assert!(with_text.contains("子ども食堂を始めたい"));
}

#[test]
fn schedules_and_digest_work_on_the_demo_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        kyodo::config::DEFAULT_CONFIG,
    )
    .unwrap();
    ok(kyodo(dir.path(), &["console"], Some("/help\n")));
    let listed = ok(kyodo(dir.path(), &["schedules", "--next", "3"], None));
    // The demo lives in the console's own database.
    let console_db = ["--db", "kyodo-console.db"];
    let lines: Vec<&str> = listed.lines().collect();
    assert!(
        lines[0].starts_with("weekly-digest (Asia/Tokyo"),
        "{listed}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(" Mon 09:00 JST"))
            .count(),
        3,
        "{listed}"
    );

    let chart = dir.path().join("chart.png");
    let digest = ok(kyodo(
        dir.path(),
        &[
            console_db[0],
            console_db[1],
            "digest",
            "--at",
            "2026-11-30 09:00",
            "--chart",
            chart.to_str().unwrap(),
        ],
        None,
    ));
    assert!(
        digest.starts_with("【協働推進計画 週次ダイジェスト】2026-11-30 09:00 JST（2026年度）"),
        "{digest}"
    );
    assert_eq!(digest.matches("■ 未来像").count(), 4, "the four visions");
    assert!(
        digest.contains("相談（アクション10）") && digest.contains("相談（アクション22）"),
        "{digest}"
    );
    assert!(std::fs::read(&chart).unwrap().starts_with(b"\x89PNG"));

    let bad = kyodo(dir.path(), &["digest", "--at", "next monday"], None);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("use RFC 3339 or YYYY-MM-DD HH:MM"));
}

#[test]
fn two_console_citizens_are_two_people() {
    let dir = tempfile::tempdir().unwrap();
    let script = "\
/as citizen alice
/consult 子ども食堂を始めたい
はい
/as citizen bob
/consultations
/as citizen alice
/consultations
";
    let out = ok(kyodo(dir.path(), &["console"], Some(script)));
    let turns: Vec<&str> = out.split("\n> ").collect();
    let lists: Vec<&&str> = turns
        .iter()
        .filter(|t| t.starts_with("/consultations"))
        .collect();
    assert_eq!(lists.len(), 2, "{out}");
    assert!(!lists[0].contains("#1"), "bob has none: {}", lists[0]);
    assert!(lists[1].contains("#1"), "alice has hers: {}", lists[1]);
}

#[test]
fn progress_table_in_and_out_and_the_annual_report_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let demo_actions = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/actions.csv");
    let db = imported(dir.path(), "actions", &demo_actions);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/progress_table_seed_layout.txt");
    let loaded = ok(kyodo(
        dir.path(),
        &["--db", &db, "import", "progress", fixture.to_str().unwrap()],
        None,
    ));
    assert!(
        loaded.contains("3 actions × 6 fiscal years, added 16 updates"),
        "{loaded}"
    );

    let table = dir.path().join("progress.csv");
    ok(kyodo(
        dir.path(),
        &[
            "--db",
            &db,
            "export",
            "progress",
            "--from-fy",
            "2021",
            table.to_str().unwrap(),
        ],
        None,
    ));
    let text = std::fs::read_to_string(&table).unwrap();
    assert!(text.starts_with("\u{feff}未来像,番号,アクション,関連アクション,令和3年度 (2021),"));
    let again = ok(kyodo(
        dir.path(),
        &["--db", &db, "import", "progress", table.to_str().unwrap()],
        None,
    ));
    assert!(
        again.contains("added 0 updates, 16 items already recorded"),
        "{again}"
    );

    let out = dir.path().join("report");
    let written = ok(kyodo(
        dir.path(),
        &[
            "--db",
            &db,
            "report",
            "--fy",
            "2026",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    ));
    assert!(
        written.starts_with("2026年度の報告を書き出しました"),
        "{written}"
    );
    let csv = std::fs::read_to_string(out.join("report-FY2026.csv")).unwrap();
    assert!(
        csv.contains("\n10,協働アドバイザーによる相談,実施中,1\n"),
        "{csv}"
    );
    assert!(std::fs::read(out.join("report-FY2026.png"))
        .unwrap()
        .starts_with(b"\x89PNG"));

    let wrong = kyodo(
        dir.path(),
        &["--db", &db, "export", "actions", "--from-fy", "2021"],
        None,
    );
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("--from-fy applies to `export progress` only"));
}
