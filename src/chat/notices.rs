//! Outbox notices put into words, in the recipient's language, when they are delivered.

use super::buttons::{Button, ButtonAction, ButtonStyle};
use super::prompts::Prompts;
use super::reply::Reply;
use crate::consult::notice::ConsultNotice;
use crate::outbox::Notice;

pub fn render(notice: &Notice, prompts: &Prompts, now: i64) -> Reply {
    match notice {
        Notice::Consult(consult) => render_consult(consult, prompts, now),
    }
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
        } => Reply::text(
            *lang,
            p.fill(
                *lang,
                "consult.accepted",
                &[
                    ("number", &consultation.to_string()),
                    ("advisor", advisor_name),
                ],
            ),
        ),
        ConsultNotice::Assigned {
            consultation,
            requester_id,
            topic,
            lang,
        } => Reply::text(
            *lang,
            p.fill(
                *lang,
                "consult.assigned",
                &[
                    ("number", &consultation.to_string()),
                    ("requester", requester_id),
                    ("topic", topic),
                ],
            ),
        ),
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
            reply.mention_role = *mention_role;
            reply
        }
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
