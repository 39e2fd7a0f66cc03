//! The search a plain fuzzy matcher gives: the whole query against each group's whole text.
//! Kept as the baseline the real pipeline is measured against (evaluation and benchmark).

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::directory::organization::Organization;
use crate::text::normalize;

pub struct FuzzyScan {
    texts: Vec<String>,
    matcher: SkimMatcherV2,
}

impl FuzzyScan {
    pub fn new(orgs: &[Organization]) -> FuzzyScan {
        FuzzyScan {
            texts: orgs
                .iter()
                .map(|o| {
                    normalize(&format!(
                        "{} {} {} {}",
                        o.name,
                        o.keywords.join(" "),
                        o.description,
                        o.description_en
                    ))
                })
                .collect(),
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// Positions of the best `limit` groups, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let query = normalize(query);
        let mut scored: Vec<(i64, usize)> = self
            .texts
            .iter()
            .enumerate()
            .filter_map(|(i, text)| self.matcher.fuzzy_match(text, &query).map(|s| (s, i)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit).map(|(_, i)| i).collect()
    }
}
