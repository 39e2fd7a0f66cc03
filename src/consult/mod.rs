//! Consultations with collaboration advisors (plan actions 10 and 22): intake, routing,
//! offers, acceptance, escalation and closing, every step recorded.
//!
//! - `state.rs`: the state machine (pure).
//! - `routing.rs`: the routing policy, in one file (who is offered a consultation, and why);
//!   `fit.rs`: how well an advisor fits the topic.
//! - `change.rs`: one change = one transaction with its audit event and outbox rows.
//! - `intake.rs`, `offers.rs`, `closing.rs`, `listing.rs`: the commands; `service.rs` lists them.
//! - `tell.rs`: who is told what.

pub mod advisor;
mod change;
mod closing;
mod fit;
mod intake;
mod known;
mod listing;
pub mod model;
pub mod notice;
mod offers;
pub mod readiness;
pub mod routing;
pub mod service;
pub mod settings;
pub mod state;
mod tell;
pub mod thread_fallback;
