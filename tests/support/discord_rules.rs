//! Discord's documented limits on what a bot may send, checked by the fake on every request
//! body, so a test fails where Discord would answer 400 (code 50035, "Invalid Form Body").
//! Figures from discord-api-docs: resources/message.mdx (content 2,000; embeds 10 per message,
//! 6,000 characters together; title 256, description 4,096, 25 fields of 256/1,024, footer
//! 2,048, author 256), components (5 action rows of 5 buttons, custom_id 1–100, label 80;
//! modals: title 45, 1–5 rows, text input label 45, lengths 0–4,000, placeholder 100),
//! interactions/application-commands (names by the documented regex, lower case, 1–32;
//! descriptions 1–100; 25 options, required before optional; 25 choices of name 1–100 and
//! string value 1–100; no choices with autocomplete; 100 commands; locales from the list).

#![allow(dead_code)]

use serde_json::Value;

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

/// The array at `value`, or none (a missing or non-array member has no items to check).
fn items(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn check(problems: &mut Vec<String>, ok: bool, what: impl FnOnce() -> String) {
    if !ok {
        problems.push(what());
    }
}

/// A message body (create, edit, follow-up or interaction-callback data): every problem found.
pub fn message(body: &Value, where_: &str) -> Vec<String> {
    let mut p = Vec::new();
    let content = chars(&body["content"]);
    check(&mut p, content <= 2000, || {
        format!("{where_}: content is {content} characters (max 2,000)")
    });
    let embeds = items(&body["embeds"]);
    check(&mut p, embeds.len() <= 10, || {
        format!("{where_}: {} embeds (max 10)", embeds.len())
    });
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let at = format!("{where_}.embeds[{i}]");
        for (key, max) in [("title", 256), ("description", 4096)] {
            let n = chars(&e[key]);
            total += n;
            check(&mut p, n <= max, || {
                format!("{at}.{key} is {n} (max {max})")
            });
        }
        for (key, inner, max) in [("footer", "text", 2048), ("author", "name", 256)] {
            let n = chars(&e[key][inner]);
            total += n;
            check(&mut p, n <= max, || {
                format!("{at}.{key}.{inner} is {n} (max {max})")
            });
        }
        let fields = items(&e["fields"]);
        check(&mut p, fields.len() <= 25, || {
            format!("{at}: {} fields (max 25)", fields.len())
        });
        for (j, f) in fields.iter().enumerate() {
            let (name, value) = (chars(&f["name"]), chars(&f["value"]));
            total += name + value;
            check(&mut p, (1..=256).contains(&name), || {
                format!("{at}.fields[{j}].name is {name} (1–256)")
            });
            check(&mut p, (1..=1024).contains(&value), || {
                format!("{at}.fields[{j}].value is {value} (1–1,024)")
            });
        }
    }
    check(&mut p, total <= 6000, || {
        format!("{where_}: embeds hold {total} characters together (max 6,000)")
    });
    let rows = items(&body["components"]);
    check(&mut p, rows.len() <= 5, || {
        format!("{where_}: {} action rows (max 5)", rows.len())
    });
    for (i, row) in rows.iter().enumerate() {
        let buttons = items(&row["components"]);
        check(&mut p, (1..=5).contains(&buttons.len()), || {
            format!("{where_}.components[{i}]: {} buttons (1–5)", buttons.len())
        });
        for b in buttons {
            custom_id(&mut p, &b["custom_id"], where_);
            let label = chars(&b["label"]);
            check(&mut p, label <= 80, || {
                format!("{where_}: button label is {label} (max 80)")
            });
        }
    }
    if let Some(nonce) = body["nonce"].as_str() {
        check(&mut p, nonce.chars().count() <= 25, || {
            format!("{where_}: nonce {nonce:?} is over 25 characters")
        });
    }
    p
}

fn custom_id(p: &mut Vec<String>, id: &Value, where_: &str) {
    let n = chars(id);
    check(p, (1..=100).contains(&n), || {
        format!("{where_}: custom_id is {n} characters (1–100)")
    });
}

/// Whether a message body has anything to show (Discord refuses an empty message, 50006).
pub fn is_empty_message(body: &Value, files: usize) -> bool {
    chars(&body["content"]) == 0
        && body["embeds"].as_array().is_none_or(Vec::is_empty)
        && body["components"].as_array().is_none_or(Vec::is_empty)
        && files == 0
}

