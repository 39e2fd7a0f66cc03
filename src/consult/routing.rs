//! The routing policy, in one place: who is offered a consultation, and why.
//!
//! Candidates are active, available advisors who serve the route, speak the requester's
//! language, have fewer open consultations (and open offers) than their capacity, and have not
//! been asked about this consultation before. They are ranked by how well their fields and
//! specialties fit the topic, then by lower load, then by who was offered something least
//! recently. The reason for the choice is written into the audit trail.

use crate::directory::fields::field_name;
use crate::directory::search::query::{Query, Term};
use crate::directory::search::{Lexicon, LexiconParts};
use crate::lang::Lang;
use crate::text::normalize;

use super::advisor::{self, Advisor, Serves};
use super::model::Route;
use crate::db;

/// The policy's knobs (`[consult.routing]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    /// Only advisors who speak the requester's language are offered it.
    pub require_language: bool,
    /// Open offers count towards an advisor's load (not only accepted cases).
    pub count_open_offers: bool,
    /// Advisors fitting the topic less than this are not offered it (0: anyone may be).
    pub min_fit: f32,
    /// When no advisor fits the topic at all, nobody is offered it: the coordinators triage it
    /// (false: it goes to the least-loaded advisor, as when fits tie).
    pub triage_when_nothing_fits: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            require_language: true,
            count_open_offers: true,
            min_fit: 0.0,
            triage_when_nothing_fits: true,
        }
    }
}

/// An advisor as routing sees them right now.
#[derive(Debug, Clone)]
pub struct Standing {
    pub advisor: Advisor,
    pub available: bool,
    /// Open consultations assigned to them.
    pub assigned: u32,
    /// Open offers waiting for their answer.
    pub offered: u32,
    /// When they were last offered anything (None: never).
    pub last_offered_at: Option<i64>,
    /// Already asked about this consultation.
    pub already_asked: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub advisor_id: String,
    pub fit: f32,
    /// Ids and figures only (it goes into the audit trail): never the topic.
    pub reason: String,
}

/// Every advisor as routing sees them now, for `consultation`: availability and workload
/// read from the store (what counts as load is decided in `rank`).
pub async fn standings(
    conn: &mut sqlx::SqliteConnection,
    consultation: i64,
) -> Result<Vec<Standing>, sqlx::Error> {
    let advisors = advisor::load_all(conn).await?;
    let workloads = db::advisors::workloads(conn, consultation).await?;
    Ok(advisors
        .into_iter()
        .filter_map(|advisor| {
            let w = workloads.iter().find(|w| w.advisor_id == advisor.id)?;
            Some(Standing {
                available: w.available,
                assigned: w.assigned.max(0) as u32,
                offered: w.open_offers.max(0) as u32,
                last_offered_at: w.last_offered_at,
                already_asked: w.already_asked,
                advisor,
            })
        })
        .collect())
}

fn serves(advisor: &Advisor, route: Route) -> bool {
    matches!(
        (advisor.serves, route),
        (Serves::Both, _) | (Serves::Citizen, Route::Citizen) | (Serves::Staff, Route::Staff)
    )
}

/// Languages a topic may name ("in Portuguese", 「ポルトガル語で」) → the code advisors list
/// (ISO 639-1, as in advisors.csv's `languages`).
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("英語", "en"),
    ("portuguese", "pt"),
    ("ポルトガル語", "pt"),
    ("spanish", "es"),
    ("スペイン語", "es"),
    ("chinese", "zh"),
    ("中国語", "zh"),
    ("korean", "ko"),
    ("韓国語", "ko"),
    ("vietnamese", "vi"),
    ("ベトナム語", "vi"),
    ("tagalog", "tl"),
    ("タガログ語", "tl"),
    ("filipino", "tl"),
    ("nepali", "ne"),
    ("ネパール語", "ne"),
    ("indonesian", "id"),
    ("インドネシア語", "id"),
    ("thai", "th"),
    ("タイ語", "th"),
    ("french", "fr"),
    ("フランス語", "fr"),
];
/// A language the topic asks for counts like this many topic words (it decides who can help).
const LANGUAGE_WEIGHT: f32 = 2.0;
/// Nearer than this in meaning (word vectors) a topic word fits a specialty partly.
const MIN_SIMILARITY: f32 = 0.6;

