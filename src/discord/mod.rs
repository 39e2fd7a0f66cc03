//! The Discord transport: the only module that imports serenity.

mod connect;
mod handler;
pub mod people;
pub mod render;
pub mod sender;
pub mod slash;

pub use connect::{http, intents, start, Bot, DiscordError};
