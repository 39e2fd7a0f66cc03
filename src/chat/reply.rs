//! What the chat core answers: text and cards rich enough for Discord embeds, plain enough
//! for a terminal. Transports render it; the core never knows which one.

use crate::lang::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub body: String,
    /// (label, value) pairs, shown as embed fields.
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub lang: Lang,
    pub text: String,
    pub cards: Vec<Card>,
    /// Only the person who asked sees it (Discord's ephemeral flag).
    pub private: bool,
}

impl Reply {
    pub fn text(lang: Lang, text: impl Into<String>) -> Reply {
        Reply {
            lang,
            text: text.into(),
            cards: Vec::new(),
            private: false,
        }
    }

    pub fn private(mut self) -> Reply {
        self.private = true;
        self
    }
}
