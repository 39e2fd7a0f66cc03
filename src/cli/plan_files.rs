//! `kyodo import progress`, `kyodo export progress` and `kyodo report`: the plan's progress
//! table in and out, and the fiscal year's figures for the evaluation.

use std::path::Path;

use super::{emit, open_store, prompts, write_stdout, Failure};
use crate::config::Config;
use crate::lang::Lang;
use crate::registry::ImportError;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::new(format!("{}: cannot write: {e}", path.display())))
}

pub async fn import_progress(config: &Config, file: &Path, dry_run: bool) -> Result<(), Failure> {
    let pool = open_store(config).await?;
    match crate::registry::progress::import::import_file(&pool, file, dry_run, now()).await {
        Ok(report) => emit(&report.summary()),
        Err(error @ ImportError::Invalid { .. }) => Err(Failure::lines(error)),
        Err(error) => Err(Failure::new(error)),
    }
}

pub async fn export_progress(
    config: &Config,
    file: Option<&Path>,
    with_text: bool,
    from_fy: Option<i32>,
) -> Result<(), Failure> {
    if with_text {
        return Err(Failure::new(
            "--with-text applies to `export consultations` only",
        ));
    }
    let pool = open_store(config).await?;
    let bytes = crate::registry::progress::export::export(&pool, from_fy, now())
        .await
        .map_err(Failure::new)?;
    match file {
        Some(path) => write(path, &bytes),
        None => write_stdout(&bytes),
    }
}

pub async fn report(
    config: &Config,
    fy: Option<i32>,
    out: Option<&Path>,
    lang: Option<&str>,
) -> Result<(), Failure> {
    let lang = match lang {
        None => config.default_language,
        Some(code) => Lang::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| Failure::new(format!("--lang {code:?}: use ja or en")))?,
    };
    let zone = config
        .schedules
        .first()
        .map_or(chrono_tz::Asia::Tokyo, |s| s.zone);
    let now = now();
    let today = chrono::TimeZone::timestamp_opt(&zone, now, 0)
        .single()
        .map_or(chrono::NaiveDate::MIN, |t| t.date_naive());
    let fy = fy.unwrap_or_else(|| crate::plan::fiscal::fiscal_year(today));
    if !(1989..=2200).contains(&fy) {
        return Err(Failure::new(format!(
            "--fy {fy}: a fiscal year such as 2026"
        )));
    }
    let prompts = prompts(config)?;
    let pool = open_store(config).await?;
    let report = crate::remind::report::compose(&pool, fy, zone, now)
        .await
        .map_err(Failure::new)?;
    let csv = crate::remind::report_out::to_csv(&report, &prompts, lang).map_err(Failure::new)?;
    let Some(dir) = out else {
        return write_stdout(&csv);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::new(format!("{}: cannot create: {e}", dir.display())))?;
    let font = crate::remind::chart::find_font(config.chart_font.as_deref())
        .ok_or_else(|| Failure::new("no font for the chart"))?;
    let png =
        crate::remind::report_out::chart(&report, &prompts, lang, &font).map_err(Failure::new)?;
    let csv_path = dir.join(format!("report-FY{fy}.csv"));
    let png_path = dir.join(format!("report-FY{fy}.png"));
    write(&csv_path, &csv)?;
    write(&png_path, &png)?;
    emit(&prompts.fill(
        lang,
        "report.written",
        &[
            ("fy", &fy.to_string()),
            ("csv", &csv_path.display().to_string()),
            ("chart", &png_path.display().to_string()),
        ],
    ))
}
