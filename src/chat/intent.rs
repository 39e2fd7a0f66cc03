//! What a natural-language message asks for, before anything is searched.

use crate::text::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Help,
    Greeting,
    Thanks,
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

pub fn classify(text: &str) -> Intent {
    let text = normalize(text);
    let is = |words: &[&str]| words.iter().any(|w| normalize(w) == text);
    if is(HELP) {
        Intent::Help
    } else if is(GREETINGS) {
        Intent::Greeting
    } else if is(THANKS) {
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
}
