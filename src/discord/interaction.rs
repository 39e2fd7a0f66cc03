//! Answering an interaction within Discord's window: the answer goes at once when it is ready
//! quickly; otherwise the interaction is deferred first (privately in a server, where the
//! answer's privacy is not known yet) and the answer is written into it, the rest of a long
//! reply as follow-ups. A reply asking for text opens a form (a modal) when that is still
//! possible — only as the first answer.

use std::future::Future;
use std::time::Duration;

use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, CreateActionRow, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateModal, GuildId, Http,
    InputTextStyle, ModalInteraction, User,
};

use serde::de::IgnoredAny;
use serenity::all::{ApplicationId, InteractionId};

use super::raw::{self, routes, CallError};
use super::render;
use super::sender::{answer_interaction, invalid, with_retry, DeliveryError, RetryPolicy};
use crate::chat::forms::TextRequest;
use crate::chat::Reply;
use crate::text::truncate_chars;

/// How long the work may run before the interaction is deferred. Discord's window is 3 s from
/// its dispatch (interactions/receiving-and-responding); the rest is for the network.
pub const QUICK_ANSWER: Duration = Duration::from_millis(1500);

/// Discord's modal limits: title and label 45 characters, text 4,000.
const MODAL_TITLE_CHARS: usize = 45;
const MODAL_TEXT_MAX: usize = 4000;

