//! The plan in conversation: `/progress N STATUS NOTE` records (staff), `/progress N` shows an
//! action's history, `/plan` shows the 22 actions under their visions with their status.

use chrono::TimeZone;

use super::dispatch::Chat;
use super::incoming::{Person, Role};
use super::reply::Reply;
use crate::lang::Lang;
use crate::plan::action;
use crate::plan::fiscal::fiscal_year;
use crate::plan::progress::{self, ProgressError, Status, Update};

/// Dates are shown in the office's time zone.
const OFFICE_ZONE: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

impl Chat {
    fn office_date(&self, at: i64) -> chrono::NaiveDate {
        OFFICE_ZONE
            .timestamp_opt(at, 0)
            .single()
            .map(|t| t.date_naive())
            .unwrap_or_default()
    }

    async fn action_title(&self, no: u32) -> Result<Option<String>, sqlx::Error> {
        let mut conn = self.pool().acquire().await?;
        Ok(action::load_all(&mut conn)
            .await?
            .into_iter()
            .find(|a| a.no == no)
            .map(|a| a.title))
    }

    pub(super) async fn progress(
        &self,
        person: &Person,
        action: &str,
        status: Option<&str>,
        note: Option<&str>,
        lang: Lang,
    ) -> Reply {
        let p = self.prompts();
        let Some(no) = action.trim().parse::<u32>().ok() else {
            return Reply::text(
                lang,
                p.fill(
                    lang,
                    "progress.unknown_action",
                    &[("action", action.trim())],
                ),
            )
            .private();
        };
        let title = match self.action_title(no).await {
            Ok(Some(title)) => title,
            Ok(None) => {
                return Reply::text(
                    lang,
                    p.fill(
                        lang,
                        "progress.unknown_action",
                        &[("action", &no.to_string())],
                    ),
                )
                .private()
            }
            Err(error) => return self.plan_internal(lang, error),
        };
        let number = no.to_string();
        let Some(status) = status.map(str::trim).filter(|s| !s.is_empty()) else {
            return self.history(no, &title, lang).await;
        };
        if !(person.has(Role::Staff) || person.has(Role::Coordinator) || person.has(Role::Admin)) {
            return Reply::text(lang, p.get(lang, "progress.staff_only")).private();
        }
        let Some(parsed) = Status::parse(status) else {
            return Reply::text(
                lang,
                p.fill(lang, "progress.unknown_status", &[("status", status)]),
            )
            .private();
        };
        let now = self.clock().now();
        let update = Update {
            action_no: no,
            fiscal_year: fiscal_year(self.office_date(now)),
            status: parsed,
            note: crate::text::truncate_chars(note.unwrap_or("").trim(), 500).to_string(),
            author_id: person.id.clone(),
            created_at: now,
        };
        match progress::record(self.pool(), &update).await {
            Ok(()) => Reply::text(
                lang,
                p.fill(
                    lang,
                    "progress.recorded",
                    &[
                        ("action", &number),
                        ("title", &title),
                        ("status", parsed.label(lang)),
                        ("fy", &update.fiscal_year.to_string()),
                    ],
                ),
            ),
            Err(ProgressError::UnknownAction(_)) => Reply::text(
                lang,
                p.fill(lang, "progress.unknown_action", &[("action", &number)]),
            )
            .private(),
            Err(ProgressError::Store(error)) => self.plan_internal(lang, error),
        }
    }

    async fn history(&self, no: u32, title: &str, lang: Lang) -> Reply {
        let p = self.prompts();
        let number = no.to_string();
        let updates = match progress::history(self.pool(), no).await {
            Ok(updates) => updates,
            Err(error) => return self.plan_internal(lang, error),
        };
        if updates.is_empty() {
            return Reply::text(
                lang,
                p.fill(
                    lang,
                    "progress.history_empty",
                    &[("action", &number), ("title", title)],
                ),
            );
        }
        let mut lines = vec![p.fill(
            lang,
            "progress.history_title",
            &[("action", &number), ("title", title)],
        )];
        for u in updates {
            lines.push(p.fill(
                lang,
                "progress.history_line",
                &[
                    ("date", &self.office_date(u.created_at).to_string()),
                    ("status", u.status.label(lang)),
                    ("fy", &u.fiscal_year.to_string()),
                    ("note", &u.note),
                ],
            ));
        }
        Reply::text(lang, lines.join("\n"))
    }

    pub(super) async fn plan_overview(&self, lang: Lang) -> Reply {
        let p = self.prompts();
        let actions = match self.pool().acquire().await {
            Ok(mut conn) => action::load_all(&mut conn).await,
            Err(error) => Err(error),
        };
        let actions = match actions {
            Ok(actions) => actions,
            Err(error) => return self.plan_internal(lang, error),
        };
        let latest = match progress::latest(self.pool(), self.clock().now()).await {
            Ok(latest) => latest,
            Err(error) => return self.plan_internal(lang, error),
        };
        let mut lines = vec![p.get(lang, "progress.plan_title").to_string()];
        let mut vision = 0;
        for a in &actions {
            if a.vision != vision {
                vision = a.vision;
                lines.push(p.fill(
                    lang,
                    "progress.plan_vision",
                    &[("no", &a.vision.to_string()), ("title", &a.vision_title)],
                ));
            }
            let no = a.no.to_string();
            lines.push(match latest.iter().find(|u| u.action_no == a.no) {
                Some(u) => p.fill(
                    lang,
                    "progress.plan_line",
                    &[
                        ("no", &no),
                        ("title", &a.title),
                        ("status", u.status.label(lang)),
                    ],
                ),
                None => p.fill(
                    lang,
                    "progress.plan_line_never",
                    &[("no", &no), ("title", &a.title)],
                ),
            });
        }
        Reply::text(lang, lines.join("\n"))
    }

    fn plan_internal(&self, lang: Lang, error: impl std::fmt::Display) -> Reply {
        tracing::error!(%error, "plan step failed");
        Reply::text(lang, self.prompts().get(lang, "error.internal")).private()
    }
}
