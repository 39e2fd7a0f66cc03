//! Search latency at 1k, 10k and 100k groups, against SQLite FTS5 (trigram tokenizer) and a
//! plain fuzzy-matcher scan over the same directory and queries, in the same run.
//! Directories are built deterministically from the sample directory's vocabulary (the copy
//! the tests carry, tests/data/sample). Then a fresh `kyodo find` process on a 100,000-group
//! database file: the time to its first answer. "rss MB" is the growth from before the groups
//! handed to the searcher were made, so it includes them (the searcher keeps them, compactly);
//! "groups MB" is those `Organization`s' own size. Run: `cargo bench --bench search`.

use std::time::{Duration, Instant};

#[path = "../tests/sample/mod.rs"]
mod sample;

use kyodo::directory::organization::Organization;
use kyodo::directory::search::baseline::FuzzyScan;
use kyodo::directory::search::{Lexicon, LexiconParts, SearchOptions, Searcher};
use kyodo::text::normalize;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const QUERIES: &[&str] = &[
    "子ども食堂",
    "手話",
    "防犯パトロール",
    "フードバンク",
    "一人暮らしのお年寄りを見守る活動をしているグループを教えてください",
    "海や川でゴミ拾いのボランティアをしてみたい",
    "ぼっちゃ",
    "にんちしょうかふぇ",
    "さとやま",
    "お年寄りの体操教室",
    "スマートフォン教室 シニア",
    "読み聞かせボランテア",
    "男の料理教質",
    "日本語がまだあまり話せなくて、市役所や病院で困っています",
    "空き家になった実家を地域のために活かせないか考えています",
    "港町の海岸清掃",
    "北野で子どもの登下校を見守るボランティア",
    "I want to study Japanese. Are there any classes I can join?",
    "Is there a choir I could join?",
    "I just got binoculars and want to start birding.",
    "まるっと",
    "かまどの家",
    "テニスを一緒にできるサークルはありますか",
    "保護猫の譲渡会をしている団体",
    "find a group teaching Japanese",
    "beach cleanup",
    "防災",
    "合唱",
    "介護者の会",
    "プログラミング教室",
];

fn source() -> Vec<Organization> {
    sample::sample_organizations()
}

/// `n` groups recombined from the source: names, keywords and sentences of different groups.
fn synthetic(source: &[Organization], n: usize) -> Vec<Organization> {
    let mut rng = Rng(0x5EED_0000_0000_0001 ^ n as u64);
    let sentences: Vec<&str> = source
        .iter()
        .flat_map(|o| o.description.split_inclusive('。'))
        .collect();
    let areas: Vec<&str> = source.iter().map(|o| o.area.as_str()).collect();
    (0..n)
        .map(|i| {
            let base = rng.pick(source).clone();
            let other = rng.pick(source);
            let mut keywords = base.keywords.clone();
            keywords.push(rng.pick(&other.keywords).clone());
            Organization {
                id: format!("S{i:06}"),
                name: format!("{} {}", base.name, rng.pick(&areas)),
                keywords,
                description: format!("{}{}", rng.pick(&sentences), rng.pick(&sentences)),
                area: rng.pick(&areas).to_string(),
                ..base
            }
        })
        .collect()
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let at = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[at].as_secs_f64() * 1000.0
}

struct Row {
    n: usize,
    p50: f64,
    p99: f64,
    fts5_p50: f64,
    fts5_p99: f64,
    scan_p50: f64,
    scan_p99: f64,
    build_ms: f64,
    rss_mb: f64,
    groups_mb: f64,
}

/// FTS5 over the same texts: each word of three or more characters as a phrase, OR-ed.
async fn fts5_latencies(orgs: &[Organization], queries: &[&str], rounds: usize) -> Vec<Duration> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .in_memory(true)
        .connect()
        .await
        .expect("sqlite");
    sqlx::query(
        "CREATE VIRTUAL TABLE docs USING fts5(name, keywords, description, tokenize = 'trigram')",
    )
    .execute(&mut conn)
    .await
    .expect("FTS5 with the trigram tokenizer");
    let mut tx = conn.begin().await.expect("tx");
    for org in orgs {
        sqlx::query("INSERT INTO docs (name, keywords, description) VALUES (?1, ?2, ?3)")
            .bind(normalize(&org.name))
            .bind(normalize(&org.keywords.join(" ")))
            .bind(normalize(&format!(
                "{} {}",
                org.description, org.description_en
            )))
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for query in queries {
            let phrases: Vec<String> = normalize(query)
                .split(' ')
                .filter(|w| w.chars().count() >= 3)
                .map(|w| format!("\"{}\"", w.replace('"', "")))
                .collect();
            let start = Instant::now();
            if !phrases.is_empty() {
                let _: Vec<(i64,)> = sqlx::query_as(
                    "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10",
                )
                .bind(phrases.join(" OR "))
                .fetch_all(&mut conn)
                .await
                .expect("FTS5 query");
            }
            samples.push(start.elapsed());
        }
    }
    samples
}

