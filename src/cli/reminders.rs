//! `kyodo schedules` and `kyodo digest`: what the scheduler would do, without posting.

use chrono::{DateTime, NaiveDateTime, TimeZone};

use super::{emit, open_store, prompts, Failure};
use crate::config::Config;
use crate::lang::Lang;
use crate::remind::schedule::Decision;

/// Most fires `kyodo schedules --next` lists per schedule.
pub const MAX_NEXT: usize = 100;
/// Closed stretches of the office calendar shown by `schedules` and `check-config`.
const CLOSURES_SHOWN: usize = 5;

pub async fn schedules(config: &Config, next: usize) -> Result<(), Failure> {
    if next > MAX_NEXT {
        return Err(Failure::new(format!(
            "--next {next}: at most {MAX_NEXT} fires per schedule"
        )));
    }
    let now = chrono::Utc::now().timestamp();
    let mut lines = if config.schedules.is_empty() {
        vec!["no schedules are configured".to_string()]
    } else {
        schedule_lines(config, now, next.max(1))
    };
    lines.extend(closure_lines(config, now));
    emit(&lines.join("\n"))
}

/// Each schedule (name, zone, channel, cron line) and its next `next` fires, with what the
/// office calendar does to each.
pub(super) fn schedule_lines(config: &Config, now: i64, next: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for schedule in &config.schedules {
        let channel = if schedule.channel == 0 {
            "no channel: not posted".to_string()
        } else {
            format!("channel {}", schedule.channel)
        };
        lines.push(format!(
            "{} ({}, {}, cron \"{}\")",
            schedule.name, schedule.zone, channel, schedule.expression
        ));
        let shown = |at: i64| {
            schedule
                .zone
                .timestamp_opt(at, 0)
                .single()
                .map(|t| t.format("%Y-%m-%d %a %H:%M").to_string())
                .unwrap_or_default()
        };
        for fire in schedule.next(now, next) {
            let decision = match schedule.decide(fire.timestamp()) {
                Decision::PostAt(at) if at == fire.timestamp() => String::new(),
                Decision::PostAt(at) => format!("  (closed: posted {})", shown(at)),
                Decision::Merged(at) => format!("  (closed: one post with {})", shown(at)),
                Decision::Skip => "  (closed: skipped)".to_string(),
            };
            lines.push(format!(
                "  {}{decision}",
                fire.format("%Y-%m-%d %a %H:%M %Z")
            ));
        }
    }
    lines
}

/// The office calendar's next closed stretches (national holidays and the office's closures).
pub(super) fn closure_lines(config: &Config, now: i64) -> Vec<String> {
    let zone = config
        .schedules
        .first()
        .map_or(chrono_tz::Asia::Tokyo, |s| s.zone);
    let Some(today) = zone.timestamp_opt(now, 0).single().map(|t| t.date_naive()) else {
        return Vec::new();
    };
    let mut lines = vec!["office calendar: next closed days".to_string()];
    for (from, to, what) in config.calendar.next_closures(today, CLOSURES_SHOWN) {
        let days = if from == to {
            from.format("%Y-%m-%d %a").to_string()
        } else {
            format!(
                "{} – {}",
                from.format("%Y-%m-%d %a"),
                to.format("%Y-%m-%d %a")
            )
        };
        lines.push(format!("  {days}  {what}"));
    }
    lines
}

/// RFC 3339, or a local `YYYY-MM-DD HH:MM` in the schedule's zone.
fn parse_time(text: &str, zone: chrono_tz::Tz) -> Option<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp());
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").ok()?;
    zone.from_local_datetime(&local)
        .single()
        .map(|t| t.timestamp())
}

pub async fn digest(
    config: &Config,
    at: Option<&str>,
    schedule: Option<&str>,
    chart: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let chosen = match schedule {
        Some(name) => Some(
            config
                .schedules
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| Failure::new(format!("no schedule named {name:?}")))?,
        ),
        None => config.schedules.first(),
    };
    let (name, zone, lang) = chosen.map_or(("digest", chrono_tz::Asia::Tokyo, Lang::Ja), |s| {
        (s.name.as_str(), s.zone, s.lang)
    });
    let at = match at {
        Some(text) => parse_time(text, zone).ok_or_else(|| {
            Failure::new(format!("--at {text:?}: use RFC 3339 or YYYY-MM-DD HH:MM"))
        })?,
        None => chrono::Utc::now().timestamp(),
    };
    let pool = open_store(config).await?;
    if let Some(sla) = chosen.filter(|s| s.kind == crate::remind::schedule::Kind::ConsultationSla) {
        // The waiting-too-long alert that schedule would post at TIME.
        let alert = crate::remind::sla::compose(&pool, &config.plan.sla, sla.zone, lang, at)
            .await
            .map_err(Failure::new)?;
        let prompts = prompts(config)?;
        return emit(&match alert {
            Some(alert) => {
                crate::console::render(&crate::chat::notices::render_sla(&alert, &prompts))
            }
            None => prompts.fill(
                lang,
                "sla.none",
                &[("hours", &config.plan.sla.hours.to_string())],
            ),
        });
    }
    let digest = crate::remind::digest::compose(&pool, &config.plan, name, zone, lang, at, false)
        .await
        .map_err(Failure::new)?;
    let font = crate::remind::chart::find_font(config.chart_font.as_deref());
    let reply = crate::chat::notices::render_digest(&digest, &prompts(config)?, font.as_ref());
    if let (Some(path), Some(file)) = (chart, reply.attachments.first()) {
        std::fs::write(path, &file.bytes)
            .map_err(|e| Failure::new(format!("{}: cannot write: {e}", path.display())))?;
    }
    emit(&crate::console::render(&reply))
}
