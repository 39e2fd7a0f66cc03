//! The Discord transport: the only module that imports serenity.

mod connect;
pub mod delivery;
mod handler;
pub mod people;
pub mod render;
pub mod sender;
pub mod slash;

pub use connect::{http, intents, start, Bot, DiscordError};
