//! Outbox notices put into words, in the recipient's language, when they are delivered.

use super::buttons::{Button, ButtonAction, ButtonStyle};
use super::prompts::Prompts;
use super::reply::Reply;
use super::reply::{Attachment, ThreadRequest};
use crate::consult::notice::ConsultNotice;
use crate::lang::Lang;
use crate::outbox::{Mention, Notice};
use crate::remind::chart::{self, ChartFont, Labels};
use crate::remind::digest::{Digest, Figures};

pub fn render(notice: &Notice, prompts: &Prompts, now: i64, font: Option<&ChartFont>) -> Reply {
    match notice {
        Notice::Consult(consult) => render_consult(consult, prompts, now),
        Notice::Digest(digest) => render_digest(digest, prompts, font),
    }
}

/// The weekly digest: figures and action titles only, the owners of stale actions mentioned.
pub fn render_digest(d: &Digest, p: &Prompts, font: Option<&ChartFont>) -> Reply {
    let lang = d.lang;
    let fy = d.fiscal_year.to_string();
    let mut lines = vec![p.fill(lang, "digest.title", &[("due", &d.due), ("fy", &fy)])];
    if d.late {
        lines.push(p.fill(lang, "digest.late", &[("due", &d.due)]));
    }
    for vision in &d.visions {
        lines.push(p.fill(
            lang,
            "digest.vision",
            &[("no", &vision.no.to_string()), ("title", &vision.title)],
        ));
        for a in &vision.actions {
            let no = a.no.to_string();
            let mut line = match (a.status, a.days_since) {
                (Some(status), Some(days)) => p.fill(
                    lang,
                    "digest.action",
                    &[
                        ("no", &no),
                        ("title", &a.title),
                        ("status", status.label(lang)),
                        ("days", &days.to_string()),
                    ],
                ),
                _ => p.fill(
                    lang,
                    "digest.action_never",
                    &[("no", &no), ("title", &a.title)],
                ),
            };
            if a.stale {
                line.push_str(p.get(lang, "digest.stale_mark"));
            }
            lines.push(line);
        }
    }
    if d.visions.iter().flat_map(|v| &v.actions).any(|a| a.stale) {
        lines.push(p.get(lang, "digest.stale").to_string());
    }
    let median = |f: &Figures| {
        f.median_hours_to_accept.map_or_else(
            || p.get(lang, "digest.median_none").to_string(),
            |h| format!("{h:.1}"),
        )
    };
    for r in &d.routes {
        lines.push(p.fill(
            lang,
            "digest.consult",
            &[
                ("action", &r.action.to_string()),
                ("received", &r.week.received.to_string()),
                ("accepted", &r.week.accepted.to_string()),
                ("median", &median(&r.week)),
                ("open", &r.week.open.to_string()),
                ("escalated", &r.week.escalated.to_string()),
                ("resolved", &r.week.resolved.to_string()),
                ("fy_received", &r.fiscal_year.received.to_string()),
                ("fy_accepted", &r.fiscal_year.accepted.to_string()),
                ("fy_median", &median(&r.fiscal_year)),
                ("fy_escalated", &r.fiscal_year.escalated.to_string()),
                ("fy_resolved", &r.fiscal_year.resolved.to_string()),
            ],
        ));
    }
    if !d.unmet_searches.is_empty() {
        let separator = if lang == crate::lang::Lang::Ja {
            "、"
        } else {
            ", "
        };
        let terms: Vec<String> = d
            .unmet_searches
            .iter()
            .map(|(t, n)| format!("{t} ({n})"))
            .collect();
        lines.push(p.fill(lang, "digest.unmet", &[("terms", &terms.join(separator))]));
    }
    let mut reply = Reply::text(lang, lines.join("\n"));
    reply.mentions = d.stale_owners.clone();
    // The chart's words in Japanese only when its font can draw them.
    let chart_lang = if font.is_some_and(|f| f.japanese) {
        lang
    } else {
        Lang::En
    };
    let labels = Labels {
        weekly_title: p.get(chart_lang, "digest.chart_weekly").to_string(),
        citizen: p.get(chart_lang, "digest.chart_citizen").to_string(),
        staff: p.get(chart_lang, "digest.chart_staff").to_string(),
        status_title: p.get(chart_lang, "digest.chart_status").to_string(),
        statuses: d
            .status_counts
            .iter()
            .map(|(s, _)| s.label(chart_lang).to_string())
            .collect(),
    };
    match chart::render(d, &labels, font) {
        Ok(bytes) => reply.attachments.push(Attachment {
            name: "digest.png".into(),
            bytes,
        }),
        Err(error) => tracing::error!(%error, "digest chart not drawn"),
    }
    reply
}

