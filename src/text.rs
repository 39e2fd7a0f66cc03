//! Text normalisation shared by search and routing: one form for comparing what people type
//! with what the registry says (NFKC width folding, kanji variants, lowercase, katakana →
//! hiragana).

use unicode_normalization::UnicodeNormalization;

#[path = "text_variants.rs"]
mod variants;

/// The usual form of a kanji written in an old or variant shape (髙 → 高, 邊 → 辺, 﨑 → 崎), from
/// the generated table in `text_variants.rs` (Unihan and KANJIDIC2; see its script).
pub fn usual_kanji(c: char) -> char {
    match variants::VARIANTS.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(at) => variants::VARIANTS[at].1,
        Err(_) => c,
    }
}

/// Characters that separate words in either language; folded to one ASCII space.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '、' | '。'
                | '・'
                | '，'
                | '．'
                | ','
                | '.'
                | '!'
                | '?'
                | '！'
                | '？'
                | ';'
                | ':'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '('
                | ')'
                | '['
                | ']'
                | '【'
                | '】'
                | '"'
                | '“'
                | '”'
                | '/'
                | '／'
                | '〜'
                | '~'
                | '…'
                | '♪'
                | '★'
                | '☆'
                | '※'
                | '|'
                | '#'
                | '*'
                | '+'
                | '='
        )
}

/// The comparable form: NFKC, kanji variants in their usual form, lowercase, katakana as
/// hiragana, separators as single spaces.
pub fn normalize(text: &str) -> String {
    fold(text, true)
}

/// Like [`normalize`] but keeping katakana, so words can still be split by script.
/// Folding kana afterwards char by char gives exactly [`normalize`]'s output.
pub fn normalize_keep_kana(text: &str) -> String {
    fold(text, false)
}

fn fold(text: &str, kana: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut chars = text.nfkc().peekable();
    while let Some(c) = chars.next() {
        // A large ケ between kanji is the place-name ヶ (梅ケ谷 = 梅ヶ谷).
        let c = if c == 'ケ'
            && out
                .chars()
                .next_back()
                .is_some_and(|p| script_of(p) == Script::Kanji)
            && chars.peek().is_some_and(|&n| script_of(n) == Script::Kanji)
        {
            'ヶ'
        } else {
            c
        };
        if is_separator(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for lower in usual_kanji(c).to_lowercase() {
            out.push(if kana {
                katakana_to_hiragana(lower)
            } else {
                lower
            });
        }
    }
    out
}

/// A reading key for kana comparison: normalised, without spaces or the long-vowel mark,
/// small kana as their full-size letters (キャ and キヤ read alike when typed loosely).
pub fn reading_key(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| !matches!(c, ' ' | 'ー' | '-'))
        .map(fold_small_kana)
        .collect()
}

/// ァ..ヴ map onto ぁ..ゔ by a fixed offset in Unicode; ー and ヷ..ヺ have no hiragana twin,
/// and ヵ/ヶ are kept: in place names (緑ヶ丘) they are read as part of the kanji word.
pub fn katakana_to_hiragana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F4}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

fn fold_small_kana(c: char) -> char {
    match c {
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'っ' => 'つ',
        'ゃ' => 'や',
        'ゅ' => 'ゆ',
        'ょ' => 'よ',
        'ゎ' => 'わ',
        'ゕ' => 'か',
        'ゖ' => 'け',
        _ => c,
    }
}

/// The writing system of one (normalised) character, used to split unknown text into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Latin,
    Digit,
    Other,
}

pub fn script_of(c: char) -> Script {
    match c {
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        // The long-vowel mark belongs to whatever kana word it lengthens.
        'ー' => Script::Katakana,
        // ヶ in place names (緑ヶ丘) is read as part of the kanji word.
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | 'ヶ' => Script::Kanji,
        '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
            Script::Katakana
        }
        // Compatibility ideographs and the extension planes (𠮷) are kanji too.
        '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}' => Script::Kanji,
        '0'..='9' => Script::Digit,
        c if c.is_alphabetic() && (c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)) => {
            Script::Latin
        }
        _ => Script::Other,
    }
}

/// Kana or kanji: a character only Japanese text uses.
pub fn is_japanese_char(c: char) -> bool {
    matches!(
        script_of(c),
        Script::Kanji | Script::Hiragana | Script::Katakana
    )
}

/// Splits text into `;`-separated items, trimmed, empty ones dropped (registry list columns).
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([';', '；'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// Cuts `text` to at most `max` characters, never inside a character.
pub fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_and_kana_fold_to_one_form() {
        assert_eq!(normalize("ＮＰＯの会計"), "npoの会計");
        assert_eq!(normalize("ボッチャ"), "ぼっちゃ");
        assert_eq!(normalize("ｶﾌｪ"), "かふぇ");
        assert_eq!(normalize("Find  a Group"), "find a group");
    }

    #[test]
    fn kanji_variants_fold_to_their_usual_form() {
        assert_eq!(normalize("髙島町内会"), normalize("高島町内会"));
        assert_eq!(normalize("﨑 邊 澤 濱"), "崎 辺 沢 浜");
        // Usual forms stay as they are.
        assert_eq!(normalize("高崎 辺 沢 浜 学"), "高崎 辺 沢 浜 学");
    }

    #[test]
    fn place_name_ke_is_not_folded_to_kana() {
        assert_eq!(normalize("緑ヶ丘"), "緑ヶ丘");
        assert_eq!(normalize("梅ケ谷"), "梅ヶ谷");
        assert_eq!(normalize("ケーキ"), "けーき");
        assert_eq!(normalize("桜ヶ丘 ボランティア"), "桜ヶ丘 ぼらんてぃあ");
    }

    #[test]
    fn long_vowel_mark_survives_normalisation() {
        assert_eq!(normalize("ボランティアセンター"), "ぼらんてぃあせんたー");
    }

    #[test]
    fn separators_become_single_spaces_and_ends_are_trimmed() {
        assert_eq!(normalize("  子ども、食堂・見守り。 "), "子ども 食堂 見守り");
        assert_eq!(normalize("a\u{0007}b"), "a b");
    }

    #[test]
    fn reading_key_ignores_long_vowels_and_small_kana() {
        assert_eq!(reading_key("センター"), reading_key("せんた"));
        assert_eq!(reading_key("キャンプ"), "きやんぷ");
    }

    #[test]
    fn scripts_are_told_apart() {
        assert_eq!(script_of('子'), Script::Kanji);
        assert_eq!(script_of('ど'), Script::Hiragana);
        assert_eq!(script_of('カ'), Script::Katakana);
        assert_eq!(script_of('ー'), Script::Katakana);
        assert_eq!(script_of('a'), Script::Latin);
        assert_eq!(script_of('7'), Script::Digit);
        assert_eq!(script_of('🙂'), Script::Other);
        assert_eq!(script_of('ﾃ'), Script::Katakana);
        assert_eq!(script_of('𠮷'), Script::Kanji);
    }

    #[test]
    fn lists_split_on_either_semicolon() {
        assert_eq!(split_list("a; b；;c "), vec!["a", "b", "c"]);
        assert!(split_list(" ; ").is_empty());
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_chars("子ども食堂", 2), "子ど");
        assert_eq!(truncate_chars("ab", 5), "ab");
    }
}
