//! What a consultation's changes tell people. Written to the outbox in the same transaction as
//! the change; rendered into words (prompts) only when delivered.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum ConsultNotice {
    /// To the advisor: a consultation offered to you (Accept / Decline). Its route and the
    /// advisor's fields it touches only: the topic is shown once they accept.
    Offer {
        consultation: i64,
        offer: i64,
        action: u32,
        #[serde(default)]
        fields: Vec<String>,
        lang: Lang,
        expires_at: i64,
    },
    /// To the requester: who will help and how they will be contacted.
    Accepted {
        consultation: i64,
        advisor_name: String,
        lang: Lang,
        /// They will meet in a private thread (else the advisor writes by DM).
        #[serde(default)]
        thread: bool,
    },
    /// To the advisor: it is yours; contact the requester.
    Assigned {
        consultation: i64,
        requester_id: String,
        topic: String,
        lang: Lang,
        #[serde(default)]
        thread: bool,
    },
    /// To the consultations channel: a private thread for the requester and the advisor.
    Thread {
        consultation: i64,
        requester_id: String,
        advisor_chat_id: String,
        lang: Lang,
    },
    /// To the requester and the advisor: the private thread could not be made (the requester
    /// could not be added); the advisor writes by DM instead.
    NoThread {
        consultation: i64,
        requester_id: String,
        to_advisor: bool,
        lang: Lang,
    },
    /// To the coordinators' channel: nobody took it. Figures only.
    Escalated {
        consultation: i64,
        action: u32,
        age_hours: i64,
        mention_role: Option<u64>,
        lang: Lang,
    },
    /// To the requester: no advisor could take it; a coordinator will choose one.
    Waiting { consultation: i64, lang: Lang },
    /// To the requester: closed, with the advisor's note.
    Resolved {
        consultation: i64,
        note: String,
        lang: Lang,
    },
    /// To the advisor: the requester withdrew it.
    Cancelled { consultation: i64, lang: Lang },
}

impl ConsultNotice {
    /// It carries the topic or the note (or opens the thread where they are discussed): the
    /// message is removed when retention purges the consultation.
    pub fn carries_private_text(&self) -> bool {
        matches!(
            self,
            ConsultNotice::Assigned { .. }
                | ConsultNotice::Resolved { .. }
                | ConsultNotice::Thread { .. }
        )
    }

    /// The consultation it tells about.
    pub fn consultation(&self) -> i64 {
        match self {
            ConsultNotice::Offer { consultation, .. }
            | ConsultNotice::Accepted { consultation, .. }
            | ConsultNotice::Assigned { consultation, .. }
            | ConsultNotice::Thread { consultation, .. }
            | ConsultNotice::NoThread { consultation, .. }
            | ConsultNotice::Escalated { consultation, .. }
            | ConsultNotice::Waiting { consultation, .. }
            | ConsultNotice::Resolved { consultation, .. }
            | ConsultNotice::Cancelled { consultation, .. } => *consultation,
        }
    }
}

impl crate::outbox::Payload for ConsultNotice {
    const KIND: &'static str = "consult";
}
