//! Gateway events → the chat core, generically: a DM or an @mention is natural language, a
//! slash command arrives with its options, autocomplete asks the directory. No per-command code.

use std::sync::{Arc, OnceLock};

use serenity::all::{
    CommandDataOptionValue, CommandInteraction, ComponentInteraction, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, EventHandler, Interaction, Message,
    Ready,
};
use serenity::async_trait;

use super::people::{person, MemberRoles};
use super::render;
use super::sender::{
    answer_interaction, record_refusal, with_retry, DeliveryError, RetryPolicy, Sender, Target,
};
use super::slash;
use crate::chat::commands::OptionValue;
use crate::chat::{Chat, Content, Incoming, Place, Reply};
use crate::config::DiscordConfig;
use crate::text::{normalize, truncate_chars};

/// Discord shows at most 25 autocomplete choices, each at most 100 characters.
const AUTOCOMPLETE_CHOICES: usize = 25;
const CHOICE_CHARS: usize = 100;

pub struct Handler {
    chat: Arc<Chat>,
    config: DiscordConfig,
    policy: RetryPolicy,
    members: MemberRoles,
    sender: OnceLock<Arc<Sender>>,
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

    async fn deliver(&self, ctx: &Context, target: Target, reply: &Reply) {
        if let Err(error) = self.sender(ctx).send(target, reply).await {
            tracing::warn!(?target, %error, "reply not delivered");
            if matches!(error, DeliveryError::Forbidden { .. }) {
                record_refusal(self.chat.pool(), target, &error).await;
            }
        }
    }

    async fn on_command(&self, ctx: &Context, command: &CommandInteraction) {
        let role_ids: Option<Vec<u64>> = command
            .member
            .as_ref()
            .map(|m| m.roles.iter().map(|r| r.get()).collect());
        let role_ids = match role_ids {
            Some(ids) => Some(ids),
            None => {
                self.members
                    .of(&ctx.http, self.config.guild_id, command.user.id.get())
                    .await
            }
        };
        let speaker = person(
            self.chat.pool(),
            &self.config,
            &command.user,
            role_ids.as_deref(),
            Some(&command.locale),
        )
        .await;
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
        let place = match command.guild_id {
            Some(_) => Place::Channel(command.channel_id.get().to_string()),
            None => Place::Direct,
        };
        let incoming = Incoming {
            person: speaker,
            place,
            content: Content::Command {
                name: command.data.name.clone(),
                options,
            },
        };
        let reply = self.chat.handle(&incoming).await;
        let parts = render::parts(&reply);
        let Some((first, rest)) = parts.split_first() else {
            return;
        };
        let response =
            CreateInteractionResponse::Message(render::interaction_message(first, reply.private));
        let answered = answer_interaction("answer command", || {
            command.create_response(&ctx.http, response.clone())
        })
        .await;
        if let Err(error) = answered {
            tracing::warn!(%error, command = %command.data.name, "command not answered");
            return;
        }
        for part in rest {
            let followup = render::followup(part, reply.private);
            if let Err(error) = with_retry(&self.policy, "follow up", || {
                command.create_followup(&ctx.http, followup.clone())
            })
            .await
            {
                tracing::warn!(%error, "follow-up not sent");
                return;
            }
        }
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
                .map(|org| org.name.clone())
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

    async fn on_component(&self, ctx: &Context, component: &ComponentInteraction) {
        // The core parses the id and re-checks who pressed and what state things are in.
        let role_ids: Option<Vec<u64>> = match &component.member {
            Some(member) => Some(member.roles.iter().map(|r| r.get()).collect()),
            None => {
                self.members
                    .of(&ctx.http, self.config.guild_id, component.user.id.get())
                    .await
            }
        };
        let speaker = person(
            self.chat.pool(),
            &self.config,
            &component.user,
            role_ids.as_deref(),
            Some(&component.locale),
        )
        .await;
        let place = match component.guild_id {
            Some(_) => Place::Channel(component.channel_id.get().to_string()),
            None => Place::Direct,
        };
        let incoming = Incoming {
            person: speaker,
            place,
            content: Content::Button(component.data.custom_id.clone()),
        };
        let reply = self.chat.handle(&incoming).await;
        let parts = render::parts(&reply);
        let Some(first) = parts.first() else {
            return;
        };
        let response =
            CreateInteractionResponse::Message(render::interaction_message(first, reply.private));
        if let Err(error) = answer_interaction("answer button", || {
            component.create_response(&ctx.http, response.clone())
        })
        .await
        {
            tracing::warn!(%error, "button not answered");
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
        let guild = serenity::model::id::GuildId::new(self.config.guild_id);
        let commands = slash::commands(self.chat.prompts());
        match with_retry(&self.policy, "register commands", || {
            guild.set_commands(&ctx.http, commands.clone())
        })
        .await
        {
            Ok(registered) => tracing::info!(count = registered.len(), "slash commands registered"),
            Err(error) => tracing::error!(%error, "slash commands not registered"),
        }
    }

    async fn message(&self, ctx: Context, message: Message) {
        if message.author.bot {
            return;
        }
        let me = ctx.cache.current_user().id;
        let text = if message.guild_id.is_none() {
            message.content.clone()
        } else if message.mentions_user_id(me) {
            message
                .content
                .replace(&format!("<@{me}>"), " ")
                .replace(&format!("<@!{me}>"), " ")
        } else {
            return;
        };
        let role_ids: Option<Vec<u64>> = match &message.member {
            Some(member) => Some(member.roles.iter().map(|r| r.get()).collect()),
            None => {
                self.members
                    .of(&ctx.http, self.config.guild_id, message.author.id.get())
                    .await
            }
        };
        let speaker = person(
            self.chat.pool(),
            &self.config,
            &message.author,
            role_ids.as_deref(),
            None,
        )
        .await;
        let place = match message.guild_id {
            Some(_) => Place::Channel(message.channel_id.get().to_string()),
            None => Place::Direct,
        };
        let incoming = Incoming {
            person: speaker,
            place,
            content: Content::Text(text),
        };
        let reply = self.chat.handle(&incoming).await;
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
            Interaction::Component(component) => self.on_component(&ctx, component).await,
            _ => {}
        }
    }
}
