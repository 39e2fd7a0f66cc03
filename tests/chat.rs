//! The chat core as people meet it: language choice, help, small talk, commands, odd input.

use kyodo::chat::prompts::Prompts;
use kyodo::chat::{Chat, ChatSettings, Content, Incoming, Person, Place, Reply};
use kyodo::lang::Lang;

/// The coordinators' channel: consultations are taken only where escalations reach someone.
const COORDINATORS: u64 = 77;

async fn demo_chat() -> Chat {
    let mut settings = ChatSettings::default();
    settings.consult.coordinator_channel = Some(COORDINATORS);
    chat_with(settings).await
}

async fn chat_with(settings: ChatSettings) -> Chat {
    let pool = kyodo::store::open_in_memory().await.unwrap();
    kyodo::demo::load_if_empty(&pool).await.unwrap();
    Chat::new(pool, Prompts::builtin().unwrap(), settings)
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

/// The office's vocabulary (`search.lexicon_dir`) is read at run time: a word added to its
/// related.toml answers in the running bot, without a rebuild or a restart.
#[tokio::test]
async fn an_office_lexicon_edit_is_used_without_a_restart() {
    let lexicon = tempfile::tempdir().unwrap();
    let chat = chat_with(ChatSettings {
        lexicon_dir: Some(lexicon.path().to_path_buf()),
        ..ChatSettings::default()
    })
    .await;
    let person = Person::citizen("u10", "Aki");
    // A name the office uses for its children's cafeterias, unknown to the built-in lexicon.
    assert!(ask(&chat, &person, "もぐもぐ広場").await.cards.is_empty());

    std::fs::write(
        lexicon.path().join("related.toml"),
        "[related]\n\"もぐもぐ広場\" = [\"子ども食堂\"]\n",
    )
    .unwrap();
    let reply = ask(&chat, &person, "もぐもぐ広場").await;
    assert!(
        !reply.cards.is_empty(),
        "the edited lexicon is used: {}",
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

fn press_in(person: &Person, place: Place, id: &str) -> Incoming {
    Incoming {
        person: person.clone(),
        place,
        content: Content::Button(id.to_string()),
    }
}

async fn count(chat: &Chat, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(chat.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn where_escalations_reach_nobody_a_request_gets_the_offices_contact() {
    let mut settings = ChatSettings::default();
    settings.consult.office_contact = "協働推進課 0120-000-000".into();
    let chat = chat_with(settings).await;
    let reply = ask(
        &chat,
        &Person::citizen("930", "Eri"),
        "/consult 空き家を使いたい",
    )
    .await;
    assert!(
        reply.private && reply.text.contains("0120-000-000"),
        "{}",
        reply.text
    );
    assert!(
        reply.buttons.is_empty(),
        "no consent to give: nothing is taken"
    );
    assert_eq!(
        count(&chat, "SELECT COUNT(*) FROM conversation_steps").await,
        0
    );
}

#[tokio::test]
async fn nothing_a_person_typed_is_stored_before_they_agree() {
    let chat = demo_chat().await;
    let person = Person::citizen("931", "Fumi");
    let notice = ask(&chat, &person, "/consult 母の介護のことで悩んでいます").await;
    assert!(notice.private && !notice.buttons.is_empty());
    let texts: i64 = count(
        &chat,
        "SELECT (SELECT COUNT(*) FROM consultations) + (SELECT COUNT(*) FROM outbox)",
    )
    .await;
    assert_eq!(texts, 0, "no consultation and no message before consent");
    let columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('conversation_steps')")
            .fetch_all(chat.pool())
            .await
            .unwrap();
    assert!(!columns.iter().any(|c| c == "topic"), "{columns:?}");
    // Agreeing submits the topic given with the request.
    let done = ask(&chat, &person, "はい").await;
    assert!(done.text.contains("#1"), "{}", done.text);
    let topic: String = sqlx::query_scalar("SELECT topic FROM consultations WHERE id = 1")
        .fetch_one(chat.pool())
        .await
        .unwrap();
    assert_eq!(topic, "母の介護のことで悩んでいます");
}

#[tokio::test]
async fn a_request_in_english_stays_english_when_the_button_is_pressed() {
    let chat = demo_chat().await;
    let person = Person::citizen("932", "Gina");
    let notice = ask(
        &chat,
        &person,
        "/consult Where can I get help in Portuguese?",
    )
    .await;
    assert!(notice.text.contains("advisor"), "{}", notice.text);
    let done = chat
        .handle(&press_in(&person, Place::Direct, "kyodo:consent:yes"))
        .await;
    assert!(done.text.contains("registered as #1"), "{}", done.text);
    let language: String = sqlx::query_scalar("SELECT language FROM consultations WHERE id = 1")
        .fetch_one(chat.pool())
        .await
        .unwrap();
    assert_eq!(language, "en");
}

#[tokio::test]
async fn the_same_request_twice_is_the_same_consultation() {
    let chat = demo_chat().await;
    let person = Person::citizen("933", "Hana");
    ask(&chat, &person, "/consult 子ども食堂を始めたい").await;
    ask(&chat, &person, "はい").await;
    ask(&chat, &person, "/consult 子ども食堂を始めたい").await;
    let again = ask(&chat, &person, "はい").await;
    assert!(again.text.contains("#1"), "{}", again.text);
    assert_eq!(count(&chat, "SELECT COUNT(*) FROM consultations").await, 1);
}

#[tokio::test]
async fn the_open_limit_is_said_before_the_notice() {
    let chat = demo_chat().await;
    let person = Person::citizen("934", "Iku");
    for topic in [
        "子ども食堂を始めたい",
        "空き家を活用したい",
        "防災訓練をしたい",
    ] {
        ask(&chat, &person, &format!("/consult {topic}")).await;
        ask(&chat, &person, "はい").await;
    }
    let fourth = ask(&chat, &person, "/consult 書道教室を開きたい").await;
    assert!(fourth.buttons.is_empty(), "no notice to agree to");
    assert!(fourth.text.contains("3件"), "{}", fourth.text);
}

#[tokio::test]
async fn a_request_in_one_place_is_not_answered_by_words_said_in_another() {
    let chat = demo_chat().await;
    let person = Person::citizen("935", "Jun");
    ask(&chat, &person, "/consult").await;
    ask(&chat, &person, "はい").await; // now waiting for the topic, in the DMs
    let channel = Incoming {
        person: person.clone(),
        place: Place::Channel("555".into()),
        content: Content::Text("子ども食堂".into()),
    };
    let searched = chat.handle(&channel).await;
    assert!(!searched.text.contains("#1"), "{}", searched.text);
    assert_eq!(count(&chat, "SELECT COUNT(*) FROM consultations").await, 0);
    let topic = ask(&chat, &person, "子ども食堂を始めたい").await;
    assert!(topic.text.contains("#1"), "{}", topic.text);
}

#[tokio::test]
async fn help_shows_each_person_the_commands_they_may_run() {
    let chat = demo_chat().await;
    let citizen = ask(&chat, &Person::citizen("940", "Ken"), "/help").await;
    let mut advisor = Person::citizen("920000000000000001", "Kaori");
    advisor.advisor_id = Some("A01".into());
    let advisor = ask(&chat, &advisor, "/help").await;
    let mut coordinator = Person::citizen("941", "Ren");
    coordinator.roles = vec![kyodo::chat::Role::Coordinator];
    let coordinator = ask(&chat, &coordinator, "/help").await;
    assert!(citizen.text.contains("/consult") && !citizen.text.contains("/accept"));
    assert!(!citizen.text.contains("/assign"), "{}", citizen.text);
    assert!(advisor.text.contains("/accept") && advisor.text.contains("/resolve"));
    assert!(!advisor.text.contains("/assign"), "{}", advisor.text);
    assert!(coordinator.text.contains("/assign"), "{}", coordinator.text);
}

#[tokio::test]
async fn an_actions_history_is_answered_privately_even_in_a_channel() {
    let chat = demo_chat().await;
    let mut staff = Person::citizen("942", "Sho");
    staff.roles = vec![kyodo::chat::Role::Staff];
    ask(&chat, &staff, "/progress 10 実施中 相談窓口の案内を始めた").await;
    let in_channel = Incoming {
        person: Person::citizen("943", "Tomo"),
        place: Place::Channel("600".into()),
        content: Content::Text("/progress 10".into()),
    };
    let history = chat.handle(&in_channel).await;
    assert!(
        history.text.contains("相談窓口の案内を始めた"),
        "{}",
        history.text
    );
    assert!(history.private, "staff notes are never posted in a channel");
}
