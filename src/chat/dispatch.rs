//! The chat core's entry: one incoming message or command → one reply. Commands are looked up
//! in the table (`commands.rs`), their access checked once here, then their handler runs.

use super::commands::{command, CommandError, Invocation, OptionValue};
use super::core::Chat;
use super::handlers::{general, intake, search};
use super::incoming::{Content, Incoming, Person, Place};
use super::intent::{classify, Intent};
use super::invocation::Ctx;
use super::reply::Reply;
use crate::lang::Lang;

impl Chat {
    /// The reply to `incoming`, the directory first refreshed if an import changed it.
    pub async fn handle(&self, incoming: &Incoming) -> Reply {
        self.refresh_or_log().await;
        self.answer(incoming).await
    }

    /// Refreshes the directory (`refresh_directory`); a failure is logged and the directory in
    /// memory kept.
    pub async fn refresh_or_log(&self) {
        if let Err(error) = self.refresh_directory().await {
            tracing::error!(%error, "checking the directory for changes failed");
        }
    }

    /// Like `handle`, from the directory as it is in memory: for a caller that refreshed it
    /// just before (the Discord handler, which looks the speaker up in it first).
    pub async fn answer(&self, incoming: &Incoming) -> Reply {
        let said = said_text(&incoming.content);
        let lang = self.language_for(&incoming.person, &said);
        if said.chars().count() > self.settings().max_message_chars {
            let max = self.settings().max_message_chars.to_string();
            return Reply::text(
                lang,
                self.prompts()
                    .fill(lang, "command.too_long", &[("max", &max)]),
            )
            .private();
        }
        let invocation = match &incoming.content {
            Content::Button(id) => {
                return intake::press(self, &incoming.person, &incoming.place, id, lang).await
            }
            Content::Form { id, text } => {
                let (person, place) = (&incoming.person, &incoming.place);
                return intake::form_filled(self, person, place, id, text, lang).await;
            }
            Content::Text(text) if is_command_line(text) => Invocation::parse_line(text),
            Content::Text(text) => {
                if let Some(reply) = intake::continue_conversation(
                    self,
                    &incoming.person,
                    &incoming.place,
                    text,
                    lang,
                )
                .await
                {
                    return reply;
                }
                return self
                    .natural(&incoming.person, &incoming.place, text, lang)
                    .await;
            }
            Content::Command { name, options } => match command(name) {
                Some(spec) => Invocation::from_options(spec, options.clone()),
                None => Err(CommandError::Unknown(name.clone())),
            },
        };
        match invocation {
            Ok(invocation) => {
                self.run(&invocation, &incoming.person, &incoming.place, lang)
                    .await
            }
            Err(error) => self.command_error(&error, lang),
        }
    }

    async fn natural(&self, person: &Person, place: &Place, text: &str, lang: Lang) -> Reply {
        match classify(text) {
            Intent::Help => general::help_text(self, person, lang),
            Intent::Greeting => Reply::text(lang, self.prompts().get(lang, "greeting.hello")),
            Intent::Thanks => Reply::text(lang, self.prompts().get(lang, "greeting.thanks")),
            Intent::Consult { topic } => {
                intake::consult_start(self, person, place, topic.as_deref(), lang).await
            }
            Intent::Search => search::search_said(self, person, text, lang).await,
        }
    }

    /// Runs a checked command: its access once, then its handler.
    async fn run(
        &self,
        invocation: &Invocation,
        person: &Person,
        place: &Place,
        lang: Lang,
    ) -> Reply {
        let access = invocation.spec.access_for(invocation);
        if !access.allows(person) {
            return Reply::text(lang, self.prompts().get(lang, access.refusal_key())).private();
        }
        let cx = Ctx {
            chat: self,
            person,
            place,
            invocation,
            lang,
        };
        (invocation.spec.handler)(cx).await
    }

    fn command_error(&self, error: &CommandError, lang: Lang) -> Reply {
        let text = match error {
            CommandError::Unknown(name) => {
                self.prompts()
                    .fill(lang, "command.unknown", &[("name", name)])
            }
            CommandError::Missing { command, option } => {
                let spec = super::commands::command(command);
                let example = spec
                    .map(|s| self.prompts().get(lang, &s.example_key()).to_string())
                    .unwrap_or_default();
                let option_text = spec
                    .and_then(|s| {
                        s.option(option)
                            .map(|o| self.prompts().get(lang, &s.option_key(o)).to_string())
                    })
                    .unwrap_or_else(|| option.to_string());
                self.prompts().fill(
                    lang,
                    "command.missing_option",
                    &[
                        ("name", command),
                        ("option", &option_text),
                        ("example", &example),
                    ],
                )
            }
            CommandError::Bad {
                command,
                option,
                value,
            } => self.prompts().fill(
                lang,
                "command.bad_option",
                &[("name", command), ("option", option), ("value", value)],
            ),
        };
        Reply::text(lang, text).private()
    }

    /// The person's chosen language, else the message's, else their client's, else the default.
    fn language_for(&self, person: &Person, said: &str) -> Lang {
        self.memory()
            .language(&person.id)
            .or_else(|| Lang::detect(said))
            .or(person.locale)
            .unwrap_or(self.settings().default_language)
    }
}

fn is_command_line(text: &str) -> bool {
    text.trim_start().starts_with(['/', '／'])
}

/// The words the person wrote, for telling their language (a command's text options count).
fn said_text(content: &Content) -> String {
    match content {
        Content::Text(text) => {
            if is_command_line(text) {
                // The command name itself is English or Japanese by the table, not by the person.
                text.trim_start()
                    .split_once(char::is_whitespace)
                    .map_or(String::new(), |(_, rest)| rest.to_string())
            } else {
                text.clone()
            }
        }
        Content::Button(_) => String::new(),
        Content::Form { text, .. } => text.clone(),
        Content::Command { options, .. } => options
            .iter()
            .filter_map(|(_, v)| match v {
                OptionValue::Text(t) => Some(t.as_str()),
                OptionValue::Bool(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}
