//! `kyodo import` with files as Excel and offices really write them: CRLF, trailing empty
//! columns, cut-off ids, typing habits, other encodings, another writer on the database, and
//! exports that Excel opens without running formulas. Every file is made here, in the test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ORG_HEADER: &str = "id,name,name_kana,form,fields,area,description,keywords,target,recruiting,contact,name_en,description_en";
const ADVISOR_HEADER: &str =
    "id,name,discord_user_id,serves,fields,specialties,languages,capacity,active";
const ACTION_HEADER: &str = "no,title,vision,vision_title,need,related";

fn kyodo(dir: &Path, args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args(args)
        .current_dir(dir)
        .env_remove("KYODO_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kyodo starts");
    child.wait_with_output().expect("kyodo finishes")
}

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Office {
        Office {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("k.db")
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn run(&self, args: &[&str]) -> Output {
        let db = self.db();
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        kyodo(self.dir.path(), &all)
    }

    /// Imports `text` as `kind` from a file called `name`: (success, stdout, stderr).
    fn import(
        &self,
        kind: &str,
        name: &str,
        bytes: &[u8],
        extra: &[&str],
    ) -> (bool, String, String) {
        let path = self.file(name, bytes);
        let mut args = vec!["import", kind, path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = self.run(&args);
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// The problems reported for a file that must be refused, file name left out.
    fn refused(&self, kind: &str, name: &str, text: &str) -> Vec<String> {
        let (success, _, errors) = self.import(kind, name, text.as_bytes(), &[]);
        assert!(!success, "{name} was accepted");
        let prefix = format!("{}:", self.dir.path().join(name).display());
        errors
            .lines()
            .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
            .collect()
    }

    fn export(&self, kind: &str) -> String {
        let output = self.run(&["export", kind]);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    }
}

/// An advisors file of citizen advisors: (id, name, Discord id) each.
fn advisors(rows: &[(&str, &str, &str)]) -> String {
    let mut text = format!("{ADVISOR_HEADER}\n");
    for (id, name, user) in rows {
        text.push_str(&format!("{id},{name},{user},citizen,13,,ja,5,yes\n"));
    }
    text
}

fn group(id: &str, fields: &str, recruiting: &str) -> String {
    format!("{id},けやき子ども食堂,,任意団体,{fields},本町,毎週金曜日の夕食会,,,{recruiting},k@example.jp,,")
}

#[test]
fn crlf_and_multi_line_cells_report_the_line_a_person_sees() {
    let office = Office::new();
    let text = format!(
        "{ORG_HEADER}\r\n{}\r\n{}\r\n",
        group("O1", "13", "maybe"),
        group("O2", "13", "yes")
    );
    let problems = office.refused("organizations", "crlf.csv", &text);
    assert_eq!(
        problems[0],
        "2: recruiting: \"maybe\" is not yes or no (yes/no, はい/いいえ, 〇/×)"
    );

    let text = format!(
        "{ORG_HEADER}\r\nO1,けやき,,任意団体,13,本町,\"一行目\r\n二行目\",,,yes,,,\r\n{}\r\n",
        group("O2", "13", "perhaps")
    );
    let problems = office.refused("organizations", "multi.csv", &text);
    assert!(problems[0].starts_with("4: recruiting:"), "{problems:?}");
}

#[test]
fn excels_trailing_empty_columns_are_ignored() {
    let office = Office::new();
    let text = format!(
        "{ORG_HEADER},,\r\n{},,\r\n{},,\r\n",
        group("O1", "13", "yes"),
        group("O2", "3", "no")
    );
    let (success, out, errors) =
        office.import("organizations", "trailing.csv", text.as_bytes(), &[]);
    assert!(success, "{errors}");
    assert!(out.contains("added 2"), "{out}");
}

#[test]
fn a_header_naming_a_column_twice_is_refused() {
    let office = Office::new();
    let text = format!("{ORG_HEADER},name\n{},別名\n", group("O1", "13", "yes"));
    let problems = office.refused("organizations", "twice.csv", &text);
    assert_eq!(
        problems[0],
        "1: name: named twice in the header (columns 2 and 14); keep one"
    );
}

#[test]
fn field_checks_speak_the_offices_terms() {
    let office = Office::new();
    let long = "あ".repeat(2001);
    let text = format!(
        "{ORG_HEADER}\n{}\n{}\n{}\n{}\nO5,けやき,,株式会社,13,本町,,,,yes,,,\nO6,けやき,,任意団体,13,本町,{long},,,yes,,,\n",
        group("O1", "\"13,1\"", "yes"),
        group("O2", "１３；１", "〇"),
        group("O3", "1;2;3;4", "×"),
        group("O4", "13", "たぶん"),
    );
    let problems = office.refused("organizations", "fields.csv", &text);
    assert_eq!(
        problems,
        vec![
            "2: fields: \"13,1\": separate numbers with ; not \",\" (\"13;1\")".to_string(),
            "4: fields: 4 numbers; at most 3 fit here".into(),
            "5: recruiting: \"たぶん\" is not yes or no (yes/no, はい/いいえ, 〇/×)".into(),
            "6: form: \"株式会社\" is not one of 任意団体、NPO法人、自治会・町内会、一般社団法人、社会福祉法人、学校・教育機関、事業者、その他".into(),
            "7: description: 2001 characters; at most 2000 fit here".into(),
            " 5 problem(s); nothing was imported".into(),
        ],
        "line 3 (full-width digits, 〇) is fine"
    );

    let actions = format!("{ACTION_HEADER}\n1,協働の入口,9,未来像,,\n");
    let problems = office.refused("actions", "actions.csv", &actions);
    assert_eq!(
        problems[0],
        "2: vision: \"9\" is not a whole number from 1 to 4"
    );
}

#[test]
fn discord_ids_that_excel_cut_or_that_cannot_exist_are_refused() {
    let office = Office::new();
    let text = advisors(&[
        ("A01", "青木", "910000000000000000"),
        ("A02", "石川", "000000000000000000"),
        ("A03", "上田", "99999999999999999999"),
        ("A04", "江藤", "9.1E+17"),
    ]);
    let problems = office.refused("advisors", "ids.csv", &text);
    assert!(
        problems[0].starts_with(
            "2: discord_user_id: \"910000000000000000\" ends in the zeros Excel leaves"
        ),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("format the column as text"),
        "{problems:?}"
    );
    assert!(problems[1].starts_with("3: discord_user_id:") && problems[1].contains("cannot be"));
    assert!(
        problems[2].starts_with("4: discord_user_id:") && problems[2].contains("larger than any")
    );
    assert!(problems[3].starts_with("5: discord_user_id:") && problems[3].contains("Excel turned"));
    assert_eq!(
        office.export("advisors").lines().count(),
        1,
        "nothing imported"
    );
}

#[test]
fn two_advisors_may_swap_accounts_but_never_share_one() {
    let office = Office::new();
    let first = advisors(&[
        ("A01", "青木", "910000000000000001"),
        ("A02", "石川", "910000000000000002"),
        ("A03", "上田", "910000000000000003"),
    ]);
    let (success, _, errors) = office.import("advisors", "a.csv", first.as_bytes(), &[]);
    assert!(success, "{errors}");
    let swap = advisors(&[
        ("A01", "青木", "910000000000000002"),
        ("A02", "石川", "910000000000000001"),
    ]);
    let (success, out, errors) = office.import("advisors", "swap.csv", swap.as_bytes(), &[]);
    assert!(success, "{errors}");
    assert!(out.contains("updated 2"), "{out}");
    let exported = office.export("advisors");
    assert!(
        exported.contains("A01,青木,910000000000000002"),
        "{exported}"
    );
    assert!(
        exported.contains("A02,石川,910000000000000001"),
        "{exported}"
    );

    let clash = advisors(&[
        ("A01", "青木", "910000000000000003"),
        ("A04", "江藤", "910000000000000009"),
        ("A05", "大野", "910000000000000009"),
    ]);
    let problems = office.refused("advisors", "clash.csv", &clash);
    assert_eq!(
        problems[..2],
        [
            "2: discord_user_id: 910000000000000003 already belongs to advisor A03 (not in this file); one Discord account is one advisor".to_string(),
            "4: discord_user_id: 910000000000000009 is also advisor A04's (line 3); one Discord account is one advisor".into(),
        ]
    );
}

#[test]
fn a_vision_title_never_renames_actions_outside_the_file() {
    let office = Office::new();
    let plan = format!("{ACTION_HEADER}\n1,入口,1,つながる,,\n2,支援,1,つながる,,1\n");
    assert!(office.import("actions", "plan.csv", plan.as_bytes(), &[]).0);
    let new = format!("{ACTION_HEADER}\n3,新しい行動,1,ひろがる,,\n");
    let problems = office.refused("actions", "new.csv", &new);
    assert_eq!(
        problems[0],
        "2: vision_title: vision 1 is titled \"つながる\" for actions 1;2 not in this file; use that title, or list those actions with the new one"
    );
    let all = format!(
        "{ACTION_HEADER}\n1,入口,1,ひろがる,,\n2,支援,1,ひろがる,,1\n3,新しい行動,1,ひろがる,,\n"
    );
    let (success, out, errors) = office.import("actions", "all.csv", all.as_bytes(), &[]);
    assert!(success, "{errors}");
    assert!(out.contains("added 1, updated 2"), "{out}");
}

#[test]
fn mixed_encodings_are_refused_with_the_line() {
    let office = Office::new();
    let first = format!("{ORG_HEADER}\n{}\n", group("O1", "13", "yes"));
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&first);
    let mut bytes = sjis.into_owned();
    bytes.extend_from_slice(format!("{}\n", group("O2", "13", "yes")).as_bytes());
    let (success, _, errors) = office.import("organizations", "mixed.csv", &bytes, &[]);
    assert!(!success);
    assert!(
        errors.contains(
            "mixed.csv:3: encoding: this line is UTF-8 but the rest of the file is Shift_JIS"
        ),
        "{errors}"
    );
}

#[test]
fn dry_run_says_per_record_what_would_change() {
    let office = Office::new();
    let first = format!("{ADVISOR_HEADER}\nA01,青木,910000000000000001,citizen,13,,ja,5,yes\n");
    assert!(office.import("advisors", "a.csv", first.as_bytes(), &[]).0);
    let next = format!(
        "{ADVISOR_HEADER}\nA01,青木,910000000000000011,citizen,13,,ja,4,yes\nA02,石川,910000000000000002,staff,3,,ja,5,yes\n"
    );
    let (success, out, errors) =
        office.import("advisors", "b.csv", next.as_bytes(), &["--dry-run"]);
    assert!(success, "{errors}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "A01: discord_user_id 910000000000000001 → 910000000000000011; capacity 5 → 4",
            "A02: new"
        ]
    );
    assert!(lines[2].ends_with("added 1, updated 1, unchanged 0 (dry run: nothing written)"));
    assert!(
        office.export("advisors").contains("910000000000000001"),
        "nothing written"
    );
}

#[test]
fn only_regular_files_of_a_sane_size_are_read() {
    let office = Office::new();
    let output = office.run(&["import", "organizations", "/dev/zero"]);
    assert!(!output.status.success());
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        errors.trim(),
        "kyodo: /dev/zero: cannot read: not a regular file (give the CSV file itself)"
    );
    let huge = office.dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(kyodo::registry::MAX_FILE_BYTES + 1)
        .unwrap();
    let output = office.run(&["import", "organizations", huge.to_str().unwrap()]);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("larger than 64 MB"), "{errors}");
    assert_eq!(errors.lines().count(), 1, "{errors}");
}

