//! `kyodo find`: the search from the command line, as text or one JSON object per query.

use std::io::BufRead;

use serde::Serialize;

use super::{lexicon, open_store, prompts, Failure};
use crate::chat::describe_reasons;
use crate::config::Config;
use crate::directory::search::{Hit, SearchOptions, Searcher};
use crate::lang::Lang;
use crate::prompts::Prompts;

pub struct FindArgs {
    pub json: bool,
    pub limit: usize,
    pub area: Option<String>,
    pub recruiting: bool,
    pub query: Vec<String>,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    name: &'a str,
    score: f64,
    why: String,
}

#[derive(Serialize)]
struct JsonAnswer<'a> {
    query: &'a str,
    results: Vec<JsonHit<'a>>,
    suggestions: Vec<JsonHit<'a>>,
    /// The district named, when no result is in it (the results are from elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    none_in_area: Option<&'a str>,
}

pub async fn run(config: &Config, args: FindArgs) -> Result<(), Failure> {
    if !(1..=100).contains(&args.limit) {
        return Err(Failure::new(format!(
            "--limit {}: must be 1 to 100",
            args.limit
        )));
    }
    let pool = open_store(config).await?;
    let lexicon = lexicon(config)?;
    // The index built here is stored for the next `find`, except in a running bot's database.
    let production = crate::db::meta::production_since(&pool)
        .await
        .map_err(Failure::new)?
        .is_some();
    let (searcher, _) = crate::registry::search_index::searcher(&pool, lexicon, !production)
        .await
        .map_err(Failure::new)?;
    if searcher.is_empty() {
        eprintln!(
            "kyodo: the directory is empty; load groups with `kyodo import organizations FILE`"
        );
    }
    let prompts = prompts(config)?;
    let options = SearchOptions {
        limit: args.limit,
        area: args.area.clone(),
        recruiting_only: args.recruiting,
    };
    let answer = |query: &str| -> Result<(), Failure> {
        let lang = Lang::detect(query).unwrap_or(config.default_language);
        let outcome = searcher.search(query, &options);
        let text = if args.json {
            let hits = |hits: &[Hit]| -> Vec<JsonHit> {
                hits.iter()
                    .map(|hit| {
                        let org = searcher.group(hit);
                        JsonHit {
                            id: org.id(),
                            name: org.name(),
                            score: (f64::from(hit.score) * 1000.0).round() / 1000.0,
                            why: describe_reasons(&hit.reasons, &prompts, lang),
                        }
                    })
                    .collect()
            };
            let answer = JsonAnswer {
                query,
                results: hits(&outcome.results),
                suggestions: hits(&outcome.suggestions),
                none_in_area: outcome.area.as_deref().filter(|_| outcome.none_in_area),
            };
            serde_json::to_string(&answer).map_err(Failure::new)?
        } else {
            human(
                &searcher,
                &prompts,
                lang,
                query,
                &outcome.results,
                &outcome.suggestions,
            )
        };
        super::emit(&text)
    };
    if args.query.len() == 1 && args.query[0] == "-" {
        let mut stdin = std::io::stdin().lock();
        let mut bytes = Vec::new();
        loop {
            bytes.clear();
            let read = stdin
                .read_until(b'\n', &mut bytes)
                .map_err(|e| Failure::new(format!("stdin: {e}")))?;
            if read == 0 {
                break;
            }
            let line = crate::input::input_line(&bytes);
            answer(&line)?;
        }
        Ok(())
    } else {
        answer(&args.query.join(" "))
    }
}

fn human(
    searcher: &Searcher,
    prompts: &Prompts,
    lang: Lang,
    query: &str,
    results: &[Hit],
    suggestions: &[Hit],
) -> String {
    let mut out = String::new();
    if results.is_empty() {
        out.push_str(&prompts.fill(lang, "search.none", &[("query", query)]));
    }
    for (rank, hit) in results.iter().enumerate() {
        let org = searcher.group(hit);
        out.push_str(&format!(
            "{}. {} {} [{}] {:.2}\n   {}\n",
            rank + 1,
            org.id(),
            org.name(),
            org.area(),
            hit.score,
            describe_reasons(&hit.reasons, prompts, lang)
        ));
    }
    if !suggestions.is_empty() {
        out.push_str(&format!("\n{}\n", prompts.get(lang, "search.suggestions")));
        for hit in suggestions {
            let org = searcher.group(hit);
            out.push_str(&format!(
                "   {} {} [{}] {:.2}\n",
                org.id(),
                org.name(),
                org.area(),
                hit.score
            ));
        }
    }
    out.trim_end().to_string()
}
