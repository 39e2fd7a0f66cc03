//! Japanese text cut into terms: the longest word the directory knows (where the dictionary
//! finds a content word), typo fixes where an unknown stretch begins, and unknown text in pieces
//! searched by reading and by meaning.

use super::lexicon::Lexicon;
use super::pieces;
use super::query::{Term, Via, MAX_ALTERNATIVES};
use super::terms::{alternative, expand, term, WEAK};
use super::vocabulary::Vocabulary;
use crate::text::{script_of, Script};

/// Terms of one run of Japanese text (`shown` as typed, `folded` with katakana as hiragana),
/// appended to `terms` in order.
pub(super) fn japanese_terms(
    shown: &[char],
    folded: &[char],
    kana_only: bool,
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    let content = content_spans(shown, kana_only, vocabulary);
    let mut unknown_from: Option<usize> = None;
    let mut at = 0;
    while at < folded.len() {
        let known = vocabulary
            .longest_at(folded, at)
            .filter(|&len| is_content(shown, at, len, content.as_deref()))
            .map(|len| {
                let word: String = folded[at..at + len].iter().collect();
                (len, word, Via::Exact)
            });
        let found = known.or_else(|| {
            // Only where an unknown stretch begins: inside one, it is a different word.
            if unknown_from.is_some() {
                return None;
            }
            vocabulary
                .correction_at(folded, shown, at)
                .map(|(len, word)| (len, word, Via::Typo))
        });
        match found {
            Some((len, word, via)) => {
                if let Some(from) = unknown_from.take() {
                    unknown_terms(
                        shown, folded, from, at, kana_only, lexicon, vocabulary, terms,
                    );
                }
                if !lexicon.ja_stopwords.contains(&word) {
                    let folded_typed: String = folded[at..at + len].iter().collect();
                    let mut alternatives = expand(&word, via, lexicon);
                    if via == Via::Typo {
                        alternatives.push(alternative(folded_typed.clone(), Via::Exact));
                    }
                    let written: String = shown[at..at + len].iter().collect();
                    for part in compound_parts(&written, vocabulary) {
                        if alternatives.len() < MAX_ALTERNATIVES
                            && !alternatives.iter().any(|a| a.text == part)
                        {
                            let mut alt = alternative(part, Via::Related);
                            alt.weight = PART;
                            alternatives.push(alt);
                        }
                    }
                    let weight = if lexicon.weak.contains(&folded_typed) {
                        WEAK
                    } else {
                        1.0
                    };
                    let mut found =
                        term(shown[at..at + len].iter().collect(), weight, alternatives);
                    found.whom = vocabulary.names_whom(&word);
                    terms.push(found);
                }
                at += len;
            }
            None => {
                unknown_from.get_or_insert(at);
                at += 1;
            }
        }
    }
    if let Some(from) = unknown_from {
        unknown_terms(
            shown,
            folded,
            from,
            folded.len(),
            kana_only,
            lexicon,
            vocabulary,
            terms,
        );
    }
}

/// Char spans of the sentence's content words by the dictionary (`None`: no dictionary, or a
/// kana-only query, whose words the dictionary cannot place).
fn content_spans(
    shown: &[char],
    kana_only: bool,
    vocabulary: &Vocabulary,
) -> Option<Vec<(usize, usize)>> {
    let analyzer = vocabulary.analyzer.filter(|_| !kana_only)?;
    let text: String = shown.iter().collect();
    Some(
        analyzer
            .words_of_normalised(&text)
            .into_iter()
            .filter(|w| w.kind != crate::morph::Kind::Function)
            .map(|w| (w.start, w.end))
            .collect(),
    )
}

/// A known word spelled in hiragana inside a sentence is a word only where the dictionary
/// finds content words (ままで, ことも are grammar, not ママ or 子ども).
fn is_content(shown: &[char], at: usize, len: usize, content: Option<&[(usize, usize)]>) -> bool {
    let Some(content) = content else {
        return true;
    };
    if !shown[at..at + len]
        .iter()
        .all(|&c| script_of(c) == Script::Hiragana)
    {
        return true;
    }
    let starts = content.iter().any(|&(s, _)| s == at);
    let ends = content.iter().any(|&(_, e)| e == at + len);
    starts && ends
}

