//! Outbox notices put into words, in the recipient's language, when they are delivered.

use super::buttons::{Button, ButtonAction, ButtonStyle};
use super::prompts::Prompts;
use super::reply::Reply;
use super::reply::{Attachment, ThreadRequest};
use crate::consult::notice::ConsultNotice;
use crate::lang::Lang;
use crate::outbox::Mention;
use crate::remind::chart::{self, ChartFont, Labels};
use crate::remind::digest::{Digest, Figures};
use crate::remind::sla::SlaAlert;

/// What an outbox row asks to be delivered, decoded from its JSON (tagged `kind` by
/// `crate::outbox::Payload`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    Consult(ConsultNotice),
    Digest(Box<Digest>),
    /// Consultations waiting too long (numbers, route and age only).
    Sla(Box<SlaAlert>),
    /// Not words: a message to remove (retention).
    Removal(crate::retention::Removal),
}

impl Notice {
    /// None for a payload this version cannot read (or one emptied by retention).
    pub fn decode(payload: &str) -> Option<Notice> {
        serde_json::from_str(payload).ok()
    }
}

pub fn render(notice: &Notice, prompts: &Prompts, now: i64, font: Option<&ChartFont>) -> Reply {
    match notice {
        Notice::Consult(consult) => render_consult(consult, prompts, now),
        Notice::Digest(digest) => render_digest(digest, prompts, font),
        Notice::Sla(alert) => render_sla(alert, prompts),
        // Removals are carried out, never rendered; an empty reply if one is asked for.
        Notice::Removal(_) => Reply::text(Lang::Ja, String::new()),
    }
}

/// The waiting-too-long alert: numbers, actions and ages, the coordinator role mentioned.
pub fn render_sla(alert: &SlaAlert, p: &Prompts) -> Reply {
    let lang = alert.lang;
    let mut lines = vec![p.fill(
        lang,
        "sla.title",
        &[
            ("count", &alert.waiting.len().to_string()),
            ("hours", &alert.limit_hours.to_string()),
        ],
    )];
    for w in &alert.waiting {
        let key = if w.for_assignment {
            "sla.waiting_assignment"
        } else {
            "sla.waiting_offer"
        };
        lines.push(p.fill(
            lang,
            key,
            &[
                ("number", &w.number.to_string()),
                ("action", &w.action.to_string()),
                ("age", &format!("{:.1}", w.age_hours)),
            ],
        ));
    }
    let mut reply = Reply::text(lang, lines.join("\n"));
    reply.mentions = alert.mention_role.map(Mention::Role).into_iter().collect();
    reply
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
        let action = r.action.to_string();
        let rated = &r.fiscal_year.satisfaction;
        lines.push(match rated.average {
            Some(average) => p.fill(
                lang,
                "report.satisfaction",
                &[
                    ("action", &action),
                    ("count", &rated.count.to_string()),
                    ("average", &format!("{average:.1}")),
                ],
            ),
            None => p.fill(lang, "report.satisfaction_none", &[("action", &action)]),
        });
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
    if let Some(font) = font {
        // The chart's words in the digest's language when a font at hand draws them all.
        let labels = |lang| Labels {
            weekly_title: p.get(lang, "digest.chart_weekly").to_string(),
            citizen: p.get(lang, "digest.chart_citizen").to_string(),
            staff: p.get(lang, "digest.chart_staff").to_string(),
            status_title: p.get(lang, "digest.chart_status").to_string(),
            statuses: d
                .status_counts
                .iter()
                .map(|(s, _)| s.label(lang).to_string())
                .collect(),
            week_axis: p.get(lang, "chart.week_axis").to_string(),
            count_axis: p.get(lang, "chart.count_axis").to_string(),
        };
        let chosen = chart::words_in_drawable_lang(lang, font, labels, Labels::words);
        match chart::render(d, &chosen, font) {
            Ok(bytes) => reply.attachments.push(Attachment {
                name: "digest.png".into(),
                bytes,
            }),
            Err(error) => tracing::error!(%error, "digest chart not drawn"),
        }
    }
    reply
}

fn render_consult(notice: &ConsultNotice, p: &Prompts, now: i64) -> Reply {
    match notice {
        ConsultNotice::Offer {
            consultation,
            offer,
            action,
            fields,
            lang,
            expires_at,
        } => {
            let hours = ((expires_at - now).max(0) + 3599) / 3600;
            let fields = if fields.is_empty() {
                p.get(*lang, "consult.fields_none").to_string()
            } else {
                fields.join(p.get(*lang, "consult.fields_separator"))
            };
            let text = p.fill(
                *lang,
                "consult.offer",
                &[
                    ("number", &consultation.to_string()),
                    ("action", &action.to_string()),
                    ("fields", &fields),
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
        } => {
            // Asked once, here: how useful it was (1–5); ignoring it is fine.
            let text = format!(
                "{}\n{}",
                p.fill(
                    *lang,
                    "consult.resolved",
                    &[("number", &consultation.to_string()), ("note", note)],
                ),
                p.get(*lang, "rating.question")
            );
            let buttons = (1..=5u8)
                .map(|score| Button {
                    label: p.fill(*lang, "rating.button", &[("score", &score.to_string())]),
                    action: ButtonAction::Rate {
                        consultation: *consultation,
                        score,
                    },
                    style: ButtonStyle::Secondary,
                })
                .collect();
            Reply::text(*lang, text).with_buttons(buttons)
        }
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