#[test]
fn exports_open_in_excel_as_text_and_import_back_unchanged() {
    let office = Office::new();
    let text = format!(
        "{ORG_HEADER}\nO1,=1+1,,任意団体,13,本町,\"=HYPERLINK(\"\"http://x\"\")\",@SUM,-x,yes,+81 3 0000,,\n"
    );
    assert!(
        office
            .import("organizations", "f.csv", text.as_bytes(), &[])
            .0
    );
    let exported = office.export("organizations");
    let mut reader = csv::Reader::from_reader(exported.trim_start_matches('\u{feff}').as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    for cell in record.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} would run as a formula"
        );
    }
    assert_eq!(&record[1], "'=1+1");
    let back = office.file("export.csv", exported.as_bytes());
    let output = office.run(&["import", "organizations", back.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("added 0, updated 0, unchanged 1"), "{out}");
}

#[test]
fn an_import_waits_for_another_writer_and_succeeds() {
    let office = Office::new();
    let db = office.db();
    let text = format!("{ORG_HEADER}\n{}\n", group("O1", "13", "yes"));
    let file = office.file("o.csv", text.as_bytes());
    // Create and migrate the database first.
    let (success, _, errors) = office.import(
        "organizations",
        "o0.csv",
        format!("{ORG_HEADER}\n").as_bytes(),
        &[],
    );
    assert!(success, "{errors}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = runtime.block_on(kyodo::store::open(&db)).unwrap();
    let mut tx = runtime
        .block_on(pool.begin_with("BEGIN IMMEDIATE"))
        .unwrap();
    runtime
        .block_on(
            sqlx::query("UPDATE directory_version SET version = version WHERE id = 1")
                .execute(&mut *tx),
        )
        .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "import",
            "organizations",
            file.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(1));
    runtime.block_on(tx.commit()).unwrap();
    let output = child.wait_with_output().unwrap();
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{errors}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("added 1"));
}