/// The language a topic term names, if any.
fn named_language(term: &Term) -> Option<&'static str> {
    let typed = normalize(&term.typed);
    LANGUAGE_NAMES
        .iter()
        .find(|(name, _)| {
            let name = normalize(name);
            typed == name
                || typed.starts_with(&name)
                    && typed[name.len()..]
                        .chars()
                        .all(|c| !c.is_alphanumeric() || c == 'で')
                || typed.ends_with(&format!(" {name}"))
        })
        .map(|(_, code)| *code)
}

/// The built-in English → Japanese table, so a specialty written in English (sports) fits a
/// Japanese topic (スポーツ) as well.
fn english() -> &'static std::collections::HashMap<String, Vec<String>> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let parts = LexiconParts {
            variants: false,
            english: true,
            phrases: false,
            dictionary: false,
            semantic: false,
        };
        Lexicon::builtin(parts)
            .map(|l| l.english)
            .unwrap_or_default()
    })
}

/// What an advisor is known for, normalised, and as written (for word vectors).
fn known_words(advisor: &Advisor) -> Vec<(String, String)> {
    let mut known: Vec<(String, String)> = Vec::new();
    for specialty in &advisor.specialties {
        let normal = normalize(specialty);
        for japanese in english().get(&normal).into_iter().flatten() {
            known.push((japanese.clone(), japanese.clone()));
        }
        known.push((normal, specialty.clone()));
    }
    for &no in &advisor.fields {
        for lang in Lang::ALL {
            if let Some(name) = field_name(no, lang) {
                for part in name.split(['・', ' ']) {
                    known.push((normalize(part), part.to_string()));
                }
            }
        }
    }
    known
}

