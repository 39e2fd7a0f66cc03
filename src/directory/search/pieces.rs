//! Where the words are in text the vocabulary does not know: content words by the
//! morphological dictionary (nouns joined into compounds, verbs by their base form), or, without
//! it, runs of one script.

use crate::morph::{Analyzer, Kind};
use crate::text::{script_of, Script};

/// Longer runs of one script are cut into pieces this long: no word is longer.
pub const MAX_PIECE_CHARS: usize = 16;
const PARTICLES: &[char] = &['の', 'を', 'に', 'で', 'が', 'は', 'と', 'も', 'や', 'へ'];

/// A stretch `[start, end)` of the query (char positions) to search for.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub weight: f32,
    /// Dictionary form when it differs from the text (a verb: 困っ → 困る).
    pub base: Option<String>,
    /// Has kanji or katakana (can be a slip or a word written in another script).
    pub written: bool,
}

/// The pieces of `shown[from..to]` (normalised, katakana kept). In a sentence, only content
/// words count; a kana-only query keeps its kana words whole. `knows_verb` gives, for a verb's
/// base form, the form the search knows it by (itself, a need it answers, or its noun form:
/// いじめる → いじめ), or `None` when it means nothing to the search.
pub fn pieces(
    shown: &[char],
    from: usize,
    to: usize,
    kana_only: bool,
    analyzer: Option<&Analyzer>,
    knows_verb: impl Fn(&str) -> Option<String>,
) -> Vec<Piece> {
    match analyzer {
        Some(analyzer) if !kana_only => by_dictionary(shown, from, to, analyzer, knows_verb),
        _ => by_script(shown, from, to, kana_only),
    }
}

fn written(chars: &[char]) -> bool {
    chars
        .iter()
        .any(|&c| matches!(script_of(c), Script::Kanji | Script::Katakana))
}

fn by_dictionary(
    shown: &[char],
    from: usize,
    to: usize,
    analyzer: &Analyzer,
    knows_verb: impl Fn(&str) -> Option<String>,
) -> Vec<Piece> {
    let text: String = shown[from..to].iter().collect();
    let words = analyzer.words_of_normalised(&text);
    let mut out: Vec<Piece> = Vec::new();
    let mut compound: Option<(usize, usize, bool)> = None;
    let flush = |compound: &mut Option<(usize, usize, bool)>, out: &mut Vec<Piece>| {
        if let Some((start, end, has_noun)) = compound.take() {
            let chars = &shown[from + start..from + end];
            // A lone kana letter the dictionary could not place is noise, not a word.
            let lone_kana = end - start == 1 && !written(chars);
            if has_noun && !lone_kana {
                let end = end.min(start + MAX_PIECE_CHARS);
                out.push(Piece {
                    start: from + start,
                    end: from + end,
                    weight: if end - start >= 2 { 1.0 } else { 0.5 },
                    base: None,
                    written: written(chars),
                });
            }
        }
    };
    for word in &words {
        match word.kind {
            Kind::Noun | Kind::Affix if !word.surface.trim().is_empty() => {
                let noun = word.kind == Kind::Noun;
                compound = Some(match compound {
                    Some((start, end, has)) if end == word.start => (start, word.end, has || noun),
                    Some(_) => {
                        flush(&mut compound, &mut out);
                        (word.start, word.end, noun)
                    }
                    None => (word.start, word.end, noun),
                });
            }
            Kind::Verb | Kind::Adjective => {
                flush(&mut compound, &mut out);
                if let Some(known) = knows_verb(&word.base) {
                    out.push(Piece {
                        start: from + word.start,
                        end: from + word.end,
                        weight: 1.0,
                        base: (known != word.surface).then_some(known),
                        written: false,
                    });
                }
            }
            _ => flush(&mut compound, &mut out),
        }
    }
    flush(&mut compound, &mut out);
    out
}

