//! English → Japanese from JMdict (EDRDG, CC BY-SA 4.0; resources/jmdict-en.tsv.zst, built by
//! scripts/build-english.py): for an English word the hand table (lexicon/english.toml) lacks,
//! the Japanese words the directory itself uses among the word's dictionary translations.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use super::vocabulary::Vocabulary;
use crate::text::normalize;

static GLOSSES: &[u8] = include_bytes!("../../../resources/jmdict-en.tsv.zst");
/// Most directory words one English word brings.
const MAX_TRANSLATIONS: usize = 4;

fn glosses() -> &'static HashMap<String, Vec<String>> {
    static TABLE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        let unpacked = ruzstd::decoding::StreamingDecoder::new(GLOSSES)
            .map_err(|e| e.to_string())
            .and_then(|mut d| d.read_to_string(&mut text).map_err(|e| e.to_string()));
        if let Err(error) = unpacked {
            tracing::error!(%error, "the English dictionary does not unpack");
        }
        text.lines()
            .filter_map(|line| {
                let (gloss, words) = line.split_once('\t')?;
                Some((
                    gloss.to_string(),
                    words.split(';').map(normalize).collect::<Vec<_>>(),
                ))
            })
            .collect()
    })
}

/// Loads the table now (at index build) rather than during someone's first English query.
pub fn warm() {
    glosses();
}

/// Japanese words of the directory (normalised) that translate `english` (lower case, one to
/// three words), dictionary's common senses first.
pub fn translate(english: &str, vocabulary: &Vocabulary) -> Vec<String> {
    glosses()
        .get(english)
        .into_iter()
        .flatten()
        .filter(|w| vocabulary.contains(w))
        .take(MAX_TRANSLATIONS)
        .cloned()
        .collect()
}

/// Whether JMdict gives the English word only as loanwords (basketball → バスケット,
/// バスケットボール; not cafeteria → カフェテリア, 食堂): a named thing, so when the directory's
/// words do not translate it, an activity the directory lacks rather than noise.
pub fn names_something_else(english: &str) -> bool {
    let loanword = |w: &String| {
        w.chars().count() >= 3 && w.chars().all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー')
    };
    glosses()
        .get(english)
        .is_some_and(|words| !words.is_empty() && words.iter().take(2).all(loanword))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_directorys_own_words_come_back() {
        let mut v = Vocabulary::default();
        for w in ["ラグビー", "災害", "囲碁"] {
            v.insert(&normalize(w));
        }
        assert_eq!(translate("rugby", &v), vec![normalize("ラグビー")]);
        assert_eq!(translate("disaster", &v), vec!["災害"]);
        assert!(translate("choir", &v).is_empty());
    }
}
