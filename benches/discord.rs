//! DM → reply time through the real serenity client and the strict fake Discord on loopback,
//! against serenity's own floor measured in the same run, in alternating blocks of DMs: the same
//! client and fake, a handler that answers every DM with a constant reply and does no kyodo work.
//! Then a burst: 5,000 DMs from 500 users at once, every one answered, none twice.
//! Run: `cargo bench --bench discord`. The last line is JSON:
//! `{"messages":…,"median_ms":…,"p99_ms":…,"floor_median_ms":…,"floor_p99_ms":…}`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serenity::all::{Context, CreateMessage, EventHandler, Message};
use serenity::async_trait;
use support::fake_discord::{dm, dm_channel_for, FakeDiscord, TOKEN};

const MESSAGES: usize = 1000;
/// DMs timed in a row before the other side takes its turn.
const BLOCK: usize = 100;
const BURST_USERS: u64 = 500;
const BURST_PER_USER: u64 = 10;
const CHANNEL: &str = "1300000000000000002";
/// Asked in turn: after the first round each is a question asked before, answered from the
/// searcher's recent outcomes (`directory/search/recent.rs`) as a repeated question is in use.
/// The search itself, every time worked out, is timed apart below.
const QUERIES: [&str; 5] = [
    "子ども食堂",
    "ゴミ拾いに参加したい",
    "find a group teaching Japanese",
    "見守り",
    "合唱",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// serenity's floor: every DM answered with the same short text, nothing else.
struct Constant;

#[async_trait]
impl EventHandler for Constant {
    async fn message(&self, ctx: Context, message: Message) {
        if message.author.bot {
            return;
        }
        let reply = CreateMessage::new().content("見つかりました");
        let _ = message.channel_id.send_message(&ctx.http, reply).await;
    }
}

/// DMs `from..from + count`, one after another, each timed from its dispatch to its reply's
/// arrival at the fake; the times are added to `latencies`.
async fn sequential(fake: &FakeDiscord, from: usize, count: usize, latencies: &mut Vec<Duration>) {
    let path = format!("/channels/{CHANNEL}/messages");
    let to_channel = |c: &support::fake_discord::RestCall| c.path == path;
    for i in from..from + count {
        // Only the calls after this one's mark are read: a long run does not rescan the rest.
        let mark = fake.calls_so_far();
        let sent = Instant::now();
        fake.dispatch(
            "MESSAGE_CREATE",
            dm(
                10_000 + i as u64,
                CHANNEL,
                "1400000000000000001",
                QUERIES[i % QUERIES.len()],
            ),
        );
        fake.wait_until("the reply", Duration::from_secs(10), |f| {
            f.first_since(mark, to_channel).is_some()
        })
        .await;
        let replied = fake.first_since(mark, to_channel).expect("reply");
        latencies.push(replied - sent);
    }
}

/// serenity's floor: its own client against its own fake, running beside kyodo's.
struct Floor {
    fake: FakeDiscord,
    shards: std::sync::Arc<serenity::all::ShardManager>,
    task: tokio::task::JoinHandle<serenity::Result<()>>,
}

impl Floor {
    async fn start() -> Floor {
        let fake = FakeDiscord::start().await;
        let http = kyodo::discord::http(TOKEN, Some(&fake.rest_url));
        let mut client =
            serenity::client::ClientBuilder::new_with_http(http, kyodo::discord::intents())
                .event_handler(Constant)
                .await
                .expect("floor client");
        let shards = client.shard_manager.clone();
        let task = tokio::spawn(async move { client.start().await });
        fake.wait_until("the floor client", Duration::from_secs(10), |f| {
            f.identifies() == 1
        })
        .await;
        Floor { fake, shards, task }
    }

    async fn stop(self) {
        self.shards.shutdown_all().await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.task).await;
    }
}