/// The noun a verb's base form makes (its 連用形: いじめる → いじめ, 見守る → 見守り), each
/// way it may conjugate, for the caller to keep the one it knows. Empty for other endings.
pub fn noun_forms(base: &str) -> Vec<String> {
    const GODAN: &[(char, char)] = &[
        ('う', 'い'),
        ('く', 'き'),
        ('ぐ', 'ぎ'),
        ('す', 'し'),
        ('つ', 'ち'),
        ('ぬ', 'に'),
        ('ぶ', 'び'),
        ('む', 'み'),
        ('る', 'り'),
    ];
    let mut chars: Vec<char> = base.chars().collect();
    let Some(last) = chars.pop() else {
        return Vec::new();
    };
    if chars.is_empty() {
        return Vec::new();
    }
    let stem: String = chars.iter().collect();
    let mut forms = Vec::new();
    // Ichidan (いじめる, 支える): the stem alone.
    if last == 'る' {
        forms.push(stem.clone());
    }
    if let Some(&(_, i)) = GODAN.iter().find(|(u, _)| *u == last) {
        forms.push(format!("{stem}{i}"));
    }
    forms
}

/// Split where the script changes (before kana folding, so katakana words stay apart from the
/// hiragana around them). In a sentence, hiragana runs are grammar and a lone kanji before kana
/// is a verb stem (話せなくて); a kana-only query keeps its words.
fn by_script(shown: &[char], from: usize, to: usize, kana_only: bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = from;
    while start < to {
        let script = script_of(shown[start]);
        let mut end = start + 1;
        while end < to && script_of(shown[end]) == script {
            end += 1;
        }
        let end = end.min(start + MAX_PIECE_CHARS);
        let chars = end - start;
        let next = shown.get(end).copied();
        let verb_stem =
            next.is_some_and(|c| script_of(c) == Script::Hiragana && !PARTICLES.contains(&c));
        let weight = match script {
            Script::Kanji if chars == 1 && verb_stem => None,
            Script::Kanji if chars == 1 => Some(0.5),
            Script::Kanji => Some(1.0),
            Script::Katakana if chars >= 2 => Some(1.0),
            Script::Hiragana if kana_only && chars >= 2 => Some(1.0),
            Script::Latin if chars >= 2 => Some(1.0),
            _ => None,
        };
        if let Some(weight) = weight {
            out.push(Piece {
                start,
                end,
                weight,
                base: None,
                written: matches!(script, Script::Kanji | Script::Katakana),
            });
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, dictionary: bool) -> Vec<String> {
        let shown: Vec<char> = crate::text::normalize_keep_kana(text).chars().collect();
        let analyzer = if dictionary {
            crate::morph::analyzer()
        } else {
            None
        };
        pieces(&shown, 0, shown.len(), false, analyzer, |v| {
            (v == "困る").then(|| v.to_string())
        })
        .iter()
        .map(|p| {
            p.base
                .clone()
                .unwrap_or_else(|| shown[p.start..p.end].iter().collect())
        })
        .collect()
    }

    #[test]
    fn content_words_of_a_sentence() {
        assert_eq!(
            texts("母が一人暮らしで物忘れもあって困っています", true),
            vec!["母", "一人暮らし", "物忘れ", "困る"]
        );
    }

    #[test]
    fn nouns_next_to_each_other_are_one_word() {
        assert_eq!(texts("水槽楽団に入りたい", true), vec!["水槽楽団"]);
    }

    #[test]
    fn a_verb_gives_its_noun_forms() {
        assert_eq!(noun_forms("いじめる"), vec!["いじめ", "いじめり"]);
        assert_eq!(noun_forms("見守る"), vec!["見守", "見守り"]);
        assert_eq!(noun_forms("支え合う"), vec!["支え合い"]);
        assert!(noun_forms("る").is_empty());
    }

    #[test]
    fn without_the_dictionary_scripts_cut() {
        assert_eq!(texts("ボッチャの体験", false), vec!["ボッチャ", "体験"]);
    }
}
