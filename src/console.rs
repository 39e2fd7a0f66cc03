//! The console transport: the same conversation as Discord, in a terminal, one person at a
//! time. `/as ROLE [ID]` switches who is speaking. Without a terminal it reads a script.

use std::io::Write;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::chat::{Chat, Content, Incoming, Person, Place, Reply, Role};
use crate::consult::advisor;
use crate::lang::Lang;

/// Renders a reply as plain text: the message, then each card indented.
pub fn render(reply: &Reply) -> String {
    let mut out = reply.text.clone();
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
                        text
                    }
                })
                .collect();
            out.push_str(&format!("\n    {body}"));
        }
        for (label, value) in &card.fields {
            out.push_str(&format!("\n    {label}: {value}"));
        }
    }
    out
}

fn console_person(role: Role) -> Person {
    let id = format!("console-{}", role.key());
    Person {
        display_name: id.clone(),
        id,
        roles: vec![role],
        advisor_id: None,
        locale: None,
    }
}

/// Runs the conversation until end of input. `interactive` prints a prompt before each line.
pub async fn run<R: AsyncBufRead + Unpin, W: Write>(
    chat: &Chat,
    input: R,
    output: &mut W,
    interactive: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let prompts = chat.prompts();
    let mut person = console_person(Role::Citizen);
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
        let line = crate::cli::input_line(&bytes);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !interactive {
            writeln!(output, "> {line}")?;
        }
        let answer = match line.strip_prefix("/as") {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                switch_person(chat, rest, &mut person, lang).await
            }
            _ => {
                let incoming = Incoming {
                    person: person.clone(),
                    place: Place::Direct,
                    content: Content::Text(line.to_string()),
                };
                render(&chat.handle(&incoming).await)
            }
        };
        writeln!(output, "{answer}\n")?;
    }
    Ok(())
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