fn render_consult(notice: &ConsultNotice, p: &Prompts, now: i64) -> Reply {
    match notice {
        ConsultNotice::Offer {
            consultation,
            offer,
            action,
            topic,
            lang,
            expires_at,
        } => {
            let hours = ((expires_at - now).max(0) + 3599) / 3600;
            let text = p.fill(
                *lang,
                "consult.offer",
                &[
                    ("number", &consultation.to_string()),
                    ("action", &action.to_string()),
                    ("topic", topic),
                    ("hours", &hours.to_string()),
                ],
            );
            Reply::text(*lang, text).with_buttons(vec![
                Button {
                    label: p.get(*lang, "consult.button.accept").into(),
                    action: ButtonAction::AcceptOffer(*offer),
                    style: ButtonStyle::Primary,
                },
                Button {
                    label: p.get(*lang, "consult.button.decline").into(),
                    action: ButtonAction::DeclineOffer(*offer),
                    style: ButtonStyle::Secondary,
                },
            ])
        }
        ConsultNotice::Accepted {
            consultation,
            advisor_name,
            lang,
            thread,
        } => {
            let key = if *thread {
                "consult.accepted_thread"
            } else {
                "consult.accepted"
            };
            Reply::text(
                *lang,
                p.fill(
                    *lang,
                    key,
                    &[
                        ("number", &consultation.to_string()),
                        ("advisor", advisor_name),
                    ],
                ),
            )
        }
        ConsultNotice::Assigned {
            consultation,
            requester_id,
            topic,
            lang,
            thread,
        } => {
            let key = if *thread {
                "consult.assigned_thread"
            } else {
                "consult.assigned"
            };
            Reply::text(
                *lang,
                p.fill(
                    *lang,
                    key,
                    &[
                        ("number", &consultation.to_string()),
                        ("requester", requester_id),
                        ("topic", topic),
                    ],
                ),
            )
        }
        ConsultNotice::Thread {
            consultation,
            requester_id,
            advisor_chat_id,
            lang,
        } => {
            let number = consultation.to_string();
            let mut reply = Reply::text(
                *lang,
                p.fill(*lang, "consult.thread", &[("number", &number)]),
            );
            let people: Vec<u64> = [requester_id, advisor_chat_id]
                .iter()
                .filter_map(|id| id.parse().ok())
                .collect();
            reply.mentions = people.iter().map(|id| Mention::User(*id)).collect();
            reply.open_thread = Some(ThreadRequest {
                name: p.fill(*lang, "consult.thread_name", &[("number", &number)]),
                members: people,
            });
            reply
        }
        ConsultNotice::Escalated {
            consultation,
            action,
            age_hours,
            mention_role,
            lang,
        } => {
            let mut reply = Reply::text(
                *lang,
                p.fill(
                    *lang,
                    "consult.escalated",
                    &[
                        ("number", &consultation.to_string()),
                        ("action", &action.to_string()),
                        ("hours", &age_hours.to_string()),
                    ],
                ),
            );
            reply.mentions = mention_role.map(Mention::Role).into_iter().collect();
            reply
        }
        ConsultNotice::Waiting { consultation, lang } => Reply::text(
            *lang,
            p.fill(
                *lang,
                "consult.waiting",
                &[("number", &consultation.to_string())],
            ),
        ),
        ConsultNotice::Resolved {
            consultation,
            note,
            lang,
        } => Reply::text(
            *lang,
            p.fill(
                *lang,
                "consult.resolved",
                &[("number", &consultation.to_string()), ("note", note)],
            ),
        ),
        ConsultNotice::NoThread {
            consultation,
            requester_id,
            to_advisor,
            lang,
        } => {
            let key = if *to_advisor {
                "consult.no_thread_advisor"
            } else {
                "consult.no_thread_requester"
            };
            Reply::text(
                *lang,
                p.fill(
                    *lang,
                    key,
                    &[
                        ("number", &consultation.to_string()),
                        ("requester", requester_id),
                    ],
                ),
            )
        }
        ConsultNotice::Cancelled { consultation, lang } => Reply::text(
            *lang,
            p.fill(
                *lang,
                "consult.cancelled",
                &[("number", &consultation.to_string())],
            ),
        ),
    }
}
