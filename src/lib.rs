//! kyodo: a civic-collaboration chat bot. Finds local citizen-activity groups, routes
//! consultations to collaboration advisors, and reminds staff of the collaboration plan.
//!
//! Where is what:
//! - the routing policy: `consult/routing.rs` (one file: who is offered a consultation, why);
//! - the search pipeline: `directory/search/` (`query.rs` → `vocabulary.rs` → `index.rs` →
//!   `candidates.rs` → `decide.rs` → `rank.rs` → `score.rs`; `mod.rs` holds the `Searcher`);
//! - the schedule claim: `remind/scheduler.rs` (each fire claimed in `schedule_runs` first);
//! - the worker: `worker/` (delivery, offer expiry, schedules, retention, one file each);
//! - the retention rules: `retention.rs`;
//! - the outbox: `outbox.rs` (write with the change), delivered by `worker/delivery.rs`;
//! - SQL: `db/`, one file per table, checked at compile time;
//! - the office's files: `registry/` (registry CSVs, the progress table, the audit export);
//! - the conversation: `chat/` (command table with permissions in `chat/commands.rs`);
//! - Discord: `discord/` (the only module importing serenity).

/// One allocator for every binary built on kyodo (the bot, the CLI, the tests and benches, so a
/// measurement is of what runs): mimalloc. Its arenas get huge pages where the kernel grants
/// them on request (`transparent_hugepage=madvise`), so the index, the dictionary and each
/// message's buffers cost far fewer TLB misses; glibc's heap got none. Measured in
/// `benches/discord.rs`: DM → reply medians, kyodo's and serenity's floor alike, up to halved.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod consult;
pub mod db;
pub mod demo;
pub mod directory;
pub mod discord;
pub mod input;
pub mod lang;
pub mod mention;
pub mod morph;
pub mod outbox;
pub mod plan;
pub mod prompts;
pub mod registry;
pub mod remind;
pub mod retention;
pub mod store;
pub mod text;
pub mod vectors;
pub mod worker;
