//! What a natural-language message asks for, before anything is searched.

use std::sync::LazyLock;

use crate::text::normalize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Help,
    Greeting,
    Thanks,
    /// Asks for a consultation; what is left of the message is its topic, if anything.
    Consult {
        topic: Option<String>,
    },
    /// Anything else is taken as "find a group doing this".
    Search,
}

const HELP: &[&str] = &[
    "help",
    "?",
    "使い方",
    "つかいかた",
    "へるぷ",
    "ヘルプ",
    "how to use",
    "what can you do",
    "何ができる",
    "なにができる",
];
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "good morning",
    "good evening",
    "こんにちは",
    "こんばんは",
    "おはよう",
    "おはようございます",
    "はじめまして",
    "よろしく",
    "よろしくお願いします",
];
const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thx",
    "ありがとう",
    "ありがとうございます",
    "ありがとうございました",
    "どうも",
];

/// Phrases asking for an advisor. A topic that merely mentions 相談 (ＮＰＯの会計相談) is a
/// search for groups that give such advice, not a request.
const CONSULT: &[&str] = &[
    "相談したい",
    "相談したいです",
    "相談させて",
    "相談に乗って",
    "相談にのって",
    "アドバイザーに相談",
    "アドバイザーと話したい",
    "協働アドバイザー",
    "talk to an advisor",
    "speak to an advisor",
    "ask an advisor",
    "consult an advisor",
    "i'd like to talk to an advisor",
    "i want to talk to an advisor",
    "i'd like a consultation",
];

/// Fewer characters than this left beside the request phrase is no topic.
const MIN_TOPIC_CHARS: usize = 4;

/// The phrase lists in normal form, made once: the consultation phrases longest first (so the
/// longest match is taken out of the topic), then help, greetings and thanks.
struct Phrases {
    consult: Vec<String>,
    help: Vec<String>,
    greetings: Vec<String>,
    thanks: Vec<String>,
}

fn phrases() -> &'static Phrases {
    static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
        let normal = |words: &[&str]| words.iter().map(|w| normalize(w)).collect::<Vec<_>>();
        let mut consult = normal(CONSULT);
        consult.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
        Phrases {
            consult,
            help: normal(HELP),
            greetings: normal(GREETINGS),
            thanks: normal(THANKS),
        }
    });
    &PHRASES
}

pub fn classify(text: &str) -> Intent {
    let lowered = normalize(text);
    let phrases = phrases();
    if let Some(phrase) = phrases
        .consult
        .iter()
        .find(|p| lowered.contains(p.as_str()))
    {
        let rest = lowered.replacen(phrase.as_str(), " ", 1);
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || "のをにがはでと".contains(c));
        let topic = (rest.chars().count() >= MIN_TOPIC_CHARS).then(|| text.trim().to_string());
        return Intent::Consult { topic };
    }
    let is = |words: &[String]| words.contains(&lowered);
    if is(&phrases.help) {
        Intent::Help
    } else if is(&phrases.greetings) {
        Intent::Greeting
    } else if is(&phrases.thanks) {
        Intent::Thanks
    } else {
        Intent::Search
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_talk_is_told_from_searches() {
        assert_eq!(classify("Help"), Intent::Help);
        assert_eq!(classify("使い方"), Intent::Help);
        assert_eq!(classify("こんにちは！"), Intent::Greeting);
        assert_eq!(classify("Thank you."), Intent::Thanks);
        assert_eq!(classify("子ども食堂"), Intent::Search);
        assert_eq!(classify("help with homework"), Intent::Search);
    }

    #[test]
    fn asking_for_an_advisor_is_a_consultation_with_or_without_a_topic() {
        assert_eq!(classify("相談したい"), Intent::Consult { topic: None });
        assert_eq!(
            classify("I'd like to talk to an advisor"),
            Intent::Consult { topic: None }
        );
        assert_eq!(
            classify("子ども食堂を始めたいので相談したい"),
            Intent::Consult {
                topic: Some("子ども食堂を始めたいので相談したい".into())
            }
        );
        assert_eq!(
            classify("ＮＰＯの会計相談"),
            Intent::Search,
            "a kind of advice to search for"
        );
    }
}