/// 5,000 DMs from 500 users dispatched at once: (replies per user channel, latencies).
async fn burst(fake: &FakeDiscord) -> (HashMap<String, usize>, Vec<Duration>) {
    let users: Vec<String> = (0..BURST_USERS)
        .map(|u| (1_400_000_000_000_100_000 + u).to_string())
        .collect();
    let start = fake.count(|_| true);
    let mut sent_at: HashMap<String, Vec<Instant>> = HashMap::new();
    for round in 0..BURST_PER_USER {
        for (u, user) in users.iter().enumerate() {
            let channel = dm_channel_for(user);
            sent_at
                .entry(channel.clone())
                .or_default()
                .push(Instant::now());
            let id = 100_000 + round * BURST_USERS + u as u64;
            fake.dispatch(
                "MESSAGE_CREATE",
                dm(id, &channel, user, QUERIES[(id as usize) % QUERIES.len()]),
            );
        }
    }
    let total = (BURST_USERS * BURST_PER_USER) as usize;
    let posted = |c: &support::fake_discord::RestCall| {
        c.method == "POST" && c.path.ends_with("/messages") && c.status == 200
    };
    let already = fake.count(posted);
    let deadline = Instant::now() + Duration::from_secs(120);
    while fake.count(posted) < already + total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Member look-ups of DM senders who are not in the guild answer 404, as they should.
    let failed = fake.count(|c| c.status >= 300 && !c.path.contains("/members/"));
    if failed > 0 {
        eprintln!("burst: {failed} REST calls failed");
    }
    // A moment for any duplicate to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut replies: HashMap<String, Vec<Instant>> = HashMap::new();
    for call in &fake.calls()[start..] {
        if call.method == "POST" && call.status == 200 {
            if let Some(channel) = call
                .path
                .strip_prefix("/channels/")
                .and_then(|p| p.strip_suffix("/messages"))
            {
                replies
                    .entry(channel.to_string())
                    .or_default()
                    .push(call.at);
            }
        }
    }
    // Replies in a channel are paired with its DMs in order.
    let mut latencies = Vec::new();
    for (channel, sent) in &sent_at {
        for (s, r) in sent.iter().zip(replies.get(channel).into_iter().flatten()) {
            latencies.push(r.saturating_duration_since(*s));
        }
    }
    latencies.sort();
    let counts = replies.into_iter().map(|(c, r)| (c, r.len())).collect();
    (counts, latencies)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let serenity = Floor::start().await;
        let running = support::start_bot(FakeDiscord::start().await, None).await;
        // The two take turns, a block each, so a slow spell of the machine falls on both.
        let (mut floor, mut kyodo) = (Vec::new(), Vec::new());
        for from in (0..MESSAGES).step_by(BLOCK) {
            sequential(&serenity.fake, from, BLOCK, &mut floor).await;
            sequential(&running.fake, from, BLOCK, &mut kyodo).await;
        }
        serenity.stop().await;
        floor.sort();
        kyodo.sort();
        let (median, p99) = (percentile(&kyodo, 0.5), percentile(&kyodo, 0.99));
        let (floor_median, floor_p99) = (percentile(&floor, 0.5), percentile(&floor, 0.99));
        println!("DM → reply over loopback, {MESSAGES} messages each (real serenity client, strict fake Discord)");
        println!(
            "serenity floor: median {:.2} ms  p99 {:.2} ms",
            ms(floor_median),
            ms(floor_p99)
        );
        println!(
            "kyodo:          median {:.2} ms  p99 {:.2} ms  ({:.2}× / {:.2}× the floor)",
            ms(median),
            ms(p99),
            ms(median) / ms(floor_median),
            ms(p99) / ms(floor_p99)
        );
        // Where kyodo's time goes: the chat core alone (no Discord), the same messages.
        let mut core = Vec::with_capacity(MESSAGES);
        for i in 0..MESSAGES {
            let incoming = kyodo::chat::Incoming {
                person: kyodo::chat::Person::citizen("1400000000000000001", "citizen"),
                place: kyodo::chat::Place::Direct,
                content: kyodo::chat::Content::Text(QUERIES[i % QUERIES.len()].into()),
            };
            let started = Instant::now();
            let _ = running.chat.handle(&incoming).await;
            core.push(started.elapsed());
        }
        core.sort();
        println!(
            "kyodo's chat core alone (no Discord): median {:.2} ms  p99 {:.2} ms",
            ms(percentile(&core, 0.5)),
            ms(percentile(&core, 0.99))
        );
        // Of which: the check for an import made elsewhere, and the search itself.
        let (mut check, mut search) = (Vec::new(), Vec::new());
        let options = kyodo::directory::search::SearchOptions::default();
        for i in 0..MESSAGES {
            let started = Instant::now();
            let _ = running.chat.refresh_directory().await;
            check.push(started.elapsed());
            let started = Instant::now();
            let _ = running.chat.searcher().search(QUERIES[i % QUERIES.len()], &options);
            search.push(started.elapsed());
        }
        check.sort();
        search.sort();
        println!(
            "  of which the directory check: median {:.3} ms  p99 {:.3} ms; the search: median {:.3} ms  p99 {:.3} ms",
            ms(percentile(&check, 0.5)),
            ms(percentile(&check, 0.99)),
            ms(percentile(&search, 0.5)),
            ms(percentile(&search, 0.99))
        );
        let (counts, burst) = burst(&running.fake).await;
        running.stop().await;
        let expected = BURST_USERS as usize;
        let answered: usize = counts
            .iter()
            .filter(|(c, _)| c.as_str() != CHANNEL)
            .map(|(_, n)| *n)
            .sum();
        let exact = counts
            .iter()
            .filter(|(c, n)| c.as_str() != CHANNEL && **n == BURST_PER_USER as usize)
            .count();
        println!(
            "burst: {} DMs from {BURST_USERS} users: {answered} answered, {exact}/{expected} users answered exactly {BURST_PER_USER} times; p50 {:.1} ms  p99 {:.1} ms",
            BURST_USERS * BURST_PER_USER,
            ms(percentile(&burst, 0.5)),
            ms(percentile(&burst, 0.99))
        );
        println!(
            "{{\"messages\":{MESSAGES},\"median_ms\":{:.3},\"p99_ms\":{:.3},\"floor_median_ms\":{:.3},\"floor_p99_ms\":{:.3}}}",
            ms(median),
            ms(p99),
            ms(floor_median),
            ms(floor_p99)
        );
        // A DM lost or answered twice in the burst is a failure, whatever the timings.
        if answered != (BURST_USERS * BURST_PER_USER) as usize || exact != expected {
            std::process::exit(1);
        }
    });
}
