//! Someone a message calls by name: a role or a user, by chat id. The only mentions a message
//! may make are the ones it lists; text from people and the registry never pings anyone.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mention {
    Role(u64),
    User(u64),
}

impl Mention {
    /// `role:123` or `user:456`, as written in the configuration.
    pub fn parse(text: &str) -> Option<Mention> {
        let (kind, id) = text.trim().split_once(':')?;
        let id: u64 = id.trim().parse().ok().filter(|n| *n > 0)?;
        match kind.trim() {
            "role" => Some(Mention::Role(id)),
            "user" => Some(Mention::User(id)),
            _ => None,
        }
    }
}
