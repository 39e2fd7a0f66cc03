//! `kyodo check-config` and `kyodo schedules` as an admin reads them: each schedule with its next
//! fires, the office calendar's next closures, and limits said in one line.

use std::path::Path;
use std::process::{Command, Output};

fn kyodo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(args)
        .current_dir(dir)
        .env_remove("KYODO_DB")
        .output()
        .expect("kyodo runs")
}

const CONFIG: &str = r#"
[calendar]
closed = ["12-29..01-03", "08-14"]
closed_dates = ["2030-05-07"]

[[schedules]]
name = "weekdays"
cron = "0 9 * * 1-5"
channel = 7
on_holiday = "next-business-day"
"#;

#[test]
fn check_config_lists_each_schedule_with_three_fires_and_the_next_closures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let output = kyodo(dir.path(), &["check-config"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.starts_with(
                "weekdays (Asia/Tokyo, channel 7, cron \"0 0 9 * * Mon,Tue,Wed,Thu,Fri\")",
            )
        })
        .expect("the schedule is listed");
    for fire in &lines[at + 1..at + 4] {
        assert!(
            fire.starts_with("  20") && fire.contains(" 09:00 JST"),
            "{fire}"
        );
        assert!(!fire.contains(" Sat ") && !fire.contains(" Sun "), "{fire}");
    }
    let closures = lines
        .iter()
        .position(|l| *l == "office calendar: next closed days")
        .expect("closures are shown");
    assert!(lines.len() > closures + 1, "{text}");
}

#[test]
fn schedules_says_when_next_is_above_its_maximum() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let output = kyodo(dir.path(), &["schedules", "--next", "200"]);
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "kyodo: --next 200: at most 100 fires per schedule\n"
    );
    let output = kyodo(dir.path(), &["schedules", "--next", "100"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.lines().filter(|l| l.contains(" 09:00 JST")).count(),
        100
    );
}

#[test]
fn a_database_that_cannot_be_one_is_refused_by_check_config() {
    let dir = tempfile::tempdir().unwrap();
    for (database, says) in [
        ("", "database: a file name for the database, not empty"),
        (".", "is a folder; name a file in it"),
        ("/dev/null", "/dev/null is not a regular file"),
    ] {
        std::fs::write(
            dir.path().join("config.toml"),
            format!("database = \"{database}\"\n"),
        )
        .unwrap();
        let output = kyodo(dir.path(), &["check-config"]);
        assert_eq!(output.status.code(), Some(2), "{database:?}");
        let errors = String::from_utf8_lossy(&output.stderr);
        assert_eq!(errors.lines().count(), 1, "{errors}");
        assert!(errors.contains(says), "{errors}");
    }
}
