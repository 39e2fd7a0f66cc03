//! The annual report written out: one CSV (UTF-8 with BOM, for Excel) with three blocks —
//! actions, consultations per month, unmet searches — each under its own title and header,
//! and the chart (consultations received per month, median hours to accept).

use crate::lang::Lang;
use crate::prompts::Prompts;
use crate::remind::chart::{self, ChartError, ChartFont, MonthlyChart};
use crate::remind::report::{Period, Report};

fn hours(value: Option<f64>) -> String {
    value.map_or_else(String::new, |h| format!("{h:.1}"))
}

fn period_row(action: u32, label: String, p: &Period) -> Vec<String> {
    vec![
        action.to_string(),
        label,
        p.received.to_string(),
        p.accepted.to_string(),
        hours(p.median_hours),
        hours(p.p90_hours),
        p.escalated.to_string(),
        p.resolved.to_string(),
        p.cancelled.to_string(),
        p.satisfaction.count.to_string(),
        p.satisfaction
            .average
            .map_or_else(String::new, |a| format!("{a:.2}")),
    ]
}

/// The report as CSV in `lang`; empty cells where a figure does not exist (no acceptance,
/// no answer).
pub fn to_csv(report: &Report, p: &Prompts, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let t = |key: &str| p.get(lang, &format!("report.{key}")).to_string();
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        w.write_record([t("section_actions")])?;
        w.write_record(["col_action", "col_title", "col_status", "col_updates"].map(t))?;
        for a in &report.actions {
            let status = a
                .status
                .map_or_else(|| t("no_status"), |s| s.label(lang).to_string());
            w.write_record([
                a.no.to_string(),
                a.title.clone(),
                status,
                a.updates.to_string(),
            ])?;
        }
        w.write_record(["", ""])?; // a blank row between blocks
        w.write_record([t("section_consultations")])?;
        w.write_record(
            [
                "col_action",
                "col_month",
                "col_received",
                "col_accepted",
                "col_median",
                "col_p90",
                "col_escalated",
                "col_resolved",
                "col_cancelled",
                "col_rated",
                "col_rating",
            ]
            .map(t),
        )?;
        for route in &report.routes {
            for month in &route.months {
                let label = month
                    .month
                    .map_or_else(String::new, |m| m.format("%Y-%m").to_string());
                w.write_record(period_row(route.action, label, month))?;
            }
            w.write_record(period_row(route.action, t("total"), &route.total))?;
        }
        w.write_record(["", ""])?; // a blank row between blocks
        w.write_record([t("section_unmet")])?;
        w.write_record(["col_term", "col_people"].map(t))?;
        for (term, people) in &report.unmet {
            w.write_record([term.clone(), people.to_string()])?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The report's chart as a PNG, its words in `lang` when a font at hand draws them.
pub fn chart(
    report: &Report,
    p: &Prompts,
    lang: Lang,
    font: &ChartFont,
) -> Result<Vec<u8>, ChartError> {
    let build = |lang: Lang| MonthlyChart {
        months: report.routes.first().map_or_else(Vec::new, |r| {
            r.months
                .iter()
                .filter_map(|m| m.month)
                .map(|m| {
                    p.fill(
                        lang,
                        "chart.month",
                        &[("month", &m.format("%-m").to_string())],
                    )
                })
                .collect()
        }),
        received_title: p.get(lang, "chart.monthly_title").to_string(),
        wait_title: p.get(lang, "chart.wait_title").to_string(),
        month_axis: p.get(lang, "chart.month_axis").to_string(),
        count_axis: p.get(lang, "chart.count_axis").to_string(),
        hours_axis: p.get(lang, "chart.hours_axis").to_string(),
        routes: report
            .routes
            .iter()
            .zip(["digest.chart_citizen", "digest.chart_staff"])
            .map(|(r, key)| {
                (
                    p.get(lang, key).to_string(),
                    r.months.iter().map(|m| m.received as f64).collect(),
                    r.months
                        .iter()
                        .map(|m| m.median_hours.unwrap_or(0.0))
                        .collect(),
                )
            })
            .collect(),
    };
    let words = chart::words_in_drawable_lang(lang, font, build, MonthlyChart::words);
    chart::render_monthly(&words, font)
}
