//! The chat core: `Incoming` → dispatch → `Reply`, the same for Discord, console and tests.

pub mod buttons;
pub mod commands;
mod consult_flow;
pub mod delivery;
mod dispatch;
pub mod forms;
pub mod incoming;
mod intent;
pub mod notices;
mod plan_flow;
pub mod prompts;
pub mod reply;
mod search_reply;

pub use dispatch::{Chat, ChatSettings};
pub use incoming::{Content, Incoming, Person, Place, Role};
pub use reply::{Card, Reply};
pub use search_reply::describe_reasons;