/// A fresh `kyodo find --json -` process on a database `kyodo import organizations` filled with
/// `orgs`: seconds from its start to its first answer and its resident memory then (MB), for
/// the first find after the import and a second, later one.
fn fresh_find(orgs: &[Organization]) -> Vec<(f64, f64)> {
    use std::io::{BufRead, Write};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("kyodo.db");
    // Imported as an office does it (`kyodo import organizations`), a process of its own.
    let csv = dir.path().join("bench.csv");
    std::fs::write(&csv, kyodo::registry::organizations_csv(orgs).expect("csv")).expect("csv");
    let imported = Command::new(env!("CARGO_BIN_EXE_kyodo"))
        .arg("--db")
        .arg(&db)
        .args(["import", "organizations"])
        .arg(&csv)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("kyodo import");
    assert!(imported.success(), "kyodo import organizations failed");
    (0..2)
        .map(|_| {
            let started = Instant::now();
            let mut child = Command::new(env!("CARGO_BIN_EXE_kyodo"))
                .arg("--db")
                .arg(&db)
                .args(["find", "--json", "-"])
                .current_dir(dir.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("kyodo find");
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "{}", QUERIES[0]).expect("query");
            let mut first = String::new();
            std::io::BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut first)
                .expect("answer");
            let seconds = started.elapsed().as_secs_f64();
            assert!(
                first.contains("\"results\""),
                "kyodo find answered: {first}"
            );
            let status =
                std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
            let rss = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0);
            drop(stdin);
            child.wait().expect("kyodo find exits");
            (seconds, rss)
        })
        .collect()
}

fn main() {
    let source = source();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut rows = Vec::new();
    for n in [1_000, 10_000, 100_000] {
        let orgs = synthetic(&source, n);
        let before = rss_mb();
        // The searcher keeps the groups it is given (in its own form): the growth counts them
        // from their making; their size as handed over, apart.
        let copy = orgs.clone();
        let groups_mb = rss_mb() - before;
        let started = Instant::now();
        let searcher = Searcher::new(copy, Lexicon::builtin(LexiconParts::ALL).expect("lexicon"));
        let build_ms = started.elapsed().as_secs_f64() * 1000.0;
        let rss = rss_mb() - before;
        let options = SearchOptions {
            limit: 10,
            ..SearchOptions::default()
        };
        let rounds = 5;
        let mut ours = Vec::new();
        let mut slowest = vec![Duration::ZERO; QUERIES.len()];
        for _ in 0..rounds {
            for (q, query) in QUERIES.iter().enumerate() {
                let start = Instant::now();
                std::hint::black_box(searcher.search(query, &options));
                ours.push(start.elapsed());
                slowest[q] = slowest[q].max(start.elapsed());
            }
        }
        drop(searcher);
        if n == 100_000 {
            let mut by_time: Vec<(Duration, &str)> =
                slowest.into_iter().zip(QUERIES.iter().copied()).collect();
            by_time.sort_by(|a, b| b.cmp(a));
            for (time, query) in by_time.iter().take(3) {
                println!(
                    "slowest at {n}: {:.3} ms {query}",
                    time.as_secs_f64() * 1000.0
                );
            }
        }
        let mut fts5 = runtime.block_on(fts5_latencies(&orgs, QUERIES, rounds));
        // A whole-directory scan per query is slow at 100k: fewer rounds there.
        let scan = FuzzyScan::new(&orgs);
        let scan_queries = if n >= 100_000 {
            &QUERIES[..10]
        } else {
            QUERIES
        };
        let mut scanned = Vec::new();
        for _ in 0..(if n >= 100_000 { 1 } else { rounds }) {
            for query in scan_queries {
                let start = Instant::now();
                std::hint::black_box(scan.search(query, 10));
                scanned.push(start.elapsed());
            }
        }
        rows.push(Row {
            n,
            p50: percentile(&mut ours, 0.5),
            p99: percentile(&mut ours, 0.99),
            fts5_p50: percentile(&mut fts5, 0.5),
            fts5_p99: percentile(&mut fts5, 0.99),
            scan_p50: percentile(&mut scanned, 0.5),
            scan_p99: percentile(&mut scanned, 0.99),
            build_ms,
            rss_mb: rss,
            groups_mb,
        });
    }
    println!(
        "search latency per query, {} queries × rounds (ms); one core",
        QUERIES.len()
    );
    println!(
        "{:>7} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9} {:>10} {:>8} {:>10} {:>12} {:>12}",
        "groups",
        "p50",
        "p99",
        "fts5 p50",
        "fts5 p99",
        "scan p50",
        "scan p99",
        "build ms",
        "rss MB",
        "groups MB",
        "p99/fts5",
        "p99/scan"
    );
    for r in &rows {
        println!(
            "{:>7} {:>8.3} {:>8.3} {:>9.3} {:>9.3} {:>9.2} {:>9.2} {:>10.0} {:>8.0} {:>10.0} {:>12.2} {:>12.4}",
            r.n, r.p50, r.p99, r.fts5_p50, r.fts5_p99, r.scan_p50, r.scan_p99, r.build_ms, r.rss_mb, r.groups_mb, r.p99 / r.fts5_p99, r.p99 / r.scan_p99
        );
    }
    if let Some(r) = rows.last() {
        println!(
            "{{\"n\":{},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"fts5_p99_ms\":{:.3},\"scan_p99_ms\":{:.3},\"build_ms\":{:.0},\"rss_mb\":{:.0},\"groups_mb\":{:.0}}}",
            r.n, r.p50, r.p99, r.fts5_p99, r.scan_p99, r.build_ms, r.rss_mb, r.groups_mb
        );
    }
    // Last, so its import does not leave freed memory the in-process build above would reuse.
    let runs = fresh_find(&synthetic(&source, 100_000));
    for (i, (seconds, rss)) in runs.iter().enumerate() {
        println!(
            "kyodo find, fresh process {} on 100000 groups: first answer {:.2} s (bar 1.5 s, ratio {:.2}), rss {:.0} MB",
            i + 1,
            seconds,
            seconds / 1.5,
            rss
        );
    }
}
