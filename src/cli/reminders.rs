//! `kyodo schedules` and `kyodo digest`: what the scheduler would do, without posting.

use chrono::{DateTime, NaiveDateTime, TimeZone};

use super::{emit, open_store, prompts, Failure};
use crate::config::Config;
use crate::lang::Lang;

pub async fn schedules(config: &Config, next: usize) -> Result<(), Failure> {
    if config.schedules.is_empty() {
        return emit("no schedules are configured");
    }
    let now = chrono::Utc::now().timestamp();
    let mut lines = Vec::new();
    for schedule in &config.schedules {
        let channel = if schedule.channel == 0 {
            "no channel: not posted".to_string()
        } else {
            format!("channel {}", schedule.channel)
        };
        lines.push(format!(
            "{} ({}, {})",
            schedule.name, schedule.zone, channel
        ));
        for fire in schedule.next(now, next.clamp(1, 100)) {
            let decision = match schedule.decide(fire.timestamp()) {
                crate::remind::schedule::Decision::PostAt(at) if at == fire.timestamp() => {
                    String::new()
                }
                crate::remind::schedule::Decision::PostAt(at) => {
                    let moved = schedule
                        .zone
                        .timestamp_opt(at, 0)
                        .single()
                        .map(|t| t.format("%Y-%m-%d %a %H:%M").to_string());
                    format!("  (holiday: posted {})", moved.unwrap_or_default())
                }
                crate::remind::schedule::Decision::Skip => "  (holiday: skipped)".to_string(),
            };
            lines.push(format!(
                "  {}{decision}",
                fire.format("%Y-%m-%d %a %H:%M %Z")
            ));
        }
    }
    emit(&lines.join("\n"))
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
