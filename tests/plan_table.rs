//! The plan's progress table in and out: an office's own table (the layout of the seed's
//! progress table, tab-separated, 和暦 columns) lands in the right actions and years; export
//! then import changes nothing; a bad table is refused whole with `FILE:LINE: column:` lines.

use chrono::TimeZone;
use kyodo::plan::progress::{self, Status, Update};
use kyodo::registry::progress::{export as table_export, import as table_import};
use sqlx::SqlitePool;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/progress_table_seed_layout.txt"
);

fn tokyo(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp()
}

/// 2026-11-30, in 令和8年度.
fn now() -> i64 {
    tokyo(2026, 11, 30, 12)
}

async fn plan_db() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let pool = kyodo::store::open(&dir.path().join("k.db")).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    (pool, dir)
}

async fn all_updates(pool: &SqlitePool) -> Vec<Update> {
    let mut conn = pool.acquire().await.unwrap();
    kyodo::plan::progress::since_year(&mut conn, 0)
        .await
        .unwrap()
}

fn notes(updates: &[Update], action: u32, fy: i32) -> Vec<&str> {
    updates
        .iter()
        .filter(|u| u.action_no == action && u.fiscal_year == fy)
        .map(|u| u.note.as_str())
        .collect()
}

#[tokio::test]
async fn the_offices_own_table_lands_in_the_right_actions_and_years() {
    let (pool, _dir) = plan_db().await;
    let report = table_import::import_file(&pool, FIXTURE.as_ref(), false, now())
        .await
        .unwrap();
    assert_eq!(
        (report.actions, report.years, report.added),
        (3, 6, 16),
        "{report:?}"
    );
    let updates = all_updates(&pool).await;
    assert_eq!(updates.len(), 16);
    assert_eq!(
        notes(&updates, 7, 2021),
        vec!["広報紙で団体紹介の連載を開始", "SNSアカウントの開設"]
    );
    assert_eq!(
        notes(&updates, 7, 2022),
        vec!["団体紹介の連載を継続", "写真講座・発信講座の開催"],
        "a 「・」 inside an item stays in it"
    );
    assert_eq!(
        notes(&updates, 7, 2024),
        Vec::<&str>::new(),
        "an empty cell adds nothing"
    );
    assert_eq!(notes(&updates, 7, 2025), vec!["発信の手引きを改訂"]);
    assert_eq!(notes(&updates, 10, 2026), vec!["相談予約の受付を開始"]);
    assert_eq!(notes(&updates, 22, 2021), Vec::<&str>::new());
    assert_eq!(notes(&updates, 22, 2024), vec!["管理職向け研修の実施"]);
    // Undated items: the first day of their fiscal year, as 実施中, by the import.
    let first = updates
        .iter()
        .find(|u| u.action_no == 10 && u.fiscal_year == 2023)
        .unwrap();
    assert_eq!(first.created_at, tokyo(2023, 4, 1, 9));
    assert_eq!(
        (first.status, first.author_id.as_str()),
        (Status::InProgress, "import")
    );

    // The same table again adds nothing; so does it as Excel's Shift_JIS.
    let again = table_import::import_file(&pool, FIXTURE.as_ref(), false, now())
        .await
        .unwrap();
    assert_eq!((again.added, again.unchanged), (0, 16));
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let mut tx = pool.begin().await.unwrap();
    let as_sjis = table_import::import_bytes(&mut tx, "sjis.txt", &sjis, false, now())
        .await
        .unwrap();
    assert_eq!((as_sjis.encoding.label(), as_sjis.added), ("Shift_JIS", 0));
}

#[tokio::test]
async fn export_then_import_changes_nothing() {
    let (pool, _dir) = plan_db().await;
    let record = |action_no, fiscal_year, status, note: &str, created_at| Update {
        action_no,
        fiscal_year,
        status,
        note: note.to_string(),
        author_id: "staff".into(),
        created_at,
    };
    for update in [
        record(
            10,
            2025,
            Status::InProgress,
            "窓口の試行",
            tokyo(2025, 6, 2, 10),
        ),
        record(10, 2025, Status::Done, "", tokyo(2026, 3, 30, 10)),
        record(
            10,
            2026,
            Status::InProgress,
            "予約の受付・案内",
            tokyo(2026, 5, 12, 10),
        ),
        record(
            10,
            2026,
            Status::Delayed,
            "講師の\n日程調整",
            tokyo(2026, 10, 1, 18),
        ),
        record(
            3,
            2026,
            Status::Reviewing,
            "研修の内容を見直し",
            tokyo(2026, 7, 1, 9),
        ),
        record(
            3,
            2026,
            Status::Reviewing,
            "研修の内容を見直し",
            tokyo(2026, 7, 1, 15),
        ),
    ] {
        progress::record(&pool, &update).await.unwrap();
    }
    let before = all_updates(&pool).await;
    let exported = table_export::export(&pool, Some(2024), now())
        .await
        .unwrap();
    assert!(
        exported.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8_lossy(&exported);
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "\u{feff}未来像,番号,アクション,関連アクション,令和6年度 (2024),令和7年度 (2025),令和8年度 (2026)"
    );
    assert!(
        text.contains("\"【状況】完了\n・6/2 窓口の試行\""),
        "the year's last status, then its notes: {text}"
    );

    let mut tx = pool.begin().await.unwrap();
    let report = table_import::import_bytes(&mut tx, "progress.csv", &exported, false, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(report.added, 0, "{report:?}");
    assert_eq!(all_updates(&pool).await, before);
    let again = table_export::export(&pool, Some(2024), now())
        .await
        .unwrap();
    assert_eq!(again, exported);
}

#[tokio::test]
async fn a_bad_table_is_refused_whole_with_each_problem_located() {
    let (pool, dir) = plan_db().await;
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "番号,アクション,令和7年度,2026年度\n\
         10,相談,・窓口の試行,【状況】実施中\n\
         99,ない,・何か,\n\
         3,研修,【状況】たぶん,・2025/4/1 前年度の日付\n\
         10,二度目,・重複,\n\
         x1,番号でない,・何か,\n",
    )
    .unwrap();
    let error = table_import::import_file(&pool, &path, false, now())
        .await
        .unwrap_err();
    let file = path.display().to_string();
    let expected = [
        format!("{file}:3: 番号: there is no action 99"),
        format!(
            "{file}:4: 令和7年度: 「たぶん」 is not a status (未着手・実施中・完了・遅れ・見直し)"
        ),
        format!("{file}:4: 2026年度: 2025/4/1 is not in 令和8年度 (2026)"),
        format!("{file}:5: 番号: action 10 is listed twice (first on line 2)"),
        format!("{file}:6: 番号: \"x1\" is not an action number"),
        format!("{file}: 5 problem(s); nothing was imported"),
    ];
    assert_eq!(error.to_string(), expected.join("\n"));
    assert!(all_updates(&pool).await.is_empty(), "nothing written");
}
