//! The configuration as offices write it, right and wrong.

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("test.toml", text, Path::new("."))
}

#[test]
fn the_shipped_default_is_valid() {
    let config = parse(DEFAULT_CONFIG).expect("default config parses");
    assert_eq!(config.default_language, Lang::Ja);
    assert_eq!(config.search_limit, 5);
    assert!(config.database.ends_with("kyodo.db"));
}

#[test]
fn an_empty_file_takes_every_default() {
    let config = parse("").expect("empty config parses");
    assert_eq!(config.search_limit, 5);
    assert_eq!(config.plan.stale_days, 30);
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let error = parse("default_language = \"en\"\ncolour = 3\n").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("test.toml:2:1:"), "{text}");
    assert!(text.contains("colour"), "{text}");
}

#[test]
fn unknown_key_in_a_table_is_named() {
    let text = parse("[search]\nlimmit = 3\n").unwrap_err().to_string();
    assert!(text.starts_with("test.toml:2:"), "{text}");
    assert!(text.contains("limmit"), "{text}");
}

#[test]
fn wrong_type_is_named_with_its_line() {
    let text = parse("\n[search]\nlimit = \"five\"\n")
        .unwrap_err()
        .to_string();
    assert!(text.starts_with("test.toml:3:"), "{text}");
}

#[test]
fn unsupported_language_is_refused() {
    let text = parse("default_language = \"fr\"").unwrap_err().to_string();
    assert!(text.starts_with("test.toml:1:"), "{text}");
    assert!(text.contains("fr"), "{text}");
}

#[test]
fn database_in_a_missing_folder_is_refused() {
    let text = parse("database = \"/no/such/folder/k.db\"")
        .unwrap_err()
        .to_string();
    assert!(text.starts_with("test.toml:1:12:"), "{text}");
    assert!(text.contains("database"), "{text}");
}

#[test]
fn out_of_range_limit_is_refused() {
    let text = parse("[search]\nlimit = 0").unwrap_err().to_string();
    assert!(text.contains("search.limit"), "{text}");
}

#[test]
fn a_non_http_api_base_is_refused_with_its_line() {
    let text = parse("[discord]\nguild_id = 1\napi_base = \"ftp://x\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with("test.toml:3:12: discord.api_base"),
        "{text}"
    );
}

#[test]
fn a_bad_schedule_stops_start_up_naming_it() {
    let text =
        "[[schedules]]\nname = \"weekly\"\ncron = \"0 0 9 * * Mon\"\ntimezone = \"Mars/Olympus\"\n";
    let error = parse(text).unwrap_err().to_string();
    assert!(
        error.starts_with("test.toml:4:12: schedule weekly: unknown time zone"),
        "{error}"
    );
    let text = "[[schedules]]\nname = \"weekly\"\ncron = \"every monday\"\n";
    let error = parse(text).unwrap_err().to_string();
    assert!(
        error.contains("schedule weekly: cron \"every monday\" has 2 fields"),
        "{error}"
    );
}

#[test]
fn owners_must_be_roles_or_users_of_real_action_numbers() {
    let ok = parse("[plan.owners]\n\"10\" = [\"role:15\", \"user:16\"]\n").unwrap();
    assert_eq!(ok.plan.owners[&10].len(), 2);
    let error = parse("[plan.owners]\n\"10\" = [\"team:15\"]\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("plan.owners.10: \"team:15\""), "{error}");
    let error = parse("[plan.owners]\n\"ten\" = [\"role:15\"]\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("\"ten\" is not an action number"), "{error}");
}

#[test]
fn contact_modes_are_checked() {
    assert!(parse("[consult]\ncontact = \"private-thread\"\nthread_channel_id = 5\n").is_ok());
    let error = parse("[consult]\ncontact = \"private-thread\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("private-thread needs consult.thread_channel_id"),
        "{error}"
    );
    let error = parse("[consult]\ncontact = \"carrier-pigeon\"\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "test.toml:2:11: consult.contact: advisor-dm or private-thread, not \"carrier-pigeon\""
    );
    let error = parse("[consult.routing]\nmin_fit = \"high\"\n")
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("test.toml:2:"), "{error}");
}

#[test]
fn every_error_names_the_key_in_the_offices_terms_at_its_line() {
    let cases = [
        (
            "# comment\n\n[search]\n\n\n\nlimit = \"five\"\n",
            "test.toml:7:9: search.limit: a whole number from 1 to 25, not \"five\"",
        ),
        (
            "[search]\nlimit = 30\n",
            "test.toml:2:9: search.limit: a whole number from 1 to 25, not 30",
        ),
        (
            "[consult]\noffer_timeout_hours = -3\n",
            "test.toml:2:23: consult.offer_timeout_hours: a whole number of hours, not -3",
        ),
        (
            "[discord]\nstaff_role_ids = 5\n",
            "test.toml:2:18: discord.staff_role_ids: a list of Discord role ids, e.g. [123, 456], not 5",
        ),
        (
            "[consult.routing]\nrequire_language = \"yes\"\n",
            "test.toml:2:20: consult.routing.require_language: true or false, not \"yes\"",
        ),
        (
            "[[schedules]]\nname = \"w\"\ncron = \"0 0 9 31 2 *\"\n",
            "test.toml:3:8: schedule w: cron \"0 0 9 31 2 *\" never fires (no such date, e.g. 31 February)",
        ),
        (
            "[calendar]\nclosed = [\"12-29..01-33\"]\n",
            "test.toml:2:10: calendar.closed: \"12-29..01-33\" is not MM-DD or MM-DD..MM-DD (e.g. 12-29..01-03)",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text).unwrap_err().to_string(), want);
    }
}

#[test]
fn the_database_must_be_a_file_that_can_be() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    for (text, says) in [
        (
            "database = \"\"".to_string(),
            "database: a file name for the database, not empty",
        ),
        (
            format!("database = \"{folder}\""),
            "is a folder; name a file in it",
        ),
        (
            "database = \"/dev/null\"".to_string(),
            "/dev/null is not a regular file",
        ),
    ] {
        let error = parse(&text).unwrap_err().to_string();
        assert!(error.starts_with("test.toml:1:12: database:"), "{error}");
        assert!(error.contains(says), "{error}");
    }
}

#[test]
fn crontab_habits_and_the_calendar_reach_the_schedules() {
    let config = parse(
        "[calendar]\nclosed_dates = [\"2027-05-06\"]\n[[schedules]]\nname = \"w\"\ncron = \"0 9 * * 1-5\"\n",
    )
    .unwrap();
    assert_eq!(
        config.schedules[0].expression,
        "0 0 9 * * Mon,Tue,Wed,Thu,Fri"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2027, 5, 6).unwrap();
    assert!(config.schedules[0].calendar.is_closed(day));
    assert!(config.calendar.is_closed(day));
}

#[test]
fn missing_file_is_unreadable() {
    let error = Config::load(Some(Path::new("/no/such/kyodo.toml"))).unwrap_err();
    assert!(matches!(error, ConfigError::Unreadable { .. }));
}