/// The kinds of interaction that are answered with a message.
#[derive(Clone, Copy)]
pub enum Pending<'a> {
    Command(&'a CommandInteraction),
    Component(&'a ComponentInteraction),
    Modal(&'a ModalInteraction),
}

impl Pending<'_> {
    /// The interaction's id, token and application (for its webhook: edits, follow-ups).
    fn ids(&self) -> (InteractionId, &str, ApplicationId) {
        match self {
            Pending::Command(i) => (i.id, &i.token, i.application_id),
            Pending::Component(i) => (i.id, &i.token, i.application_id),
            Pending::Modal(i) => (i.id, &i.token, i.application_id),
        }
    }

    /// The first answer (a message, a deferral or a form): Discord answers 204.
    async fn respond(&self, http: &Http, body: &[u8]) -> Result<(), CallError> {
        let (id, token, _) = self.ids();
        let request = routes::interaction_callback(id, token).body(Some(body.to_vec()));
        raw::call::<IgnoredAny>(http, request).await.map(|_| ())
    }

    /// Writes the deferred answer (`body`: an edit's JSON).
    async fn edit(&self, http: &Http, body: &[u8]) -> Result<(), CallError> {
        let (_, token, application) = self.ids();
        let request = routes::edit_original(application, token).body(Some(body.to_vec()));
        raw::call::<IgnoredAny>(http, request).await.map(|_| ())
    }

    /// Sends a further part (`body`: a follow-up's JSON).
    async fn followup(&self, http: &Http, body: &[u8]) -> Result<(), CallError> {
        let (_, token, application) = self.ids();
        let request = routes::followup(application, token).body(Some(body.to_vec()));
        raw::call::<IgnoredAny>(http, request).await.map(|_| ())
    }

    pub fn user(&self) -> &User {
        match self {
            Pending::Command(i) => &i.user,
            Pending::Component(i) => &i.user,
            Pending::Modal(i) => &i.user,
        }
    }

    /// The presser's guild roles, when the interaction came from a server (a DM has none).
    pub fn member_roles(&self) -> Option<Vec<u64>> {
        let member = match self {
            Pending::Command(i) => i.member.as_deref(),
            Pending::Component(i) => i.member.as_ref(),
            Pending::Modal(i) => i.member.as_ref(),
        };
        member.map(|m| m.roles.iter().map(|r| r.get()).collect())
    }

    pub fn locale(&self) -> &str {
        match self {
            Pending::Command(i) => &i.locale,
            Pending::Component(i) => &i.locale,
            Pending::Modal(i) => &i.locale,
        }
    }

    /// The server it came from (None: a DM) and the channel.
    pub fn origin(&self) -> (Option<GuildId>, ChannelId) {
        match self {
            Pending::Command(i) => (i.guild_id, i.channel_id),
            Pending::Component(i) => (i.guild_id, i.channel_id),
            Pending::Modal(i) => (i.guild_id, i.channel_id),
        }
    }

    /// A modal may answer a command or a button, never another modal.
    fn may_open_modal(&self) -> bool {
        !matches!(self, Pending::Modal(_))
    }
}

/// The form as a Discord modal: one paragraph field.
pub fn modal(request: &TextRequest) -> CreateModal {
    let max = u16::try_from(request.max_chars.clamp(1, MODAL_TEXT_MAX)).unwrap_or(4000);
    let field = CreateInputText::new(
        InputTextStyle::Paragraph,
        truncate_chars(&request.label, MODAL_TITLE_CHARS),
        "text",
    )
    .max_length(max)
    .required(request.required);
    CreateModal::new(
        request.form.to_string(),
        truncate_chars(&request.title, MODAL_TITLE_CHARS),
    )
    .components(vec![CreateActionRow::InputText(field)])
}

/// An interaction that could not be answered (rate limited past the window, expired, Discord
/// down). `reply`: what the person has not seen at all, for the caller to send another way
/// (their DMs); None when the first part got through and only a follow-up failed.
#[derive(Debug)]
pub struct Unanswered {
    pub error: DeliveryError,
    pub reply: Option<Reply>,
}

/// Runs `work` and answers `pending` with its reply within Discord's window. `in_server`: the
/// interaction came from a server channel (a deferred answer there is private).
pub async fn answer(
    http: &Http,
    policy: &RetryPolicy,
    pending: Pending<'_>,
    in_server: bool,
    work: impl Future<Output = Reply>,
) -> Result<(), Unanswered> {
    let mut unseen = None;
    let answered = answer_with(http, policy, pending, in_server, work, &mut unseen).await;
    answered.map_err(|error| {
        // A form cannot be shown another way: how to open it again is said instead.
        let reply = unseen.map(|reply: Reply| match &reply.ask_text {
            Some(request) => Reply {
                text: request.reopen_hint.clone(),
                ask_text: None,
                ..reply
            },
            None => reply,
        });
        Unanswered { error, reply }
    })
}

/// `answer`'s steps; `unseen` holds the reply until its first part has been shown.
async fn answer_with(
    http: &Http,
    policy: &RetryPolicy,
    pending: Pending<'_>,
    in_server: bool,
    work: impl Future<Output = Reply>,
    unseen: &mut Option<Reply>,
) -> Result<(), DeliveryError> {
    tokio::pin!(work);
    let (reply, deferred_private) = match tokio::time::timeout(QUICK_ANSWER, &mut work).await {
        Ok(reply) => (reply, None),
        Err(_) => {
            let defer = CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(in_server),
            );
            let deferred = match raw::json(&defer) {
                Ok(defer) => answer_interaction("defer", || pending.respond(http, &defer)).await,
                Err(error) => Err(invalid(error)),
            };
            if let Err(error) = deferred {
                *unseen = Some(work.await);
                return Err(error);
            }
            (work.await, Some(in_server))
        }
    };
    *unseen = Some(reply.clone());
    let reply = match (&reply.ask_text, deferred_private) {
        (Some(request), Some(_)) => Reply {
            text: request.reopen_hint.clone(),
            ask_text: None,
            ..reply
        },
        _ => reply,
    };
    let mut parts = render::parts(&reply).into_iter();
    let Some(first) = parts.next() else {
        return Ok(());
    };
    let private = reply.private || deferred_private == Some(true);
    match (&reply.ask_text, deferred_private) {
        (Some(request), None) if pending.may_open_modal() => {
            let response = raw::json(&CreateInteractionResponse::Modal(modal(request)));
            let response = response.map_err(invalid)?;
            return answer_interaction("open form", || pending.respond(http, &response)).await;
        }
        (_, None) => {
            // A modal cannot answer a modal: its text is said instead.
            let response =
                CreateInteractionResponse::Message(render::interaction_message(first, private));
            let response = raw::json(&response).map_err(invalid)?;
            answer_interaction("answer", || pending.respond(http, &response)).await?;
        }
        (_, Some(_)) => {
            let edit = message_body(http, &render::edit(first))?;
            with_retry(policy, "answer deferred", || pending.edit(http, &edit)).await?;
        }
    }
    *unseen = None;
    for part in parts {
        let followup = message_body(http, &render::followup(part, private))?;
        with_retry(policy, "follow up", || pending.followup(http, &followup)).await?;
    }
    Ok(())
}

/// A message's JSON as serenity's builder would send it (its default allowed mentions).
fn message_body(http: &Http, message: &impl serde::Serialize) -> Result<Vec<u8>, DeliveryError> {
    raw::message_json(http, message)
        .and_then(|body| raw::json(&body))
        .map_err(invalid)
}
