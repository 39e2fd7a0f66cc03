//! The console transport: the same conversation as Discord, in a terminal, one person at a
//! time. `/as ROLE [ID]` switches who is speaking, `/press ID` presses a button. Messages the
//! bot sends to other people (an advisor's offer, a coordinators' post) are shown as they are
//! delivered. Without a terminal it reads a script, one line at a time.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::chat::{Chat, Content, Incoming, Person, Place, Reply, Role};
use crate::consult::advisor;
use crate::lang::Lang;
use crate::outbox::Target;
use crate::worker::{DeliverError, Deliverer, Sent, Worker};

/// Renders a reply as plain text: the message, cards indented, buttons as `/press` lines.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    for mention in &reply.mentions {
        out.push_str(&match mention {
            crate::outbox::Mention::Role(id) => format!("@role:{id} "),
            crate::outbox::Mention::User(id) => format!("@user:{id} "),
        });
    }
    out.push_str(&reply.text);
    for card in &reply.cards {
        out.push_str(&format!("\n  ■ {}", card.title));
        if !card.body.is_empty() {
            let body: String = card
                .body_segments()
                .into_iter()
                .map(|(text, marked)| {
                    if marked {
                        format!("【{text}】")
                    } else {
                        text.to_string()
                    }
                })
                .collect();
            out.push_str(&format!("\n    {body}"));
        }
        for (label, value) in &card.fields {
            out.push_str(&format!("\n    {label}: {value}"));
        }
    }
    for file in &reply.attachments {
        out.push_str(&format!(
            "\n  📎 {} ({} bytes)",
            file.name,
            file.bytes.len()
        ));
    }
    for button in &reply.buttons {
        out.push_str(&format!(
            "\n  ［{}］ /press {}",
            button.label, button.action
        ));
    }
    out
}

/// The console's own speakers, with numeric ids like chat accounts.
/// A chat id for a console person named `name`: the number itself when it is one, else a
/// stable number made from the name (FNV-1a), kept clear of the built-in speakers' ids.
fn console_id(name: &str) -> String {
    if !name.is_empty() && name.len() <= 19 && name.bytes().all(|b| b.is_ascii_digit()) {
        return name.to_string();
    }
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (2_000_000_000_000_000_000 + hash % 1_000_000_000_000_000).to_string()
}

fn console_person(role: Role) -> Person {
    let id = match role {
        Role::Citizen => "1000000000000000001",
        Role::Staff => "1000000000000000002",
        Role::Coordinator => "1000000000000000003",
        Role::Admin => "1000000000000000004",
        Role::Advisor => "1000000000000000005",
    };
    Person {
        display_name: format!("console {}", role.key()),
        id: id.to_string(),
        roles: vec![role],
        advisor_id: None,
        locale: None,
    }
}

/// Shows what the bot delivers to others, labelled by who they are.
struct ConsoleDeliverer {
    labels: HashMap<u64, String>,
    shown: Mutex<Vec<String>>,
}