/// How near a one-letter word's neighbours in meaning must be (犬 → ペット, not 母 → 父親).
const SINGLE_LETTER_SIMILARITY: f32 = 0.65;

/// Weight of one part of a compound word found without the rest (プログラミング of
/// プログラミング教室): under the bar on its own, a help beside other words.
const PART: f32 = 0.45;

/// The nouns a compound word is made of (プログラミング|教室), normalised, when it has several.
fn compound_parts(written: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let Some(analyzer) = vocabulary.analyzer else {
        return Vec::new();
    };
    let nouns: Vec<String> = analyzer
        .words(written)
        .into_iter()
        .filter(|w| w.kind == crate::morph::Kind::Noun && w.surface.chars().count() >= 2)
        .map(|w| crate::text::normalize(&w.surface))
        .collect();
    if nouns.len() >= 2 {
        nouns
    } else {
        Vec::new()
    }
}

/// Unknown text `[from, to)` cut into pieces (see [`pieces`]); each is searched as written,
/// as the directory words it reads like (kana, IME slips), and as a one-edit typo of a known
/// word (a run ending here may be read together with the known text before it).
#[allow(clippy::too_many_arguments)]
fn unknown_terms(
    shown: &[char],
    folded: &[char],
    from: usize,
    to: usize,
    kana_only: bool,
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    terms: &mut Vec<Term>,
) {
    // A verb counts when the lexicon knows it as a need, or the directory has its noun form
    // (いじめられて → いじめ).
    let knows = |base: &str| {
        let normal = crate::text::normalize(base);
        if lexicon.related.contains_key(&normal) || lexicon.variants.contains_key(&normal) {
            return Some(base.to_string());
        }
        pieces::noun_forms(&normal)
            .into_iter()
            .find(|noun| vocabulary.contains(noun))
    };
    for piece in pieces::pieces(shown, from, to, kana_only, vocabulary.analyzer, knows) {
        let (start, end) = (piece.start, piece.end);
        let word: String = match &piece.base {
            Some(base) => crate::text::normalize(base),
            None => folded[start..end].iter().collect(),
        };
        if lexicon.ja_stopwords.contains(&word) {
            continue;
        }
        let chars = end - start;
        let mut context = false;
        let mut alternatives = expand(&word, Via::Exact, lexicon);
        let mut add = |text: String, via: Via| {
            if alternatives.len() < MAX_ALTERNATIVES && !alternatives.iter().any(|a| a.text == text)
            {
                alternatives.push(alternative(text, via));
            }
        };
        if piece.base.is_none() && !vocabulary.contains(&word) {
            let typed: String = shown[start..end].iter().collect();
            let read_as = match vocabulary.analyzer {
                Some(analyzer) if piece.written => {
                    vocabulary.readings.for_written(analyzer, &typed)
                }
                _ => vocabulary.readings.for_kana(&word),
            };
            // Kana is the same word spelled by sound; kanji that only read alike are a slip.
            let via = if piece.written {
                Via::Typo
            } else {
                Via::Variant
            };
            let found_by_reading = !read_as.is_empty();
            for found in read_as {
                add(found, via);
            }
            // Worded as a situation the directory never uses: the activities nearest in meaning.
            // A word nearest to whom groups serve (祖父 → 父親) says who is in the situation,
            // not what is sought: it counts for little, and brings no neighbours.
            if !found_by_reading {
                let near = vocabulary.neighbours(&typed).unwrap_or_default();
                if near.first().is_some_and(|n| n.serves) {
                    context = true;
                } else {
                    // A one-letter word (犬, 母) is vaguer: only its very near neighbours.
                    let min = if chars >= 2 {
                        0.0
                    } else {
                        SINGLE_LETTER_SIMILARITY
                    };
                    for n in near.into_iter().filter(|n| n.similarity >= min) {
                        add(n.word, Via::Similar);
                    }
                }
            }
        }
        if chars >= 2 && piece.written {
            if let Some((_, fixed)) = vocabulary.correction_ending_at(folded, shown, start, end) {
                add(fixed, Via::Typo);
            }
        }
        let weight = if lexicon.weak.contains(&word) || context {
            piece.weight * WEAK
        } else {
            piece.weight
        };
        let mut found = term(shown[start..end].iter().collect(), weight, alternatives);
        found.whom = vocabulary.names_whom(&word);
        terms.push(found);
    }
}
