//! Consultations with collaboration advisors (plan actions 10 and 22): intake, routing,
//! offers, acceptance, escalation and closing, every step recorded.

pub mod advisor;
pub mod audit;
pub mod model;
pub mod notice;
pub mod routing;
pub mod service;
pub mod state;
pub mod thread_fallback;