/// How well one topic term fits one advisor by its words, 0 to 1: the term (or a reading of it
/// the search found: variant, related activity, translation) is a specialty, part of one, or
/// shares its head word; a language the term names fits whoever speaks it.
fn term_fit(term: &Term, advisor: &Advisor, known: &[(String, String)]) -> f32 {
    if let Some(code) = named_language(term) {
        return if advisor.languages.iter().any(|l| l == code) {
            1.0
        } else {
            0.0
        };
    }
    let mut best = 0f32;
    for alt in &term.alternatives {
        let chars = alt.text.chars().count();
        for (k, _) in known {
            let quality = if *k == alt.text {
                1.0
            } else if chars >= 2 && alt.text.contains(k.as_str()) {
                0.9
            } else if chars >= 2 && k.contains(&alt.text) {
                // Part of a longer specialty (相談 in 外国人相談): the more of it, the better.
                0.3 + 0.6 * chars as f32 / k.chars().count() as f32
            } else {
                // The same head word (障がいのある人, 障がい者支援).
                let shared = alt
                    .text
                    .chars()
                    .zip(k.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                if shared >= 2 && !alt.latin {
                    0.2 + 0.5 * shared as f32 / k.chars().count() as f32
                } else {
                    0.0
                }
            };
            best = best.max(quality * alt.weight);
        }
    }
    best
}

/// How near in meaning (word vectors) a topic term, or a Japanese reading of it, comes to what
/// an advisor is known for, 0 to 0.5: the fallback for a term that fits nobody by its words.
fn semantic_fit(term: &Term, known: &[(String, String)]) -> f32 {
    let Some(vectors) = crate::vectors::vectors() else {
        return 0.0;
    };
    let analyzer = crate::morph::analyzer();
    let readings = std::iter::once(term.typed.as_str()).chain(
        term.alternatives
            .iter()
            .filter(|a| !a.latin)
            .map(|a| a.text.as_str())
            .take(4),
    );
    let mut best = 0f32;
    for reading in readings {
        let Some(v) = vectors.embed(analyzer, reading) else {
            continue;
        };
        for (_, written) in known {
            if let Some(w) = vectors.embed(analyzer, written) {
                let c = crate::vectors::cosine(&v, &w);
                if c >= MIN_SIMILARITY {
                    best = best.max(0.5 * c);
                }
            }
        }
    }
    best
}

/// How well each advisor fits the topic, as the search understood it: per topic term, the best
/// fit to what the advisor is known for, a term fitting fewer of the advisors counting more
/// (a word every advisor shares tells them apart no better than none). Returns, per advisor, the
/// fit and how many of the topic's terms matched.
fn fits(advisors: &[&Advisor], topic: &Query) -> Vec<(f32, usize)> {
    let known: Vec<Vec<(String, String)>> = advisors.iter().map(|a| known_words(a)).collect();
    let mut table: Vec<Vec<f32>> = advisors
        .iter()
        .zip(&known)
        .map(|(a, k)| topic.terms.iter().map(|t| term_fit(t, a, k)).collect())
        .collect();
    for (t, term) in topic.terms.iter().enumerate() {
        if named_language(term).is_none() && table.iter().all(|row| row[t] < 0.5) {
            for (row, k) in table.iter_mut().zip(&known) {
                row[t] = row[t].max(semantic_fit(term, k));
            }
        }
    }
    let n = advisors.len() as f32;
    let rarity: Vec<f32> = (0..topic.terms.len())
        .map(|t| {
            // Counted by the clear fits only: a loose one should not make a word look common.
            let fitting = table.iter().filter(|row| row[t] >= 0.5).count() as f32;
            1.0 + ((n + 1.0) / (fitting + 1.0)).ln()
        })
        .collect();
    table
        .iter()
        .map(|row| {
            let mut score = 0.0;
            let mut matched = 0;
            for (t, term) in topic.terms.iter().enumerate() {
                if row[t] > 0.0 {
                    matched += 1;
                    let weight = if named_language(term).is_some() {
                        LANGUAGE_WEIGHT
                    } else {
                        term.weight
                    };
                    score += row[t] * weight * rarity[t];
                }
            }
            (score, matched)
        })
        .collect()
}

/// What an offer tells the advisor the consultation is about: their own fields and specialties
/// that the topic touches, as labels in `lang` (never the topic's words). Empty when none do.
pub fn matched_labels(advisor: &Advisor, topic: &Query, lang: Lang) -> Vec<String> {
    let touches = |label: &str| {
        let known = normalize(label);
        topic.terms.iter().any(|term| {
            term.alternatives.iter().any(|alt| {
                known.contains(&alt.text)
                    || (alt.text.chars().count() >= 2 && alt.text.contains(known.as_str()))
            })
        })
    };
    let mut labels: Vec<String> = Vec::new();
    for &no in &advisor.fields {
        let both = Lang::ALL.iter().filter_map(|l| field_name(no, *l));
        if both.clone().any(touches) {
            if let Some(name) = field_name(no, lang) {
                labels.push(name.to_string());
            }
        }
    }
    labels.extend(advisor.specialties.iter().filter(|s| touches(s)).cloned());
    labels
}

/// The advisors to offer the consultation to, best first.
pub fn rank(
    standings: &[Standing],
    route: Route,
    language: Lang,
    topic: &Query,
    knobs: &Knobs,
) -> Vec<Choice> {
    let load = |s: &Standing| {
        s.assigned
            + if knobs.count_open_offers {
                s.offered
            } else {
                0
            }
    };
    // Those already asked are kept until fits are known: a topic that fitted someone who then
    // declined still moves on to the others.
    let candidates: Vec<&Standing> = standings
        .iter()
        .filter(|s| s.advisor.active && s.available)
        .filter(|s| serves(&s.advisor, route))
        .filter(|s| {
            !knobs.require_language || s.advisor.languages.iter().any(|l| l == language.code())
        })
        .collect();
    let advisors: Vec<&Advisor> = candidates.iter().map(|s| &s.advisor).collect();
    let scored: Vec<(&Standing, f32, usize)> = candidates
        .iter()
        .zip(fits(&advisors, topic))
        .map(|(s, (score, matched))| (*s, score, matched))
        .collect();
    // Nobody fits at all: the coordinators triage it rather than whoever sorts first.
    if knobs.triage_when_nothing_fits
        && !topic.terms.is_empty()
        && scored.iter().all(|(_, score, _)| *score <= 0.0)
    {
        return Vec::new();
    }
    let mut eligible: Vec<(&Standing, f32, usize)> = scored
        .into_iter()
        .filter(|(s, _, _)| !s.already_asked && load(s) < s.advisor.capacity)
        .filter(|(_, score, _)| *score >= knobs.min_fit)
        .collect();
    eligible.sort_by(|(a, fa, _), (b, fb, _)| {
        fb.total_cmp(fa)
            .then(load(a).cmp(&load(b)))
            // Never offered comes first, then the longest ago.
            .then(
                a.last_offered_at
                    .unwrap_or(i64::MIN)
                    .cmp(&b.last_offered_at.unwrap_or(i64::MIN)),
            )
            .then(a.advisor.id.cmp(&b.advisor.id))
    });
    eligible
        .into_iter()
        .map(|(s, score, matched)| Choice {
            advisor_id: s.advisor.id.clone(),
            fit: score,
            reason: format!(
                "{}: fit {score:.2} ({matched} of {} topic terms), load {}/{}, last offered {}",
                s.advisor.id,
                topic.terms.len(),
                load(s),
                s.advisor.capacity,
                s.last_offered_at
                    .map_or("never".to_string(), |t| format!("at {t}"))
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::search::{Lexicon, LexiconParts, Searcher};

    fn advisor(
        id: &str,
        serves: Serves,
        fields: &[u8],
        specialties: &[&str],
        languages: &[&str],
        capacity: u32,
    ) -> Advisor {
        Advisor {
            id: id.into(),
            name: id.into(),
            chat_user_id: format!("9{id}"),
            serves,
            fields: fields.to_vec(),
            specialties: specialties.iter().map(|s| s.to_string()).collect(),
            languages: languages.iter().map(|s| s.to_string()).collect(),
            capacity,
            active: true,
        }
    }

    fn standing(advisor: Advisor, load: u32, last: Option<i64>) -> Standing {
        Standing {
            advisor,
            available: true,
            assigned: load,
            offered: 0,
            last_offered_at: last,
            already_asked: false,
        }
    }

    fn topic(text: &str) -> Query {
        Searcher::new(Vec::new(), Lexicon::builtin(LexiconParts::ALL).unwrap()).understand(text)
    }

    fn ids(choices: &[Choice]) -> Vec<&str> {
        choices.iter().map(|c| c.advisor_id.as_str()).collect()
    }

    #[test]
    fn the_best_fit_comes_first() {
        let standings = vec![
            standing(
                advisor(
                    "A01",
                    Serves::Citizen,
                    &[13],
                    &["子ども食堂", "学習支援"],
                    &["ja"],
                    5,
                ),
                2,
                None,
            ),
            standing(
                advisor(
                    "A03",
                    Serves::Citizen,
                    &[1],
                    &["見守り", "高齢者福祉"],
                    &["ja"],
                    5,
                ),
                0,
                None,
            ),
        ];
        let choices = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("一人暮らしの母の見守りについて相談したい"),
            &Knobs::default(),
        );
        assert_eq!(ids(&choices), vec!["A03", "A01"]);
        assert!(choices[0].reason.starts_with("A03: fit"));
        assert!(
            !choices[0].reason.contains("見守り"),
            "no topic text in the audit reason"
        );
    }

    #[test]
    fn route_language_capacity_availability_and_repeats_filter() {
        let mut asked = standing(
            advisor("A05", Serves::Both, &[13], &["子ども食堂"], &["ja"], 5),
            0,
            None,
        );
        asked.already_asked = true;
        let mut away = standing(
            advisor("A06", Serves::Both, &[13], &["子ども食堂"], &["ja"], 5),
            0,
            None,
        );
        away.available = false;
        let standings = vec![
            standing(
                advisor("A01", Serves::Staff, &[13], &["子ども食堂"], &["ja"], 5),
                0,
                None,
            ),
            standing(
                advisor("A02", Serves::Citizen, &[13], &["子ども食堂"], &["en"], 5),
                0,
                None,
            ),
            standing(
                advisor("A03", Serves::Citizen, &[13], &["子ども食堂"], &["ja"], 2),
                2,
                None,
            ),
            standing(
                advisor("A04", Serves::Both, &[3], &[], &["ja", "en"], 3),
                1,
                None,
            ),
            asked,
            away,
        ];
        let choices = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &Knobs::default(),
        );
        assert_eq!(
            ids(&choices),
            vec!["A04"],
            "staff-only, English-only, full, asked and away are out"
        );
    }

    #[test]
    fn the_knobs_relax_language_and_load_or_demand_a_fit() {
        let mut busy = standing(
            advisor("A02", Serves::Citizen, &[13], &["子ども食堂"], &["en"], 1),
            0,
            None,
        );
        busy.offered = 1;
        let standings = vec![
            busy,
            standing(
                advisor("A03", Serves::Citizen, &[1], &["見守り"], &["ja"], 5),
                0,
                None,
            ),
        ];
        let anyone = Knobs {
            triage_when_nothing_fits: false,
            ..Knobs::default()
        };
        let strict = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("子ども食堂"),
            &anyone,
        );
        assert_eq!(
            ids(&strict),
            vec!["A03"],
            "A02 speaks no Japanese and has an open offer filling its capacity"
        );
        assert!(
            rank(
                &standings,
                Route::Citizen,
                Lang::Ja,
                &topic("子ども食堂"),
                &Knobs::default()
            )
            .is_empty(),
            "A03 does not fit at all: by default the coordinators triage it"
        );
        let relaxed = Knobs {
            require_language: false,
            count_open_offers: false,
            min_fit: 0.0,
            triage_when_nothing_fits: true,
        };
        assert_eq!(
            ids(&rank(
                &standings,
                Route::Citizen,
                Lang::Ja,
                &topic("子ども食堂"),
                &relaxed
            )),
            vec!["A02", "A03"]
        );
        let demanding = Knobs {
            min_fit: 0.5,
            ..relaxed
        };
        assert_eq!(
            ids(&rank(
                &standings,
                Route::Citizen,
                Lang::Ja,
                &topic("子ども食堂"),
                &demanding
            )),
            vec!["A02"]
        );
    }

    #[test]
    fn equal_fit_goes_to_lower_load_then_longest_unoffered() {
        let standings = vec![
            standing(
                advisor("A01", Serves::Citizen, &[7], &[], &["ja"], 5),
                1,
                Some(100),
            ),
            standing(
                advisor("A02", Serves::Citizen, &[7], &[], &["ja"], 5),
                0,
                Some(500),
            ),
            standing(
                advisor("A03", Serves::Citizen, &[7], &[], &["ja"], 5),
                0,
                Some(200),
            ),
            standing(
                advisor("A04", Serves::Citizen, &[7], &[], &["ja"], 5),
                0,
                None,
            ),
        ];
        let anyone = Knobs {
            triage_when_nothing_fits: false,
            ..Knobs::default()
        };
        let choices = rank(
            &standings,
            Route::Citizen,
            Lang::Ja,
            &topic("相談"),
            &anyone,
        );
        assert_eq!(ids(&choices), vec!["A04", "A03", "A02", "A01"]);
    }

    #[test]
    fn a_language_named_in_the_topic_is_a_need_for_whoever_speaks_it() {
        let standings = vec![
            standing(
                advisor("A01", Serves::Citizen, &[13], &["子育て支援"], &["ja"], 5),
                0,
                None,
            ),
            standing(
                advisor("A05", Serves::Citizen, &[11], &["通訳"], &["ja", "pt"], 5),
                3,
                None,
            ),
        ];
        for text in ["ポルトガル語で子育ての相談がしたい", "help in Portuguese"] {
            let language = if text.is_ascii() { Lang::En } else { Lang::Ja };
            let relaxed = Knobs {
                require_language: false,
                ..Knobs::default()
            };
            let choices = rank(&standings, Route::Citizen, language, &topic(text), &relaxed);
            assert_eq!(ids(&choices).first(), Some(&"A05"), "{text}");
        }
    }
}
