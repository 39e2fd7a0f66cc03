//! Discord's slash commands, generated from the chat core's one command table: English names
//! and descriptions as the base, Japanese as `ja` localisations.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use crate::chat::commands::{OptionKind, COMMANDS};
use crate::lang::Lang;
use crate::prompts::Prompts;
use crate::text::truncate_chars;

/// Discord's limit for command and option descriptions and choice names.
const DESCRIPTION_CHARS: usize = 100;

fn text(prompts: &Prompts, lang: Lang, key: &str) -> String {
    truncate_chars(prompts.get(lang, key), DESCRIPTION_CHARS).to_string()
}

pub fn commands(prompts: &Prompts) -> Vec<CreateCommand> {
    COMMANDS
        .iter()
        .map(|spec| {
            let description_key = spec.description_key();
            let mut command = CreateCommand::new(spec.name)
                .description(text(prompts, Lang::En, &description_key))
                .name_localized("ja", spec.name_ja)
                .description_localized("ja", text(prompts, Lang::Ja, &description_key));
            for option in spec.options {
                let key = spec.option_key(option);
                let kind = match option.kind {
                    OptionKind::Bool => CommandOptionType::Boolean,
                    OptionKind::Text | OptionKind::Choice(_) => CommandOptionType::String,
                };
                let mut built =
                    CreateCommandOption::new(kind, option.name, text(prompts, Lang::En, &key))
                        .name_localized("ja", option.name_ja)
                        .description_localized("ja", text(prompts, Lang::Ja, &key))
                        .required(option.required)
                        .set_autocomplete(option.autocomplete);
                if let OptionKind::Choice(values) = option.kind {
                    for value in values {
                        let label_key = format!("{key}_{value}");
                        built = built.add_string_choice_localized(
                            text(prompts, Lang::En, &label_key),
                            *value,
                            [("ja", text(prompts, Lang::Ja, &label_key))],
                        );
                    }
                }
                command = command.add_option(built);
            }
            command
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_localised_within_discords_limits() {
        let prompts = Prompts::builtin().unwrap();
        let bodies: Vec<serde_json::Value> = commands(&prompts)
            .iter()
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert_eq!(bodies.len(), COMMANDS.len());
        for body in &bodies {
            assert!(body["name_localizations"]["ja"].is_string(), "{body}");
            let description = body["description"].as_str().unwrap();
            assert!(
                (1..=DESCRIPTION_CHARS).contains(&description.chars().count()),
                "{body}"
            );
            assert!(
                body["description_localizations"]["ja"].is_string(),
                "{body}"
            );
            for option in body["options"].as_array().unwrap() {
                assert!(option["name_localizations"]["ja"].is_string(), "{option}");
                let choices = option["choices"].as_array().map_or(0, Vec::len);
                assert!(choices <= 25);
                assert!(
                    !(choices > 0 && option["autocomplete"] == true),
                    "autocomplete excludes choices"
                );
            }
        }
        let language = bodies.iter().find(|b| b["name"] == "language").unwrap();
        assert_eq!(language["options"][0]["choices"][0]["value"], "ja");
        assert_eq!(
            language["options"][0]["choices"][0]["name_localizations"]["ja"],
            "日本語"
        );
    }
}
