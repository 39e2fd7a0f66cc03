//! The consultation settings (`[consult]` in config.toml) and the errors its commands refuse
//! with.

use super::routing;
use super::state::Refused;

#[derive(Debug, Clone)]
pub struct Settings {
    /// How long an advisor has to answer an offer, in seconds.
    pub offer_timeout_secs: i64,
    pub max_open_per_requester: i64,
    pub max_topic_chars: usize,
    /// Where escalations are posted, and whom they mention.
    pub coordinator_channel: Option<u64>,
    pub coordinator_role: Option<u64>,
    /// The routing policy's knobs.
    pub routing: routing::Knobs,
    /// How requester and advisor meet once it is accepted.
    pub contact: Contact,
}

/// How requester and advisor are put in touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// The advisor writes to the requester by DM.
    AdvisorDm,
    /// The bot opens a private thread for both in this channel.
    PrivateThread(u64),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            offer_timeout_secs: 24 * 3600,
            max_open_per_requester: 3,
            max_topic_chars: 1000,
            coordinator_channel: None,
            coordinator_role: None,
            routing: routing::Knobs::default(),
            contact: Contact::AdvisorDm,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConsultError {
    #[error("the topic is empty")]
    EmptyTopic,
    #[error("the topic is longer than {max} characters")]
    TopicTooLong { max: usize },
    #[error("the requester already has {max} open consultations")]
    TooManyOpen { max: i64 },
    #[error("no consultation or offer with that number")]
    NotFound,
    #[error("that consultation or offer is someone else's")]
    NotYours,
    #[error("the offer is no longer open")]
    OfferClosed,
    #[error("no such advisor")]
    UnknownAdvisor,
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}
