//! The Discord transport: the only module that imports serenity.

pub mod audit;
mod cache;
mod connect;
pub mod delivery;
mod handler;
mod interaction;
pub mod people;
pub mod raw;
pub mod render;
mod retry;
pub mod sender;
pub mod slash;
pub mod standby;

pub use audit::audit;
pub use connect::{http, intents, start, Bot, DiscordError};
