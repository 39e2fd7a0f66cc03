//! The two languages the bot speaks, and how a message tells which one to answer in.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" | "日本語" => Some(Lang::Ja),
            "en" | "english" | "英語" => Some(Lang::En),
            _ => None,
        }
    }

    /// Japanese script anywhere → Japanese; letters but no Japanese script → English;
    /// nothing to tell by (digits, emoji, punctuation) → `None`, so the caller falls back.
    pub fn detect(text: &str) -> Option<Lang> {
        let mut saw_letter = false;
        for c in text.chars() {
            if crate::text::is_japanese_char(c) {
                return Some(Lang::Ja);
            }
            if c.is_alphabetic() {
                saw_letter = true;
            }
        }
        saw_letter.then_some(Lang::En)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_script_means_japanese() {
        assert_eq!(Lang::detect("子ども食堂"), Some(Lang::Ja));
        assert_eq!(Lang::detect("こどもしょくどう"), Some(Lang::Ja));
        assert_eq!(Lang::detect("ボッチャ"), Some(Lang::Ja));
        assert_eq!(Lang::detect("NPOの会計"), Some(Lang::Ja));
        assert_eq!(
            Lang::detect("ﾎﾞﾗﾝﾃｨｱ"),
            Some(Lang::Ja),
            "half-width katakana"
        );
        assert_eq!(Lang::detect("𠮷野家"), Some(Lang::Ja));
    }

    #[test]
    fn latin_only_means_english() {
        assert_eq!(Lang::detect("find a group for kids"), Some(Lang::En));
        assert_eq!(Lang::detect("Olá, grupo"), Some(Lang::En));
    }

    #[test]
    fn nothing_to_tell_by_gives_none() {
        assert_eq!(Lang::detect(""), None);
        assert_eq!(Lang::detect("123 !!"), None);
        assert_eq!(Lang::detect("🙂🎉"), None);
    }

    #[test]
    fn codes_parse() {
        assert_eq!(Lang::parse(" EN "), Some(Lang::En));
        assert_eq!(Lang::parse("日本語"), Some(Lang::Ja));
        assert_eq!(Lang::parse("fr"), None);
    }
}
