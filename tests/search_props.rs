//! Properties that hold for any text a person can send: the search and the chat core answer,
//! never panic, stay within their limits, and answer the same way twice. Strings come from a
//! seeded generator mixing every script the bot meets with emoji, control characters, combining
//! marks, direction marks and very long runs (a failing seed is printed to reproduce it).

use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Content, Incoming, Person, Place};
use kyodo::directory::search::{Lexicon, LexiconParts, SearchOptions, Searcher};

/// xorshift64*: small, seeded, good enough to explore inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "子ども食堂",
    "こどもしょくどう",
    "ボッチャ",
    "ｶﾌｪ",
    "ＮＰＯ",
    "find a group",
    "beach cleanup",
    "東山",
    "駅の近く",
    "募集中",
    "を探しています",
    "ボランテア",
    "料理教質",
    "の",
    "ー",
    "ヶ",
    "々",
    "🙂",
    "👨‍👩‍👧",
    "👍🏽",
    "🇯🇵",
    "\u{0000}",
    "\u{0007}",
    "\u{001b}[31m",
    "\r\n",
    "\t",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "e\u{0301}",
    "か\u{3099}",
    "\u{3000}",
    "@everyone",
    "<@123>",
    "**",
    "`",
    "\\",
    "'",
    "\"",
    "%",
    "?",
    "！",
    "、",
    "。",
    "（）",
    "𠮷",
    "\u{FFFD}",
    "a",
    "1",
];

fn arbitrary(rng: &mut Rng) -> String {
    let mut text = String::new();
    let pieces = match rng.below(10) {
        0 => 0,
        1 => 400 + rng.below(600), // very long
        _ => 1 + rng.below(12),
    };
    for _ in 0..pieces {
        match rng.below(4) {
            0 => {
                // Any scalar value at all (surrogates excluded by char::from_u32).
                if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                    text.push(c);
                }
            }
            _ => text.push_str(PIECES[rng.below(PIECES.len())]),
        }
    }
    text
}

fn demo_orgs() -> Vec<kyodo::directory::organization::Organization> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = kyodo::store::open_in_memory().await.unwrap();
        kyodo::demo::load_if_empty(&pool).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        kyodo::db::organizations::load_all(&mut conn).await.unwrap()
    })
}

#[test]
fn any_text_gets_a_bounded_deterministic_search_answer() {
    let searcher = Searcher::new(demo_orgs(), Lexicon::builtin(LexiconParts::ALL).unwrap());
    let options = SearchOptions {
        limit: 5,
        ..SearchOptions::default()
    };
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let query = arbitrary(&mut rng);
        let outcome = searcher.search(&query, &options);
        let context = format!("seed {seed}, query {query:?}");
        assert!(outcome.results.len() <= 5, "{context}");
        assert!(outcome.suggestions.len() <= 3, "{context}");
        for hit in outcome.results.iter().chain(&outcome.suggestions) {
            assert!(
                hit.score.is_finite() && (0.0..=1.0).contains(&hit.score),
                "score {} for {context}",
                hit.score
            );
        }
        if seed % 10 == 0 {
            let again = searcher.search(&query, &options);
            let ids = |o: &kyodo::directory::search::Outcome| {
                o.results.iter().map(|h| h.org).collect::<Vec<_>>()
            };
            assert_eq!(ids(&outcome), ids(&again), "{context}");
        }
    }
}

#[tokio::test]
async fn any_message_gets_a_reply() {
    let pool = kyodo::store::open_in_memory().await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let chat = Chat::new(pool, Prompts::builtin().unwrap(), ChatSettings::default())
        .await
        .unwrap();
    let person = Person::citizen("prop", "prop");
    for seed in 1..=500u64 {
        let mut rng = Rng(seed.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let mut text = arbitrary(&mut rng);
        if seed % 7 == 0 {
            text.insert(0, '/');
        }
        let incoming = Incoming {
            person: person.clone(),
            place: Place::Direct,
            content: Content::Text(text.clone()),
        };
        let reply = chat.handle(&incoming).await;
        assert!(
            !reply.text.trim().is_empty(),
            "seed {seed}: no answer to {text:?}"
        );
        assert!(
            !reply.text.contains("sqlx") && !reply.text.contains("Error"),
            "seed {seed}: internal text shown: {}",
            reply.text
        );
    }
}
