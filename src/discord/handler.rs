//! Gateway events → the chat core, generically: a DM or an @mention is natural language, a
//! slash command arrives with its options, a button or a form with its id, autocomplete asks
//! the directory. No per-command code. Who is speaking is worked out in one place (`speaker`),
//! and always inside the work an interaction's deadline covers.

use std::sync::{Arc, OnceLock};

use serenity::all::{
    ActionRowComponent, ChannelId, CommandDataOptionValue, CommandInteraction, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, EventHandler, GuildId, Interaction,
    Message, PartialMember, Ready, User,
};
use serenity::async_trait;

use super::interaction::{answer, Pending};
use super::people::{person, MemberRoles};
use super::sender::{
    answer_interaction, record_refusal, with_retry, DeliveryError, RetryPolicy, Sender, Target,
};
use super::slash;
use crate::chat::commands::OptionValue;
use crate::chat::{Chat, Content, Incoming, Person, Place, Reply};
use crate::config::DiscordConfig;
use crate::text::{normalize, truncate_chars};

/// Discord shows at most 25 autocomplete choices, each at most 100 characters.
const AUTOCOMPLETE_CHOICES: usize = 25;
const CHOICE_CHARS: usize = 100;
/// The start-up permissions check gives up after this (it only informs).
const AUDIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Handler {
    chat: Arc<Chat>,
    config: DiscordConfig,
    policy: RetryPolicy,
    members: MemberRoles,
    sender: OnceLock<Arc<Sender>>,
}

fn partial_member_roles(member: Option<&PartialMember>) -> Option<Vec<u64>> {
    member.map(|m| m.roles.iter().map(|r| r.get()).collect())
}

fn place(guild: Option<GuildId>, channel: ChannelId) -> Place {
    match guild {
        Some(_) => Place::Channel(channel.get().to_string()),
        None => Place::Direct,
    }
}

impl Handler {
    pub fn new(chat: Arc<Chat>, config: DiscordConfig, policy: RetryPolicy) -> Handler {
        Handler {
            chat,
            config,
            policy,
            members: MemberRoles::default(),
            sender: OnceLock::new(),
        }
    }

    fn sender(&self, ctx: &Context) -> Arc<Sender> {
        self.sender
            .get_or_init(|| Arc::new(Sender::new(ctx.http.clone(), self.policy.clone())))
            .clone()
    }

    /// Who is speaking: the configured roles their guild roles give (looked up for a DM), the
    /// advisor record of their account, their client's language.
    async fn speaker(
        &self,
        ctx: &Context,
        user: &User,
        roles: Option<Vec<u64>>,
        locale: Option<&str>,
    ) -> Person {
        // A server event carries the member's roles; a DM carries none, so they are looked up.
        let role_ids = match roles {
            Some(ids) => Some(ids),
            None => {
                self.members
                    .of(&ctx.http, self.config.guild_id, user.id.get())
                    .await
            }
        };
        person(&self.chat, &self.config, user, role_ids.as_deref(), locale)
    }

    /// The chat core's reply to `content` from `user`, speaker resolution included.
    async fn handle(
        &self,
        ctx: &Context,
        user: &User,
        roles: Option<Vec<u64>>,
        locale: Option<&str>,
        place: Place,
        content: Content,
    ) -> Reply {
        // One look for an import per message: the speaker's advisor record and the answer
        // both come from the directory as it is after it.
        self.chat.refresh_or_log().await;
        let person = self.speaker(ctx, user, roles, locale).await;
        let incoming = Incoming {
            person,
            place,
            content,
        };
        self.chat.answer(&incoming).await
    }

    async fn deliver(&self, ctx: &Context, target: Target, reply: &Reply) {
        if let Err(error) = self.sender(ctx).send(target, reply).await {
            tracing::warn!(?target, %error, "reply not delivered");
            if matches!(error, DeliveryError::Forbidden { .. }) {
                record_refusal(self.chat.pool(), target, &error).await;
            }
        }
    }

    /// Answers an interaction with what `content` gets, within Discord's window.
    async fn interact(&self, ctx: &Context, pending: Pending<'_>, content: Content) {
        let (guild, channel) = pending.origin();
        let work = self.handle(
            ctx,
            pending.user(),
            pending.member_roles(),
            Some(pending.locale()),
            place(guild, channel),
            content,
        );
        if let Err(failed) = answer(&ctx.http, &self.policy, pending, guild.is_some(), work).await {
            tracing::warn!(error = %failed.error, "interaction not answered");
            // What they did not see goes to their DMs (the person's own answer: private there).
            if let Some(reply) = failed.reply {
                let user = Target::User(pending.user().id.get());
                self.deliver(ctx, user, &reply).await;
            }
        }
    }

