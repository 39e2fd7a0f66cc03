//! Scheduled reminders: schedules in `config.toml`, each fire claimed in the database before it
//! posts, and the weekly digest of the plan's progress and the consultations' figures.

pub mod chart;
pub mod crontab;
pub mod digest;
pub mod report;
pub mod report_out;
pub mod schedule;
pub mod scheduler;
pub mod sla;
