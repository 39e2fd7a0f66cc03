//! `[calendar]` and `[[schedules]]`: the office calendar and the schedules that read it, each
//! problem pointed at the line that causes it.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::lang::Lang;
use crate::plan::calendar::Calendar;
use crate::remind::schedule::{Schedule, ScheduleError};

/// `[calendar]`: the office's own closures (national holidays are built in).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalendar {
    #[serde(default = "default_closed")]
    closed: Spanned<Vec<String>>,
    #[serde(default)]
    closed_dates: Option<Spanned<Vec<String>>>,
}

impl Default for RawCalendar {
    fn default() -> Self {
        RawCalendar {
            closed: default_closed(),
            closed_dates: None,
        }
    }
}

/// 年末年始: Japanese city offices close 12/29–1/3.
fn default_closed() -> Spanned<Vec<String>> {
    Spanned::new(0..0, vec!["12-29..01-03".to_string()])
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchedule {
    name: Spanned<String>,
    cron: Spanned<String>,
    #[serde(default = "default_zone")]
    timezone: Spanned<String>,
    #[serde(default)]
    channel: u64,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default = "default_on_holiday")]
    on_holiday: String,
    #[serde(default = "super::default_language")]
    language: Lang,
}

fn default_zone() -> Spanned<String> {
    Spanned::new(0..0, "Asia/Tokyo".into())
}

fn default_kind() -> String {
    "progress-digest".into()
}

fn default_on_holiday() -> String {
    "run".into()
}

/// A problem: where in the file (byte range) and what is wrong.
type Problem = (Range<usize>, String);

/// The calendar, and the schedules deciding closed days by it; or where and what is wrong.
pub(super) fn build(
    raw_calendar: &RawCalendar,
    raw: &[RawSchedule],
) -> Result<(Arc<Calendar>, Vec<Schedule>), Problem> {
    let no_dates = Vec::new();
    let closed_dates = raw_calendar.closed_dates.as_ref();
    let calendar = Calendar::parse(
        raw_calendar.closed.get_ref(),
        closed_dates.map_or(&no_dates, |d| d.get_ref()),
    )
    .map_err(|(_, yearly, error)| {
        let (key, span) = if yearly {
            ("calendar.closed", raw_calendar.closed.span())
        } else {
            (
                "calendar.closed_dates",
                closed_dates.map_or(0..0, |d| d.span()),
            )
        };
        (span, format!("{key}: {error}"))
    })?;
    let calendar = Arc::new(calendar);
    let mut schedules = Vec::new();
    for s in raw {
        if schedules
            .iter()
            .any(|known: &Schedule| &known.name == s.name.get_ref())
        {
            return Err((
                s.name.span(),
                format!("schedule {}: the name is used twice", s.name.get_ref()),
            ));
        }
        let schedule = Schedule::parse(
            s.name.get_ref(),
            s.cron.get_ref(),
            s.timezone.get_ref(),
            s.channel,
            &s.kind,
            &s.on_holiday,
            s.language,
        )
        .map_err(|e| {
            let span = match &e {
                ScheduleError::Cron { .. } => s.cron.span(),
                ScheduleError::Zone { .. } if !s.timezone.span().is_empty() => s.timezone.span(),
                _ => s.name.span(),
            };
            (span, e.to_string())
        })?;
        schedules.push(schedule.with_calendar(calendar.clone()));
    }
    Ok((calendar, schedules))
}