    async fn on_command(&self, ctx: &Context, command: &CommandInteraction) {
        let options = command
            .data
            .options
            .iter()
            .filter_map(|option| {
                let value = match &option.value {
                    CommandDataOptionValue::String(text) => OptionValue::Text(text.clone()),
                    CommandDataOptionValue::Boolean(flag) => OptionValue::Bool(*flag),
                    CommandDataOptionValue::Integer(n) => OptionValue::Text(n.to_string()),
                    CommandDataOptionValue::Number(n) => OptionValue::Text(n.to_string()),
                    _ => return None,
                };
                Some((option.name.clone(), value))
            })
            .collect();
        let content = Content::Command {
            name: command.data.name.clone(),
            options,
        };
        self.interact(ctx, Pending::Command(command), content).await;
    }

    async fn on_autocomplete(&self, ctx: &Context, command: &CommandInteraction) {
        let Some(focused) = command.data.autocomplete() else {
            return;
        };
        let searcher = self.chat.searcher();
        let typed = focused.value;
        let names: Vec<String> = match focused.name {
            "area" => {
                let wanted = normalize(typed);
                searcher
                    .areas()
                    .into_iter()
                    .filter(|area| wanted.is_empty() || normalize(area).contains(&wanted))
                    .collect()
            }
            _ => searcher
                .complete_names(typed, AUTOCOMPLETE_CHOICES)
                .into_iter()
                .map(|group| group.name().to_string())
                .collect(),
        };
        let mut choices = CreateAutocompleteResponse::new();
        for name in names.iter().take(AUTOCOMPLETE_CHOICES) {
            let shown = truncate_chars(name, CHOICE_CHARS);
            choices = choices.add_string_choice(shown, shown);
        }
        let response = CreateInteractionResponse::Autocomplete(choices);
        if let Err(error) = answer_interaction("autocomplete", || {
            command.create_response(&ctx.http, response.clone())
        })
        .await
        {
            tracing::debug!(%error, "autocomplete not answered");
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, "connected to Discord");
        if self.config.guild_id == 0 {
            tracing::warn!("discord.guild_id is not set: slash commands are not registered");
            return;
        }
        let guild = GuildId::new(self.config.guild_id);
        let commands = slash::commands(self.chat.prompts());
        match with_retry(&self.policy, "register commands", || {
            guild.set_commands(&ctx.http, commands.clone())
        })
        .await
        {
            Ok(registered) => tracing::info!(count = registered.len(), "slash commands registered"),
            Err(error) => tracing::error!(%error, "slash commands not registered"),
        }
        // What the bot lacks where kyodo will post, one line each (as `check-config --discord`).
        let audit = super::audit(&ctx.http, &self.config, self.chat.settings());
        match tokio::time::timeout(AUDIT_TIMEOUT, audit).await {
            Ok(findings) => findings.iter().for_each(|f| tracing::warn!("{f}")),
            Err(_) => tracing::warn!(?AUDIT_TIMEOUT, "discord: the permissions check timed out"),
        }
    }

    async fn message(&self, ctx: Context, mut message: Message) {
        if message.author.bot {
            return;
        }
        // Without the Message Content intent a server message reaches the bot with its text only
        // when it mentions the bot; any other arrives empty and is not for kyodo.
        let text = if message.guild_id.is_none() {
            std::mem::take(&mut message.content)
        } else {
            let me = ctx.cache.current_user().id;
            if !message.mentions_user_id(me) {
                return;
            }
            message
                .content
                .replace(&format!("<@{me}>"), " ")
                .replace(&format!("<@!{me}>"), " ")
        };
        let reply = self
            .handle(
                &ctx,
                &message.author,
                partial_member_roles(message.member.as_deref()),
                None,
                place(message.guild_id, message.channel_id),
                Content::Text(text),
            )
            .await;
        // A private answer (a list of consultations, an error about one) asked for in a server
        // channel goes to the person's DMs, never into the channel.
        let target = if reply.private && message.guild_id.is_some() {
            Target::User(message.author.id.get())
        } else {
            Target::Channel(message.channel_id.get())
        };
        self.deliver(&ctx, target, &reply).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match &interaction {
            Interaction::Command(command) => self.on_command(&ctx, command).await,
            Interaction::Autocomplete(command) => self.on_autocomplete(&ctx, command).await,
            Interaction::Component(component) => {
                // The core parses the id and re-checks who pressed and what state things are in.
                let content = Content::Button(component.data.custom_id.clone());
                self.interact(&ctx, Pending::Component(component), content)
                    .await;
            }
            Interaction::Modal(modal) => {
                let text = modal
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .find_map(|c| match c {
                        ActionRowComponent::InputText(input) => input.value.clone(),
                        _ => None,
                    })
                    .unwrap_or_default();
                let content = Content::Form {
                    id: modal.data.custom_id.clone(),
                    text,
                };
                self.interact(&ctx, Pending::Modal(modal), content).await;
            }
            _ => {}
        }
    }
}