/// A modal (interaction callback type 9).
pub fn modal(data: &Value) -> Vec<String> {
    let mut p = Vec::new();
    custom_id(&mut p, &data["custom_id"], "modal");
    let title = chars(&data["title"]);
    check(&mut p, (1..=45).contains(&title), || {
        format!("modal title is {title} characters (1–45)")
    });
    let rows = items(&data["components"]);
    check(&mut p, (1..=5).contains(&rows.len()), || {
        format!("modal has {} rows (1–5)", rows.len())
    });
    for row in rows {
        for input in items(&row["components"]) {
            custom_id(&mut p, &input["custom_id"], "modal input");
            check(&mut p, input["type"] == 4, || {
                "a modal row holds a text input (type 4)".into()
            });
            let label = chars(&input["label"]);
            check(&mut p, (1..=45).contains(&label), || {
                format!("modal input label is {label} characters (1–45)")
            });
            for key in ["min_length", "max_length"] {
                if let Some(n) = input[key].as_u64() {
                    check(&mut p, n <= 4000, || {
                        format!("modal input {key} {n} (0–4,000)")
                    });
                }
            }
            check(&mut p, chars(&input["placeholder"]) <= 100, || {
                "modal input placeholder over 100".into()
            });
            check(&mut p, chars(&input["value"]) <= 4000, || {
                "modal input value over 4,000".into()
            });
        }
    }
    p
}

/// Discord's locales (interactions/application-commands: "Localization").
const LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// A chat-input command or option name: `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, and
/// lower case where the letter has a lower-case form.
fn name_ok(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name.chars().all(|c| {
            (c == '-' || c == '_' || c == '\'' || c.is_alphanumeric() || is_deva_or_thai(c))
                && c.to_lowercase().eq(std::iter::once(c))
        })
}

fn is_deva_or_thai(c: char) -> bool {
    matches!(c as u32, 0x0900..=0x097F | 0x0E00..=0x0E7F)
}

fn names(p: &mut Vec<String>, item: &Value, at: &str) {
    let name = item["name"].as_str().unwrap_or("");
    check(p, name_ok(name), || {
        format!("{at}: name {name:?} breaks the name rule")
    });
    let description = chars(&item["description"]);
    check(p, (1..=100).contains(&description), || {
        format!("{at}: description is {description} characters (1–100)")
    });
    for (key, rule) in [
        ("name_localizations", true),
        ("description_localizations", false),
    ] {
        let Some(map) = item[key].as_object() else {
            continue;
        };
        for (locale, text) in map {
            check(p, LOCALES.contains(&locale.as_str()), || {
                format!("{at}.{key}: unknown locale {locale:?}")
            });
            let ok = if rule {
                name_ok(text.as_str().unwrap_or(""))
            } else {
                (1..=100).contains(&chars(text))
            };
            check(p, ok, || {
                format!("{at}.{key}.{locale}: {text} is not allowed")
            });
        }
    }
}

/// A bulk command registration (PUT …/commands).
pub fn commands(body: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let Some(list) = body.as_array() else {
        return vec!["command registration is not a list".into()];
    };
    check(&mut p, list.len() <= 100, || {
        format!("{} commands (max 100)", list.len())
    });
    let mut seen = std::collections::HashSet::new();
    for command in list {
        let name = command["name"].as_str().unwrap_or("").to_string();
        let at = format!("/{name}");
        check(&mut p, seen.insert(name.clone()), || {
            format!("{at}: registered twice")
        });
        names(&mut p, command, &at);
        let options = items(&command["options"]);
        check(&mut p, options.len() <= 25, || {
            format!("{at}: {} options (max 25)", options.len())
        });
        let mut optional_seen = false;
        for option in options {
            let oat = format!("{at} {}", option["name"].as_str().unwrap_or(""));
            names(&mut p, option, &oat);
            let required = option["required"] == true;
            check(&mut p, !(required && optional_seen), || {
                format!("{oat}: a required option after an optional one")
            });
            optional_seen |= !required;
            let choices = items(&option["choices"]);
            check(&mut p, choices.len() <= 25, || {
                format!("{oat}: {} choices (max 25)", choices.len())
            });
            check(
                &mut p,
                choices.is_empty() || option["autocomplete"] != true,
                || format!("{oat}: choices and autocomplete together"),
            );
            for choice in choices {
                let n = chars(&choice["name"]);
                check(&mut p, (1..=100).contains(&n), || {
                    format!("{oat}: choice name is {n} (1–100)")
                });
                if choice["value"].is_string() {
                    let v = chars(&choice["value"]);
                    check(&mut p, (1..=100).contains(&v), || {
                        format!("{oat}: choice value is {v} (1–100)")
                    });
                }
            }
        }
    }
    p
}
