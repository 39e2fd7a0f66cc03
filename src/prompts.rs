//! The texts people read, from `prompts/ja.toml` and `prompts/en.toml` (built in), optionally
//! reworded by files in the configured `prompts_dir` without a rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::lang::Lang;

const BUILTIN_JA: &str = include_str!("../prompts/ja.toml");
const BUILTIN_EN: &str = include_str!("../prompts/en.toml");

#[derive(Debug, thiserror::Error)]
pub enum PromptsError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

#[derive(Debug, Clone)]
pub struct Prompts {
    ja: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Prompts {
    pub fn builtin() -> Result<Prompts, PromptsError> {
        Ok(Prompts {
            ja: flatten_text("prompts/ja.toml", BUILTIN_JA)?,
            en: flatten_text("prompts/en.toml", BUILTIN_EN)?,
        })
    }

    /// The built-in texts with those of `dir/ja.toml` and `dir/en.toml` laid over them.
    /// An override must name known keys and keep their placeholders.
    pub fn with_overrides(dir: &Path) -> Result<Prompts, PromptsError> {
        let mut prompts = Prompts::builtin()?;
        for lang in Lang::ALL {
            let path = dir.join(format!("{}.toml", lang.code()));
            if !path.exists() {
                continue;
            }
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| PromptsError::Invalid {
                file: file.clone(),
                message: e.to_string(),
            })?;
            let overrides = flatten_text(&file, &text)?;
            let table = prompts.table_mut(lang);
            for (key, value) in overrides {
                let Some(builtin) = table.get(&key) else {
                    return Err(PromptsError::Invalid {
                        file,
                        message: format!("{key}: unknown key"),
                    });
                };
                if placeholders(builtin) != placeholders(&value) {
                    return Err(PromptsError::Invalid {
                        file,
                        message: format!(
                            "{key}: placeholders must stay {:?}",
                            placeholders(builtin)
                        ),
                    });
                }
                table.insert(key, value);
            }
        }
        Ok(prompts)
    }

    fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    fn table_mut(&mut self, lang: Lang) -> &mut BTreeMap<String, String> {
        match lang {
            Lang::Ja => &mut self.ja,
            Lang::En => &mut self.en,
        }
    }

    /// The text for `key`; a missing key shows the key (and is logged), never a panic.
    pub fn get(&self, lang: Lang, key: &str) -> &str {
        match self.table(lang).get(key) {
            Some(text) => text,
            None => {
                tracing::warn!(key, lang = lang.code(), "missing prompt");
                "…"
            }
        }
    }

    /// The text of `key` with each `{name}` replaced by its value, in one pass over the
    /// template: a value is never read as a template itself (a topic containing `{hours}` stays
    /// as written). An unknown `{name}` is left as it is.
    pub fn fill(&self, lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
        let template = self.get(lang, key);
        let room = values.iter().map(|(_, v)| v.len()).sum::<usize>();
        let mut text = String::with_capacity(template.len() + room);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                values
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v, close))
            });
            match value {
                Some((value, close)) => {
                    text.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    text.push('{');
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        text
    }

    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &String> {
        self.table(lang).keys()
    }
}

/// `[a] b = "…"` → `a.b`.
fn flatten_text(file: &str, text: &str) -> Result<BTreeMap<String, String>, PromptsError> {
    let value: toml::Table = toml::from_str(text).map_err(|e| PromptsError::Invalid {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    let mut out = BTreeMap::new();
    flatten(file, "", &value, &mut out)?;
    Ok(out)
}

fn flatten(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), PromptsError> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.trim_start_matches('\n').to_string());
            }
            toml::Value::Table(inner) => flatten(file, &full, inner, out)?,
            _ => {
                return Err(PromptsError::Invalid {
                    file: file.to_string(),
                    message: format!("{full}: must be text"),
                })
            }
        }
    }
    Ok(())
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.insert(name.to_string());
            }
            rest = &rest[close + 1..];
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key_and_the_same_placeholders() {
        let prompts = Prompts::builtin().expect("prompts parse");
        let ja: Vec<&String> = prompts.keys(Lang::Ja).collect();
        let en: Vec<&String> = prompts.keys(Lang::En).collect();
        assert_eq!(ja, en, "ja.toml and en.toml must have the same keys");
        for key in ja {
            assert_eq!(
                placeholders(prompts.get(Lang::Ja, key)),
                placeholders(prompts.get(Lang::En, key)),
                "placeholders of {key}"
            );
            assert!(
                !prompts.get(Lang::Ja, key).trim().is_empty(),
                "{key} is empty"
            );
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        let prompts = Prompts::builtin().unwrap();
        let text = prompts.fill(Lang::En, "search.none", &[("query", "tennis")]);
        assert_eq!(text, "No group matches \"tennis\".");
    }

    #[test]
    fn a_value_is_never_filled_in_again() {
        let prompts = Prompts::builtin().unwrap();
        let text = prompts.fill(
            Lang::En,
            "search.none",
            &[("query", "{query} and {hours}"), ("hours", "24")],
        );
        assert_eq!(text, "No group matches \"{query} and {hours}\".");
    }

    #[test]
    fn overrides_reword_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en.toml"),
            "[search]\nnone = \"Nothing for {query}.\"\n",
        )
        .unwrap();
        let prompts = Prompts::with_overrides(dir.path()).unwrap();
        assert_eq!(
            prompts.fill(Lang::En, "search.none", &[("query", "x")]),
            "Nothing for x."
        );
        assert_eq!(
            prompts.get(Lang::Ja, "search.none"),
            Prompts::builtin().unwrap().get(Lang::Ja, "search.none")
        );

        std::fs::write(
            dir.path().join("en.toml"),
            "[search]\nnone = \"Nothing.\"\n",
        )
        .unwrap();
        let error = Prompts::with_overrides(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("search.none") && error.contains("placeholders"),
            "{error}"
        );

        std::fs::write(dir.path().join("en.toml"), "[search]\nnoen = \"x\"\n").unwrap();
        let error = Prompts::with_overrides(dir.path()).unwrap_err().to_string();
        assert!(error.contains("search.noen: unknown key"), "{error}");
    }
}
