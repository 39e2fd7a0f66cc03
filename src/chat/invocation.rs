//! A command's shape (name, options, who may run it, its handler) and an invocation of it,
//! checked against that shape. The table itself is in `commands.rs`.

use std::future::Future;
use std::pin::Pin;

use super::commands::command;
use super::core::Chat;
use super::incoming::{Person, Place, Role};
use super::reply::Reply;
use crate::lang::Lang;

/// Who may run a command; the dispatcher checks it once, before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Anyone,
    /// A registered advisor (their chat account is in the advisors' registry).
    Advisor,
    /// Staff, coordinators and admins.
    Staff,
    Coordinator,
}

impl Access {
    pub fn allows(self, person: &Person) -> bool {
        match self {
            Access::Anyone => true,
            Access::Advisor => person.advisor_id.is_some(),
            Access::Staff => {
                person.has(Role::Staff) || person.has(Role::Coordinator) || person.has(Role::Admin)
            }
            Access::Coordinator => person.has(Role::Coordinator),
        }
    }

    /// The prompt key of the refusal a person without it gets.
    pub fn refusal_key(self) -> &'static str {
        match self {
            Access::Anyone => "error.internal",
            Access::Advisor => "consult.error.not_advisor",
            Access::Staff => "progress.staff_only",
            Access::Coordinator => "consult.error.not_coordinator",
        }
    }
}

/// What a handler gets: the chat, who is asking and where, the checked invocation and the
/// reply language.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub chat: &'a Chat,
    pub person: &'a Person,
    /// Where they asked (their DMs or a channel).
    pub place: &'a Place,
    pub invocation: &'a Invocation,
    pub lang: Lang,
}

impl<'a> Ctx<'a> {
    /// The text option `name`, or "" when it was not given.
    pub fn text(&self, name: &str) -> &'a str {
        self.invocation.text(name).unwrap_or("")
    }
}

/// A handler's reply, to await.
pub type Handled<'a> = Pin<Box<dyn Future<Output = Reply> + Send + 'a>>;

/// A command's handler (a free function in `handlers/`).
pub type Handler = for<'a> fn(Ctx<'a>) -> Handled<'a>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Text,
    Bool,
    /// One of fixed values (shown as choices on Discord).
    Choice(&'static [&'static str]),
}

#[derive(Debug, PartialEq)]
pub struct OptionSpec {
    pub name: &'static str,
    pub name_ja: &'static str,
    pub kind: OptionKind,
    pub required: bool,
    /// Discord offers completions while typing (group names, districts).
    pub autocomplete: bool,
    /// Typed as plain words (in order; the last one takes the rest), not only as `name:value`.
    pub positional: bool,
}

#[derive(Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    pub name_ja: &'static str,
    pub options: &'static [OptionSpec],
    /// Who may run it.
    pub access: Access,
    /// Who may run it when this option is given (e.g. `/progress N` is anyone's, `/progress N
    /// STATUS` staff's).
    pub access_with: Option<(&'static str, Access)>,
    pub handler: Handler,
}

/// Commands are the same when their names are (names are unique in the table).
impl PartialEq for CommandSpec {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl CommandSpec {
    pub fn description_key(&self) -> String {
        format!("cmd.{}.description", self.name)
    }

    pub fn option_key(&self, option: &OptionSpec) -> String {
        format!("cmd.{}.{}", self.name, option.name)
    }

    pub fn example_key(&self) -> String {
        format!("cmd.{}.example", self.name)
    }

    /// Who may run this invocation of it.
    pub fn access_for(&self, invocation: &Invocation) -> Access {
        match self.access_with {
            Some((option, access)) if invocation.has(option) => access,
            _ => self.access,
        }
    }

    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options
            .iter()
            .find(|o| o.name == name || o.name_ja == name)
    }
}

/// A consultation's number, the first option of the commands that act on one.
/// A typed option value, as Discord sends it or as parsed from a typed line.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Text(String),
    Bool(bool),
}

/// What is wrong with a typed command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command /{0}")]
    Unknown(String),
    #[error("/{command}: missing {option}")]
    Missing {
        command: &'static str,
        option: &'static str,
    },
    #[error("/{command}: {option}: cannot read {value:?}")]
    Bad {
        command: &'static str,
        option: &'static str,
        value: String,
    },
}

/// A parsed invocation: the command and its options by (English) name.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub spec: &'static CommandSpec,
    pub options: Vec<(&'static str, OptionValue)>,
}

