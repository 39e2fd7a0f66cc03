//! The chat core: `Incoming` → dispatch → `Reply`, the same for Discord, console and tests.
//!
//! `core.rs` holds the shared state, `dispatch.rs` the entry, `commands.rs` the command table
//! (who may run what, and which handler answers), `handlers/` the handlers by feature,
//! `notices.rs` the outbox's notices put into words.

pub mod buttons;
mod changes;
pub mod commands;
mod core;
mod dispatch;
pub mod forms;
pub mod handlers;
pub mod incoming;
mod intent;
pub mod invocation;
mod memory;
pub mod notices;
mod pending;
pub use crate::prompts;
pub mod reply;
mod search_reply;

pub use core::{Chat, ChatSettings};
pub use incoming::{Content, Incoming, Person, Place, Role};
pub use reply::{Card, Reply};
pub use search_reply::describe_reasons;
