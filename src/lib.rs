//! kyodo: a civic-collaboration chat bot. Finds local citizen-activity groups, routes
//! consultations to collaboration advisors, and reminds staff of the collaboration plan.

pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod consult;
pub mod demo;
pub mod directory;
pub mod discord;
pub mod lang;
pub mod morph;
pub mod outbox;
pub mod plan;
pub mod registry;
pub mod remind;
pub mod store;
pub mod text;
pub mod vectors;
