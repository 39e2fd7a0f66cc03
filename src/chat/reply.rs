//! What the chat core answers: text and cards rich enough for Discord embeds, plain enough
//! for a terminal. Transports render it; the core never knows which one.

use super::buttons::Button;
use crate::lang::Lang;
use crate::outbox::Mention;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Card {
    pub title: String,
    pub body: String,
    /// (label, value) pairs, shown as embed fields.
    pub fields: Vec<(String, String)>,
    /// Words of the body to emphasise (what a search matched); each transport marks them its way.
    pub highlights: Vec<String>,
}

impl Card {
    /// The body cut into (text, emphasised) runs, in order, together the whole body. Words are
    /// found as typed or with katakana and hiragana, upper and lower case taken alike (the way
    /// the search compares them).
    pub fn body_segments(&self) -> Vec<(&str, bool)> {
        if self.body.is_empty() {
            return Vec::new();
        }
        if self.highlights.is_empty() {
            return vec![(self.body.as_str(), false)];
        }
        let fold = |c: char| {
            // Kana, kanji and CJK punctuation (U+3000–U+9FFF) have no case: most of a Japanese
            // body is spared the look-up in the case table.
            let lower = if ('\u{3000}'..='\u{9fff}').contains(&c) {
                c
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            crate::text::katakana_to_hiragana(lower)
        };
        // One folded letter per letter of the body, so positions are shared.
        let folded: Vec<char> = self.body.chars().map(fold).collect();
        let mut marked = vec![false; folded.len()];
        for word in &self.highlights {
            let word: Vec<char> = word.chars().map(fold).collect();
            let Some(&first) = word.first() else { continue };
            if word.len() > folded.len() {
                continue;
            }
            for start in 0..=folded.len() - word.len() {
                // The first character alone rules most places out.
                if folded[start] == first && folded[start..start + word.len()] == word[..] {
                    marked[start..start + word.len()]
                        .iter_mut()
                        .for_each(|m| *m = true);
                }
            }
        }
        let mut segments = Vec::new();
        let (mut from, mut current) = (0, marked[0]);
        for ((at, _), &mark) in self.body.char_indices().zip(&marked) {
            if mark != current {
                segments.push((&self.body[from..at], current));
                (from, current) = (at, mark);
            }
        }
        segments.push((&self.body[from..], current));
        segments
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub lang: Lang,
    pub text: String,
    pub cards: Vec<Card>,
    /// Only the person who asked sees it (Discord's ephemeral flag).
    pub private: bool,
    pub buttons: Vec<Button>,
    /// Whom the message calls (the coordinators' role on an escalation, the owners of stale
    /// actions in a digest): the only mentions it may make.
    pub mentions: Vec<Mention>,
    /// Files sent with the message (the digest's chart).
    pub attachments: Vec<Attachment>,
    /// Post it in a new private thread under the target channel, with these people in it.
    pub open_thread: Option<ThreadRequest>,
    /// Ask for free text through a form (a Discord modal) instead of a typed message; the
    /// reply's text says the same for a transport that has no forms.
    pub ask_text: Option<super::forms::TextRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRequest {
    pub name: String,
    /// Chat account ids added to the thread.
    pub members: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn text(lang: Lang, text: impl Into<String>) -> Reply {
        Reply {
            lang,
            text: text.into(),
            cards: Vec::new(),
            private: false,
            buttons: Vec::new(),
            mentions: Vec::new(),
            attachments: Vec::new(),
            open_thread: None,
            ask_text: None,
        }
    }

    pub fn private(mut self) -> Reply {
        self.private = true;
        self
    }

    pub fn with_buttons(mut self, buttons: Vec<Button>) -> Reply {
        self.buttons = buttons;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_found_across_kana_and_case() {
        let card = Card {
            body: "毎月、子ども食堂とボランティアの会を開いています。".into(),
            highlights: vec!["子ども食堂".into(), "ぼらんてぃあ".into()],
            ..Card::default()
        };
        let marked: Vec<&str> = card
            .body_segments()
            .into_iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(marked, vec!["子ども食堂", "ボランティア"]);
        let whole: String = card.body_segments().into_iter().map(|(t, _)| t).collect();
        assert_eq!(whole, card.body);
    }

    #[test]
    fn no_highlights_is_one_plain_segment() {
        let card = Card {
            body: "説明".into(),
            ..Card::default()
        };
        assert_eq!(card.body_segments(), vec![("説明", false)]);
        assert!(Card::default().body_segments().is_empty());
    }
}
