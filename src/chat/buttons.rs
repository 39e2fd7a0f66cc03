//! Buttons, typed: what a press means, written into Discord's `custom_id` and parsed back into
//! an action or an error, never unwrapped. Ids survive restarts (they carry database ids only).
//! Every press is re-checked against the presser's role and the current state in the store.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ButtonAction {
    /// Start a consultation (offered when a search finds nothing).
    StartConsultation,
    /// Agree to the consultation notice and go on.
    ConsentYes,
    ConsentNo,
    AcceptOffer(i64),
    DeclineOffer(i64),
    /// The requester's answer to "how useful was it?" (1–5) about a resolved consultation.
    Rate {
        consultation: i64,
        score: u8,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown button id {0:?}")]
pub struct UnknownButton(pub String);

const PREFIX: &str = "kyodo";

impl fmt::Display for ButtonAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ButtonAction::StartConsultation => write!(f, "{PREFIX}:consult"),
            ButtonAction::ConsentYes => write!(f, "{PREFIX}:consent:yes"),
            ButtonAction::ConsentNo => write!(f, "{PREFIX}:consent:no"),
            ButtonAction::AcceptOffer(offer) => write!(f, "{PREFIX}:accept:{offer}"),
            ButtonAction::DeclineOffer(offer) => write!(f, "{PREFIX}:decline:{offer}"),
            ButtonAction::Rate {
                consultation,
                score,
            } => write!(f, "{PREFIX}:rate:{consultation}:{score}"),
        }
    }
}

impl FromStr for ButtonAction {
    type Err = UnknownButton;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownButton(id.chars().take(100).collect());
        let parts: Vec<&str> = id.split(':').collect();
        let offer = |text: &str| {
            text.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(unknown)
        };
        match parts.as_slice() {
            [PREFIX, "consult"] => Ok(ButtonAction::StartConsultation),
            [PREFIX, "consent", "yes"] => Ok(ButtonAction::ConsentYes),
            [PREFIX, "consent", "no"] => Ok(ButtonAction::ConsentNo),
            [PREFIX, "accept", n] => Ok(ButtonAction::AcceptOffer(offer(n)?)),
            [PREFIX, "decline", n] => Ok(ButtonAction::DeclineOffer(offer(n)?)),
            [PREFIX, "rate", n, score] => {
                let score: u8 = score
                    .parse()
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .ok_or_else(unknown)?;
                Ok(ButtonAction::Rate {
                    consultation: offer(n)?,
                    score,
                })
            }
            _ => Err(unknown()),
        }
    }
}

/// How a button looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub action: ButtonAction,
    pub style: ButtonStyle,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for action in [
            ButtonAction::StartConsultation,
            ButtonAction::ConsentYes,
            ButtonAction::ConsentNo,
            ButtonAction::AcceptOffer(12),
            ButtonAction::DeclineOffer(9_000_000_000),
        ] {
            let id = action.to_string();
            assert!(id.len() <= 100, "Discord's custom_id limit");
            assert_eq!(id.parse::<ButtonAction>(), Ok(action));
        }
    }

    #[test]
    fn forged_or_old_ids_are_errors() {
        for id in [
            "",
            "kyodo",
            "kyodo:accept",
            "kyodo:accept:x",
            "kyodo:accept:-3",
            "kyodo:accept:0",
            "other:accept:1",
            "kyodo:accept:1:2",
        ] {
            assert!(id.parse::<ButtonAction>().is_err(), "{id}");
        }
    }
}