impl Invocation {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.options.iter().find_map(|(n, v)| match v {
            OptionValue::Text(t) if *n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The option was given (a non-empty text or a flag).
    pub fn has(&self, name: &str) -> bool {
        self.text(name).is_some_and(|t| !t.trim().is_empty()) || self.flag(name)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options
            .iter()
            .any(|(n, v)| *n == name && *v == OptionValue::Bool(true))
    }

    /// Checks option values against the table: kinds, choices, required ones present.
    pub fn from_options(
        spec: &'static CommandSpec,
        given: Vec<(String, OptionValue)>,
    ) -> Result<Invocation, CommandError> {
        let mut options = Vec::new();
        for (name, value) in given {
            let Some(option) = spec.option(&name) else {
                continue; // Unknown options (an older client) are ignored, not fatal.
            };
            let value = match (option.kind, value) {
                (OptionKind::Bool, OptionValue::Text(text)) => match text.to_lowercase().as_str() {
                    "true" | "yes" | "はい" | "1" => OptionValue::Bool(true),
                    "false" | "no" | "いいえ" | "0" => OptionValue::Bool(false),
                    _ => {
                        return Err(CommandError::Bad {
                            command: spec.name,
                            option: option.name,
                            value: text,
                        })
                    }
                },
                (OptionKind::Choice(choices), OptionValue::Text(text)) => {
                    let lower = text.trim().to_lowercase();
                    if !choices.contains(&lower.as_str()) {
                        return Err(CommandError::Bad {
                            command: spec.name,
                            option: option.name,
                            value: text,
                        });
                    }
                    OptionValue::Text(lower)
                }
                (_, value) => value,
            };
            options.push((option.name, value));
        }
        for option in spec.options.iter().filter(|o| o.required) {
            let present = options.iter().any(|(n, v)| {
                *n == option.name && !matches!(v, OptionValue::Text(t) if t.trim().is_empty())
            });
            if !present {
                return Err(CommandError::Missing {
                    command: spec.name,
                    option: option.name,
                });
            }
        }
        Ok(Invocation { spec, options })
    }

    /// A typed line `/name words… option:value …`: `name:value` words set that option,
    /// the other words are the first text option.
    pub fn parse_line(line: &str) -> Result<Invocation, CommandError> {
        let line = line.trim().trim_start_matches(['/', '／']);
        let mut words = line.split_whitespace();
        let name = words.next().unwrap_or("");
        let spec = command(name).ok_or_else(|| CommandError::Unknown(name.to_string()))?;
        let mut given: Vec<(String, OptionValue)> = Vec::new();
        let mut free: Vec<&str> = Vec::new();
        for word in words {
            match word.split_once([':', '：']) {
                Some((key, value)) if spec.option(key).is_some() => {
                    given.push((key.to_string(), OptionValue::Text(value.to_string())))
                }
                _ => free.push(word),
            }
        }
        // Plain words fill the positional options still unset, in order, the last taking the
        // rest (`/resolve 12 紹介しました`, `/progress 10 実施中 説明会を開いた`).
        let slots: Vec<&OptionSpec> = spec
            .options
            .iter()
            .filter(|o| {
                o.positional
                    && !given
                        .iter()
                        .any(|(k, _)| spec.option(k).is_some_and(|s| s.name == o.name))
            })
            .collect();
        let mut free = free.into_iter();
        for (i, slot) in slots.iter().enumerate() {
            let words: Vec<&str> = if i + 1 == slots.len() {
                free.by_ref().collect()
            } else {
                free.next().into_iter().collect()
            };
            if !words.is_empty() {
                given.push((slot.name.to_string(), OptionValue::Text(words.join(" "))));
            }
        }
        Invocation::from_options(spec, given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::commands::COMMANDS;

    #[test]
    fn names_are_valid_discord_command_names() {
        for spec in COMMANDS {
            for name in [spec.name, spec.name_ja]
                .iter()
                .chain(spec.options.iter().flat_map(|o| [&o.name, &o.name_ja]))
            {
                let chars = name.chars().count();
                assert!((1..=32).contains(&chars), "{name}");
                assert!(
                    name.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_'),
                    "{name}"
                );
                assert_eq!(name.to_lowercase(), *name, "{name}");
            }
        }
    }

    #[test]
    fn every_description_exists_in_both_languages() {
        let prompts = super::super::prompts::Prompts::builtin().unwrap();
        for spec in COMMANDS {
            for lang in crate::lang::Lang::ALL {
                let mut keys = vec![spec.description_key()];
                keys.extend(spec.options.iter().map(|o| spec.option_key(o)));
                for key in keys {
                    assert!(
                        prompts.keys(lang).any(|k| *k == key),
                        "{key} missing in {lang}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_typed_line_parses_into_options() {
        let inv = Invocation::parse_line("/find 子ども 食堂 area:東山 recruiting:yes").unwrap();
        assert_eq!(inv.spec.name, "find");
        assert_eq!(inv.text("query"), Some("子ども 食堂"));
        assert_eq!(inv.text("area"), Some("東山"));
        assert!(inv.flag("recruiting"));
    }

    #[test]
    fn plain_words_fill_required_options_in_order() {
        let inv = Invocation::parse_line("/resolve 12 近くの子ども食堂を紹介しました").unwrap();
        assert_eq!(inv.text("number"), Some("12"));
        assert_eq!(inv.text("note"), Some("近くの子ども食堂を紹介しました"));
        let inv = Invocation::parse_line("/consult 子ども食堂を 始めたい").unwrap();
        assert_eq!(inv.text("topic"), Some("子ども食堂を 始めたい"));
        assert!(Invocation::parse_line("/consult")
            .unwrap()
            .text("topic")
            .is_none());
        assert!(matches!(
            Invocation::parse_line("/assign 12"),
            Err(CommandError::Missing {
                option: "advisor",
                ..
            })
        ));
        // A note left out is asked for in a form.
        let inv = Invocation::parse_line("/resolve 12").unwrap();
        assert_eq!((inv.text("number"), inv.text("note")), (Some("12"), None));
    }

    #[test]
    fn japanese_names_work_too() {
        let inv = Invocation::parse_line("/さがす 子ども食堂 地区:東山").unwrap();
        assert_eq!(inv.spec.name, "find");
        assert_eq!(inv.text("area"), Some("東山"));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert_eq!(
            Invocation::parse_line("/fnd x"),
            Err(CommandError::Unknown("fnd".into()))
        );
        assert_eq!(
            Invocation::parse_line("/find"),
            Err(CommandError::Missing {
                command: "find",
                option: "query"
            })
        );
        assert!(matches!(
            Invocation::parse_line("/language fr"),
            Err(CommandError::Bad { .. })
        ));
        assert!(matches!(
            Invocation::parse_line("/find x recruiting:maybe"),
            Err(CommandError::Bad { .. })
        ));
    }
}
