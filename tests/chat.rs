//! The chat core as people meet it: language choice, help, small talk, commands, odd input.

use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Content, Incoming, Person, Place, Reply};
use kyodo::lang::Lang;

async fn demo_chat() -> Chat {
    let pool = kyodo::store::open_in_memory().await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    Chat::new(pool, Prompts::builtin().unwrap(), ChatSettings::default())
        .await
        .unwrap()
}

fn says(person: &Person, text: &str) -> Incoming {
    Incoming {
        person: person.clone(),
        place: Place::Direct,
        content: Content::Text(text.to_string()),
    }
}

async fn ask(chat: &Chat, person: &Person, text: &str) -> Reply {
    chat.handle(&says(person, text)).await
}

#[tokio::test]
async fn the_reply_is_in_the_language_written() {
    let chat = demo_chat().await;
    let person = Person::citizen("u1", "Aiko");
    let ja = ask(&chat, &person, "子ども食堂").await;
    assert_eq!(ja.lang, Lang::Ja);
    assert!(ja.text.contains("見つかりました"), "{}", ja.text);
    let en = ask(&chat, &person, "children's cafeteria").await;
    assert_eq!(en.lang, Lang::En);
    assert!(en.text.starts_with("Found"), "{}", en.text);
}

#[tokio::test]
async fn a_chosen_language_wins_over_the_message() {
    let chat = demo_chat().await;
    let person = Person::citizen("u2", "Maria");
    let set = ask(&chat, &person, "/language en").await;
    assert_eq!(set.text, "I'll answer in English from now on.");
    let reply = ask(&chat, &person, "子ども食堂").await;
    assert_eq!(reply.lang, Lang::En);
    let other = ask(&chat, &Person::citizen("u3", "Ken"), "子ども食堂").await;
    assert_eq!(other.lang, Lang::Ja, "one person's choice is theirs alone");
}

#[tokio::test]
async fn nothing_to_tell_by_falls_back_to_the_client_then_the_default() {
    let chat = demo_chat().await;
    let mut person = Person::citizen("u4", "Sam");
    assert_eq!(ask(&chat, &person, "🙂").await.lang, Lang::Ja);
    person.locale = Some(Lang::En);
    assert_eq!(ask(&chat, &person, "🙂").await.lang, Lang::En);
}

#[tokio::test]
async fn slash_commands_arrive_typed_and_are_checked() {
    let chat = demo_chat().await;
    let person = Person::citizen("u5", "Yui");
    let incoming = Incoming {
        person: person.clone(),
        place: Place::Channel("42".into()),
        content: Content::Command {
            name: "find".into(),
            options: vec![(
                "query".into(),
                kyodo::chat::commands::OptionValue::Text("子ども食堂".into()),
            )],
        },
    };
    let reply = chat.handle(&incoming).await;
    assert!(!reply.cards.is_empty(), "{}", reply.text);

    let missing = ask(&chat, &person, "/find").await;
    assert!(missing.text.contains("/find には"), "{}", missing.text);
    assert!(missing.private);
    let unknown = ask(&chat, &person, "/dance").await;
    assert!(
        unknown
            .text
            .contains("「/dance」というコマンドはありません"),
        "{}",
        unknown.text
    );
}

#[tokio::test]
async fn small_talk_and_gibberish_get_friendly_answers() {
    let chat = demo_chat().await;
    let person = Person::citizen("u6", "Taro");
    assert!(ask(&chat, &person, "こんにちは")
        .await
        .text
        .contains("協働推進の案内ボット"));
    assert!(ask(&chat, &person, "help")
        .await
        .text
        .contains("How to use kyodo"));
    let punctuation = ask(&chat, &person, "?!?!").await;
    assert!(
        punctuation.text.contains("kyodo の使い方"),
        "{}",
        punctuation.text
    );
    let emoji = ask(&chat, &person, "🙂🎉").await;
    assert!(
        emoji.text.contains("読み取れませんでした"),
        "{}",
        emoji.text
    );
    let halfwidth = ask(&chat, &person, "ﾎﾞﾗﾝﾃｨｱ").await;
    assert_eq!(halfwidth.lang, Lang::Ja, "half-width katakana is Japanese");
}

