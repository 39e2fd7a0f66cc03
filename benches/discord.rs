//! DM → reply time through the real serenity client and the fake Discord on loopback:
//! 1,000 messages one after another, each timed from the gateway dispatch to the reply's POST.
//! Run: `cargo bench --bench discord`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::fake_discord::{dm, FakeDiscord};

const MESSAGES: usize = 1000;
const CHANNEL: &str = "1300000000000000002";
const QUERIES: [&str; 5] = [
    "子ども食堂",
    "ゴミ拾いに参加したい",
    "find a group teaching Japanese",
    "見守り",
    "合唱",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let running = support::start_bot(FakeDiscord::start().await, None).await;
        let path = format!("/channels/{CHANNEL}/messages");
        let mut latencies = Vec::with_capacity(MESSAGES);
        for i in 0..MESSAGES {
            let sent = Instant::now();
            running.fake.dispatch(
                "MESSAGE_CREATE",
                dm(
                    10_000 + i as u64,
                    CHANNEL,
                    "1400000000000000001",
                    QUERIES[i % QUERIES.len()],
                ),
            );
            running
                .fake
                .wait_until("the reply", Duration::from_secs(10), |f| {
                    f.calls().iter().filter(|c| c.path == path).count() > i
                })
                .await;
            let replied = running
                .fake
                .calls()
                .iter()
                .filter(|c| c.path == path)
                .nth(i)
                .map(|c| c.at)
                .expect("reply");
            latencies.push(replied - sent);
        }
        running.stop().await;
        latencies.sort();
        let median = percentile(&latencies, 0.5);
        let p99 = percentile(&latencies, 0.99);
        println!(
            "DM → reply over loopback, {MESSAGES} messages (real serenity client, fake Discord)"
        );
        println!(
            "median {:.2} ms   p99 {:.2} ms   max {:.2} ms",
            ms(median),
            ms(p99),
            ms(latencies[latencies.len() - 1])
        );
        println!(
            "{{\"messages\":{MESSAGES},\"median_ms\":{:.3},\"p99_ms\":{:.3}}}",
            ms(median),
            ms(p99)
        );
    });
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