impl Deliverer for ConsoleDeliverer {
    async fn deliver(
        &self,
        target: Target,
        reply: &Reply,
        _key: &str,
    ) -> Result<Vec<Sent>, DeliverError> {
        let label = |id: &u64| {
            self.labels
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string())
        };
        let to = match (target, &reply.open_thread) {
            (Target::Channel(id), Some(thread)) => {
                let members: Vec<String> = thread.members.iter().map(label).collect();
                format!(
                    "private thread \"{}\" in channel {id} with {}",
                    thread.name,
                    members.join(", ")
                )
            }
            (Target::User(id), _) => format!("DM {}", label(&id)),
            (Target::Channel(id), None) => format!("channel {id}"),
        };
        let shown = format!("  ✉ → {to}:\n{}", indent(&render(reply)));
        match self.shown.lock() {
            Ok(mut lines) => lines.push(shown),
            Err(poisoned) => poisoned.into_inner().push(shown),
        }
        // Shown in this terminal only: nothing on Discord to remove later.
        Ok(Vec::new())
    }

    async fn remove(&self, _sent: Sent) -> Result<(), DeliverError> {
        Ok(())
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the conversation until end of input. `interactive` prints a prompt before each line.
pub async fn run<R: AsyncBufRead + Unpin, W: Write>(
    worker: &Worker,
    input: R,
    output: &mut W,
    interactive: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let chat = worker.chat();
    let prompts = chat.prompts();
    let mut person = console_person(Role::Citizen);
    let mut labels: HashMap<u64, String> = HashMap::new();
    for role in [Role::Citizen, Role::Staff, Role::Coordinator, Role::Admin] {
        let p = console_person(role);
        labels.insert(p.id.parse().unwrap_or(0), p.display_name);
    }
    let mut conn = chat.pool().acquire().await?;
    for known in advisor::load_all(&mut conn).await? {
        labels.insert(
            known.chat_user_id.parse().unwrap_or(0),
            format!("advisor {}", known.id),
        );
    }
    drop(conn);
    let deliverer = ConsoleDeliverer {
        labels,
        shown: Mutex::new(Vec::new()),
    };
    if interactive {
        writeln!(output, "{}", prompts.get(lang, "console.welcome"))?;
    }
    let mut input = input;
    let mut bytes = Vec::new();
    loop {
        if interactive {
            write!(output, "> ")?;
            output.flush()?;
        }
        bytes.clear();
        if input.read_until(b'\n', &mut bytes).await? == 0 {
            break;
        }
        let line = crate::input::input_line(&bytes);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !interactive {
            writeln!(output, "> {line}")?;
        }
        let answer = if let Some(rest) = command_rest(line, "/as") {
            switch_person(chat, rest, &mut person, lang).await
        } else {
            let content = match command_rest(line, "/press") {
                Some(id) => Content::Button(id.trim().to_string()),
                None => Content::Text(line.to_string()),
            };
            let incoming = Incoming {
                person: person.clone(),
                place: Place::Direct,
                content,
            };
            render(&chat.handle(&incoming).await)
        };
        writeln!(output, "{answer}")?;
        // What that caused for others (offers, notices) is delivered now and shown.
        if let Err(error) = worker.tick(&deliverer).await {
            tracing::error!(%error, "console deliveries");
        }
        let shown: Vec<String> = match deliverer.shown.lock() {
            Ok(mut lines) => lines.drain(..).collect(),
            Err(poisoned) => poisoned.into_inner().drain(..).collect(),
        };
        for line in shown {
            writeln!(output, "{line}")?;
        }
        writeln!(output)?;
    }
    Ok(())
}

/// The rest of `line` after the console command `name`, if it is that command.
fn command_rest<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(name)?;
    (rest.is_empty() || rest.starts_with(' ')).then_some(rest)
}

async fn switch_person(chat: &Chat, rest: &str, person: &mut Person, lang: Lang) -> String {
    let prompts = chat.prompts();
    let mut words = rest.split_whitespace();
    let role = match words.next().map(str::to_lowercase).as_deref() {
        Some("citizen") => Role::Citizen,
        Some("staff") => Role::Staff,
        Some("coordinator") => Role::Coordinator,
        Some("admin") => Role::Admin,
        Some("advisor") => Role::Advisor,
        _ => return prompts.get(lang, "console.as_usage").to_string(),
    };
    let mut next = console_person(role);
    if role != Role::Advisor {
        // `/as citizen 2`: another person of that role, so a trial can have two citizens.
        if let Some(name) = words.next() {
            next.id = console_id(name);
            next.display_name = name.to_string();
        }
    }
    if role == Role::Advisor {
        let Some(id) = words.next() else {
            return prompts.get(lang, "console.as_usage").to_string();
        };
        let advisors = match chat.pool().acquire().await {
            Ok(mut conn) => advisor::load_all(&mut conn).await,
            Err(error) => Err(error),
        };
        let advisors = match advisors {
            Ok(advisors) => advisors,
            Err(error) => {
                tracing::error!(%error, "loading advisors failed");
                return prompts.get(lang, "error.internal").to_string();
            }
        };
        let Some(found) = advisors.into_iter().find(|a| a.id.eq_ignore_ascii_case(id)) else {
            return prompts.fill(lang, "console.as_unknown_advisor", &[("id", id)]);
        };
        next.id = found.chat_user_id.clone();
        next.display_name = found.name.clone();
        next.advisor_id = Some(found.id);
    }
    let shown_id = next.advisor_id.clone().unwrap_or_else(|| next.id.clone());
    *person = next;
    prompts.fill(
        lang,
        "console.as_switched",
        &[
            ("role", prompts.get(lang, &format!("role.{}", role.key()))),
            ("id", &shown_id),
        ],
    )
}