#[tokio::test]
async fn a_running_chat_sees_an_import_made_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let pool = kyodo::store::open(&path).await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    let chat = Chat::new(pool, Prompts::builtin().unwrap(), ChatSettings::default())
        .await
        .unwrap();
    let person = Person::citizen("u9", "Ren");
    assert!(ask(&chat, &person, "けん玉").await.cards.is_empty());

    // Another process (the admin's `kyodo import`) adds a group.
    let other = kyodo::store::open(&path).await.unwrap();
    let csv = "id,name,name_kana,form,fields,area,description,keywords,target,recruiting,contact,name_en,description_en\n\
               X100,けん玉クラブ,ケンダマクラブ,任意団体,6,中央,毎週土曜日にけん玉を練習しています。,けん玉,子ども,yes,k@example.jp,,\n";
    kyodo::registry::import_bytes(
        &other,
        kyodo::registry::Kind::Organizations,
        "new.csv",
        csv.as_bytes(),
        false,
    )
    .await
    .unwrap();
    let reply = ask(&chat, &person, "けん玉").await;
    assert!(
        reply.cards.iter().any(|c| c.title == "けん玉クラブ"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn nothing_found_is_said_honestly() {
    let chat = demo_chat().await;
    let reply = ask(
        &chat,
        &Person::citizen("u7", "Jo"),
        "テニスを一緒にできるサークルはありますか",
    )
    .await;
    assert!(
        reply.text.contains("見つかりませんでした"),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("協働アドバイザー"),
        "offers a consultation: {}",
        reply.text
    );
}

#[tokio::test]
async fn huge_and_odd_messages_never_break_the_bot() {
    let chat = demo_chat().await;
    let person = Person::citizen("u8", "Odd");
    let huge = ask(&chat, &person, &"あ".repeat(4001)).await;
    assert!(huge.text.contains("4000"), "{}", huge.text);
    for odd in [
        "",
        "   ",
        "\u{0000}\u{0007}",
        "🙂🎉🙏",
        "@everyone 応援団",
        "ﾃﾆｽ",
        "\u{202e}abc",
    ] {
        let reply = ask(&chat, &person, odd).await;
        assert!(!reply.text.is_empty(), "{odd:?} gets an answer");
    }
    let repeated = ask(&chat, &person, &"子ども食堂 ".repeat(600)).await;
    assert!(
        !repeated.cards.is_empty(),
        "a long message saying one thing is still searched: {}",
        repeated.text
    );
}

#[tokio::test]
async fn agreeing_twice_makes_one_consultation() {
    let chat = demo_chat().await;
    let person = Person::citizen("910", "Mika");
    ask(&chat, &person, "/consult 子ども食堂を始めたい").await;
    let click = Incoming {
        person: person.clone(),
        place: Place::Direct,
        content: Content::Button("kyodo:consent:yes".into()),
    };
    let (first, second) = tokio::join!(chat.handle(&click), ask(&chat, &person, "はい"));
    let numbered = [&first, &second]
        .iter()
        .filter(|r| r.text.contains("#1"))
        .count();
    assert_eq!(numbered, 1, "{} / {}", first.text, second.text);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consultations")
        .fetch_one(chat.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn only_coordinators_assign_and_see_the_queue() {
    let chat = demo_chat().await;
    ask(
        &chat,
        &Person::citizen("920", "Ai"),
        "/consult 子ども食堂を始めたい",
    )
    .await;
    ask(&chat, &Person::citizen("920", "Ai"), "はい").await;
    let citizen = ask(&chat, &Person::citizen("921", "Bo"), "/assign 1 A02").await;
    assert!(
        citizen.text.contains("Only collaboration coordinators"),
        "{}",
        citizen.text
    );
    let mut coordinator = Person::citizen("922", "Chie");
    coordinator.roles = vec![kyodo::chat::Role::Coordinator];
    let queue = ask(&chat, &coordinator, "/consultations").await;
    assert!(queue.private && queue.text.contains("#1"), "{}", queue.text);
    let other = ask(&chat, &Person::citizen("921", "Bo"), "/consultations").await;
    assert!(
        !other.text.contains("子ども食堂"),
        "someone else's topic is never shown: {}",
        other.text
    );
    let assigned = ask(&chat, &coordinator, "/assign 1 A02").await;
    assert!(assigned.text.contains("A02"), "{}", assigned.text);
}