#[test]
fn an_import_that_cannot_get_the_database_says_so_in_one_line() {
    let office = Office::new();
    let db = office.db();
    let (success, _, errors) = office.import(
        "organizations",
        "o0.csv",
        format!("{ORG_HEADER}\n").as_bytes(),
        &[],
    );
    assert!(success, "{errors}");
    let text = format!("{ORG_HEADER}\n{}\n", group("O1", "13", "yes"));
    let file = office.file("o.csv", text.as_bytes());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = runtime.block_on(kyodo::store::open(&db)).unwrap();
    let mut tx = runtime
        .block_on(pool.begin_with("BEGIN IMMEDIATE"))
        .unwrap();
    // Held past the import's busy timeout (5 s).
    let output = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "import",
            "organizations",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    runtime
        .block_on(sqlx::query("SELECT 1").execute(&mut *tx))
        .unwrap();
    runtime.block_on(tx.rollback()).unwrap();
    assert!(!output.status.success());
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        errors,
        format!(
            "kyodo: {}: another kyodo is writing to the database; nothing was imported, try again in a moment\n",
            file.display()
        )
    );
    assert_eq!(office.export("organizations").lines().count(), 1);
}

#[test]
fn two_imports_started_together_both_land() {
    let office = Office::new();
    let (success, _, errors) = office.import(
        "organizations",
        "o0.csv",
        format!("{ORG_HEADER}\n").as_bytes(),
        &[],
    );
    assert!(success, "{errors}");
    let files: Vec<PathBuf> = (0..2)
        .map(|n| {
            let rows: Vec<String> = (0..200)
                .map(|i| group(&format!("F{n}{i:03}"), "13", "yes"))
                .collect();
            office.file(
                &format!("f{n}.csv"),
                format!("{ORG_HEADER}\n{}\n", rows.join("\n")).as_bytes(),
            )
        })
        .collect();
    let db = office.db();
    let children: Vec<_> = files
        .iter()
        .map(|file| {
            Command::new(env!("CARGO_BIN_EXE_kyodo"))
                .args([
                    "--db",
                    db.to_str().unwrap(),
                    "import",
                    "organizations",
                    file.to_str().unwrap(),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(office.export("organizations").lines().count(), 401);
}
