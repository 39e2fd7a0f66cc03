//! `[consult]` and `[consult.routing]`: how consultations are offered, taken and kept.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsultConfig {
    pub offer_timeout_hours: u32,
    pub max_open_per_requester: u32,
    pub max_topic_chars: u32,
    pub retention_days: u32,
    pub coordinator_channel_id: u64,
    pub coordinator_role_id: u64,
    /// How requester and advisor meet: "advisor-dm" or "private-thread" (in thread_channel_id).
    pub contact: String,
    pub thread_channel_id: u64,
    /// Whom people are told to contact while consultations are not set up.
    pub office_contact: String,
    pub routing: RoutingConfig,
    /// Office hours a consultation may wait untaken before a `consultation-sla` schedule lists it.
    pub sla_hours: u32,
    /// The office's opening hours on business days, `HH:MM-HH:MM` (what `sla_hours` counts).
    pub office_hours: String,
}

/// The routing policy's knobs (see src/consult/routing.rs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingConfig {
    pub require_language: bool,
    pub count_open_offers: bool,
    pub min_fit: f32,
    /// Nobody fits the topic at all: the coordinators triage it (false: least-loaded advisor).
    pub triage_when_nothing_fits: bool,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            require_language: true,
            count_open_offers: true,
            min_fit: 0.0,
            triage_when_nothing_fits: true,
        }
    }
}

impl Default for ConsultConfig {
    fn default() -> Self {
        ConsultConfig {
            offer_timeout_hours: 24,
            max_open_per_requester: 3,
            max_topic_chars: 1000,
            retention_days: 365,
            coordinator_channel_id: 0,
            coordinator_role_id: 0,
            contact: "advisor-dm".into(),
            thread_channel_id: 0,
            office_contact: crate::consult::settings::DEFAULT_OFFICE_CONTACT.into(),
            routing: RoutingConfig::default(),
            sla_hours: 8,
            office_hours: "08:30-17:15".into(),
        }
    }
}
