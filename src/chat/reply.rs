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
        // The body folded letter by letter into the same number of bytes, so a word found in
        // the folded text is at the same byte offsets in the body (and on its letter bounds).
        let folded = crate::text::fold_keeping_sizes(&self.body);
        // Byte ranges of every occurrence, overlapping ones too.
        let mut found: Vec<(usize, usize)> = Vec::new();
        for word in &self.highlights {
            let word = crate::text::fold_keeping_sizes(word);
            let Some(first) = word.chars().next() else {
                continue;
            };
            let mut from = 0;
            while let Some(at) = folded[from..].find(word.as_str()) {
                found.push((from + at, from + at + word.len()));
                from += at + first.len_utf8();
            }
        }
        found.sort_unstable();
        let mut segments = Vec::with_capacity(2 * found.len() + 1);
        let mut plain_from = 0;
        let mut ranges = found.into_iter().peekable();
        while let Some((start, mut end)) = ranges.next() {
            // Ranges that touch or overlap are one emphasised run.
            while let Some(&(next, next_end)) = ranges.peek() {
                if next > end {
                    break;
                }
                end = end.max(next_end);
                ranges.next();
            }
            if start > plain_from {
                segments.push((&self.body[plain_from..start], false));
            }
            segments.push((&self.body[start..end], true));
            plain_from = end;
        }
        if plain_from < self.body.len() {
            segments.push((&self.body[plain_from..], false));
        }
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
    fn overlapping_and_touching_words_are_one_run_and_case_is_folded() {
        let card = Card {
            body: "Kids Cafe and KIDS café: ナツマツリ祭り".into(),
            highlights: vec!["kids".into(), "s ca".into(), "まつり".into(), "祭り".into()],
            ..Card::default()
        };
        let segments = card.body_segments();
        let marked: Vec<&str> = segments
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(marked, vec!["Kids Ca", "KIDS ca", "マツリ祭り"]);
        let whole: String = segments.iter().map(|(t, _)| *t).collect();
        assert_eq!(whole, card.body);
        // Runs alternate: no two neighbours are both plain or both marked.
        assert!(segments.windows(2).all(|w| w[0].1 != w[1].1));
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
