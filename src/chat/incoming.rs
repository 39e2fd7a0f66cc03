//! What reaches the chat core from any transport: who, where, what. Plain ids only.

use super::commands::OptionValue;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Citizen,
    Staff,
    Coordinator,
    Advisor,
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Staff => "staff",
            Role::Coordinator => "coordinator",
            Role::Advisor => "advisor",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The chat account's id (a Discord user id, or the console's own).
    pub id: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The advisor record this account belongs to, if any.
    pub advisor_id: Option<String>,
    /// The language the person's client is set to (Discord's locale), a last hint.
    pub locale: Option<Lang>,
}

impl Person {
    pub fn citizen(id: &str, display_name: &str) -> Person {
        Person {
            id: id.to_string(),
            display_name: display_name.to_string(),
            roles: vec![Role::Citizen],
            advisor_id: None,
            locale: None,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A private conversation with the bot.
    Direct,
    /// A server channel, by id.
    Channel(String),
}

impl Place {
    /// The place as a conversation is keyed by: `dm` or `channel:ID`.
    pub fn key(&self) -> String {
        match self {
            Place::Direct => "dm".to_string(),
            Place::Channel(id) => format!("channel:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Natural language (a DM, a mention, a console line).
    Text(String),
    /// A slash command with its options, as the transport received them.
    Command {
        name: String,
        options: Vec<(String, OptionValue)>,
    },
    /// A button press, by its raw id (parsed, and re-checked, by the core).
    Button(String),
    /// A form filled in: its raw id (parsed by the core) and the text written.
    Form { id: String, text: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub person: Person,
    pub place: Place,
    pub content: Content,
}
