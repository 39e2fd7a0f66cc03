//! Consultations in conversation: the consent and purpose notice, the topic, the number and
//! what happens next; advisors' accept / decline / resolve, requesters' cancel, coordinators'
//! assign, and each person's list. Every press and command re-checks role and state.

use super::buttons::{Button, ButtonAction, ButtonStyle};
use super::dispatch::Chat;
use super::forms::{Form, TextRequest};
use super::incoming::{Person, Role};
use super::reply::Reply;
use crate::consult::model::{Consultation, Route};
use crate::consult::service::{self, ConsultError, Listing};
use crate::consult::state::State;
use crate::lang::Lang;
use crate::text::{normalize, truncate_chars};

/// How long a half-finished request (consent or topic still to come) is kept.
const STEP_SECS: i64 = 30 * 60;
const LIST_TOPIC_CHARS: usize = 40;

const YES: &[&str] = &[
    "はい",
    "同意",
    "同意します",
    "同意する",
    "ok",
    "yes",
    "agree",
    "i agree",
];
const NO: &[&str] = &[
    "いいえ",
    "やめる",
    "やめます",
    "キャンセル",
    "no",
    "cancel",
    "stop",
];

#[derive(sqlx::FromRow)]
struct Step {
    step: String,
}

impl Chat {
    fn now(&self) -> i64 {
        self.clock().now()
    }

    async fn step_of(&self, person: &Person) -> Result<Option<Step>, sqlx::Error> {
        sqlx::query_as("SELECT step FROM conversation_steps WHERE user_id = ?1 AND expires_at > ?2")
            .bind(&person.id)
            .bind(self.now())
            .fetch_optional(self.pool())
            .await
    }

    async fn set_step(
        &self,
        person: &Person,
        step: &str,
        topic: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO conversation_steps (user_id, step, topic, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_id) DO UPDATE SET step = ?2, topic = ?3, expires_at = ?4",
        )
        .bind(&person.id)
        .bind(step)
        .bind(topic)
        .bind(self.now() + STEP_SECS)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn clear_step(&self, person: &Person) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM conversation_steps WHERE user_id = ?1")
            .bind(&person.id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    fn internal(&self, lang: Lang, error: impl std::fmt::Display) -> Reply {
        tracing::error!(%error, "consultation step failed");
        Reply::text(lang, self.prompts().get(lang, "error.internal")).private()
    }

    /// A change done: the worker is nudged to deliver its notices, and the person gets `key`
    /// (with the consultation's number); a refusal is explained.
    fn confirm(&self, result: Result<Consultation, ConsultError>, key: &str, lang: Lang) -> Reply {
        match result {
            Ok(consultation) => {
                self.outbox_changed();
                let number = consultation.id.to_string();
                Reply::text(lang, self.prompts().fill(lang, key, &[("number", &number)])).private()
            }
            Err(error) => self.consult_error(lang, error),
        }
    }

    fn consult_error(&self, lang: Lang, error: ConsultError) -> Reply {
        let p = self.prompts();
        let text = match error {
            ConsultError::EmptyTopic => p.get(lang, "consult.error.empty").to_string(),
            ConsultError::TopicTooLong { max } => {
                p.fill(lang, "consult.error.too_long", &[("max", &max.to_string())])
            }
            ConsultError::TooManyOpen { max } => {
                p.fill(lang, "consult.error.too_many", &[("max", &max.to_string())])
            }
            ConsultError::NotFound => p.get(lang, "consult.error.not_found").to_string(),
            ConsultError::NotYours => p.get(lang, "consult.error.not_yours").to_string(),
            ConsultError::OfferClosed => p.get(lang, "consult.error.offer_closed").to_string(),
            ConsultError::UnknownAdvisor => {
                p.get(lang, "consult.error.unknown_advisor").to_string()
            }
            ConsultError::Refused(refused) => p.fill(
                lang,
                "consult.error.state",
                &[(
                    "state",
                    p.get(lang, &format!("consult.state.{}", refused.from)),
                )],
            ),
            ConsultError::Store(error) => return self.internal(lang, error),
        };
        Reply::text(lang, text).private()
    }

    /// `/consult [topic]`, the natural-language request, or the search's "ask an advisor"
    /// button: first the notice, to agree to.
    pub(super) async fn consult_start(
        &self,
        person: &Person,
        topic: Option<&str>,
        lang: Lang,
    ) -> Reply {
        let topic = topic.map(str::trim).filter(|t| !t.is_empty());
        let max = self.consult_settings().max_topic_chars;
        if topic.is_some_and(|t| t.chars().count() > max) {
            return self.consult_error(lang, ConsultError::TopicTooLong { max });
        }
        if let Err(error) = self.set_step(person, "consent", topic).await {
            return self.internal(lang, error);
        }
        let p = self.prompts();
        Reply::text(lang, p.get(lang, "consult.notice"))
            .private()
            .with_buttons(vec![
                Button {
                    label: p.get(lang, "consult.button.agree").into(),
                    action: ButtonAction::ConsentYes,
                    style: ButtonStyle::Primary,
                },
                Button {
                    label: p.get(lang, "consult.button.stop").into(),
                    action: ButtonAction::ConsentNo,
                    style: ButtonStyle::Secondary,
                },
            ])
    }

    /// A message that answers an open step (yes/no to the notice, or the topic); `None` when
    /// there is none or the person moved on to something else.
    pub(super) async fn continue_conversation(
        &self,
        person: &Person,
        text: &str,
        lang: Lang,
    ) -> Option<Reply> {
        let step = match self.step_of(person).await {
            Ok(step) => step?,
            Err(error) => return Some(self.internal(lang, error)),
        };
        let said = normalize(text);
        let is = |words: &[&str]| words.iter().any(|w| normalize(w) == said);
        match step.step.as_str() {
            "consent" if is(YES) => Some(self.consent(person, true, false, lang).await),
            "consent" if is(NO) => Some(self.consent(person, false, false, lang).await),
            "topic" if is(NO) => Some(self.consent(person, false, false, lang).await),
            "topic" => self.topic_given(person, text, lang).await,
            _ => {
                // They asked something else instead: drop the half-finished request.
                if let Err(error) = self.clear_step(person).await {
                    return Some(self.internal(lang, error));
                }
                None
            }
        }
    }

    /// Takes the person's open step of kind `step` away, atomically: of two racing answers
    /// (a double click, a click and a typed はい) only one gets it. Some(topic) when taken.
    async fn take_step(
        &self,
        person: &Person,
        step: &str,
    ) -> Result<Option<Option<String>>, sqlx::Error> {
        let taken: Option<(Option<String>,)> =
            sqlx::query_as("DELETE FROM conversation_steps WHERE user_id = ?1 AND step = ?2 AND expires_at > ?3 RETURNING topic")
                .bind(&person.id)
                .bind(step)
                .bind(self.now())
                .fetch_optional(self.pool())
                .await?;
        Ok(taken.map(|(topic,)| topic))
    }

    /// Yes or no to the notice. `by_form`: the topic, if still missing, is asked for through a
    /// form (pressed in a server channel, where a typed topic would be public).
    async fn consent(&self, person: &Person, yes: bool, by_form: bool, lang: Lang) -> Reply {
        if !yes {
            let stopped = sqlx::query("DELETE FROM conversation_steps WHERE user_id = ?1")
                .bind(&person.id)
                .execute(self.pool())
                .await;
            return match stopped {
                Ok(done) if done.rows_affected() > 0 => {
                    Reply::text(lang, self.prompts().get(lang, "consult.stopped")).private()
                }
                Ok(_) => {
                    Reply::text(lang, self.prompts().get(lang, "consult.nothing_pending")).private()
                }
                Err(error) => self.internal(lang, error),
            };
        }
        match self.take_step(person, "consent").await {
            Ok(Some(Some(topic))) => self.submit(person, &topic, lang).await,
            Ok(Some(None)) => match self.set_step(person, "topic", None).await {
                Ok(()) if by_form => self.topic_form(lang),
                Ok(()) => {
                    Reply::text(lang, self.prompts().get(lang, "consult.ask_topic")).private()
                }
                Err(error) => self.internal(lang, error),
            },
            // Agreed already and the form was closed or never shown: it opens again.
            Ok(None) if by_form && self.awaits_topic(person).await => self.topic_form(lang),
            Ok(None) => {
                Reply::text(lang, self.prompts().get(lang, "consult.nothing_pending")).private()
            }
            Err(error) => self.internal(lang, error),
        }
    }

    async fn awaits_topic(&self, person: &Person) -> bool {
        matches!(self.step_of(person).await, Ok(Some(step)) if step.step == "topic")
    }

    /// The topic asked for through a form.
    fn topic_form(&self, lang: Lang) -> Reply {
        let p = self.prompts();
        let mut reply = Reply::text(lang, p.get(lang, "consult.form.asked")).private();
        reply.ask_text = Some(TextRequest {
            form: Form::ConsultTopic,
            title: p.get(lang, "consult.form.title").into(),
            label: p.get(lang, "consult.form.label").into(),
            max_chars: self.consult_settings().max_topic_chars,
            reopen_hint: p.get(lang, "consult.form.reopen").into(),
        });
        reply
    }

    /// A form filled in: its text goes where the form says, re-checked like a typed answer.
    pub(super) async fn form_filled(
        &self,
        person: &Person,
        id: &str,
        text: &str,
        lang: Lang,
    ) -> Reply {
        match id.parse::<Form>() {
            Ok(Form::ConsultTopic) => match self.topic_given(person, text, lang).await {
                Some(reply) => reply,
                None => {
                    Reply::text(lang, self.prompts().get(lang, "consult.nothing_pending")).private()
                }
            },
            Err(error) => {
                tracing::info!(%error, "unknown form submitted");
                Reply::text(lang, self.prompts().get(lang, "button.unknown")).private()
            }
        }
    }

    /// The topic the person was asked for.
    async fn topic_given(&self, person: &Person, text: &str, lang: Lang) -> Option<Reply> {
        match self.take_step(person, "topic").await {
            Ok(Some(_)) => Some(self.submit(person, text, lang).await),
            Ok(None) => None,
            Err(error) => Some(self.internal(lang, error)),
        }
    }

    async fn submit(&self, person: &Person, topic: &str, lang: Lang) -> Reply {
        let route = if person.has(Role::Staff) {
            Route::Staff
        } else {
            Route::Citizen
        };
        let searcher = self.searcher();
        let result = service::submit(
            self.pool(),
            self.now(),
            self.consult_settings(),
            &searcher,
            &person.id,
            route,
            lang,
            topic,
        )
        .await;
        match result {
            Ok(consultation) => {
                self.outbox_changed();
                let next = match consultation.state {
                    State::Offered => "consult.next.offered",
                    _ => "consult.next.escalated",
                };
                let p = self.prompts();
                let text = format!(
                    "{}\n{}",
                    p.fill(
                        lang,
                        "consult.submitted",
                        &[
                            ("number", &consultation.id.to_string()),
                            ("action", &route.action().to_string())
                        ]
                    ),
                    p.get(lang, next)
                );
                Reply::text(lang, text).private()
            }
            Err(error @ (ConsultError::EmptyTopic | ConsultError::TopicTooLong { .. })) => {
                // They can write the topic again.
                if let Err(step_error) = self.set_step(person, "topic", None).await {
                    return self.internal(lang, step_error);
                }
                self.consult_error(lang, error)
            }
            Err(error) => self.consult_error(lang, error),
        }
    }

    pub(super) async fn press(
        &self,
        person: &Person,
        id: &str,
        in_channel: bool,
        lang: Lang,
    ) -> Reply {
        let action: ButtonAction = match id.parse() {
            Ok(action) => action,
            Err(error) => {
                tracing::info!(%error, "unknown button pressed");
                return Reply::text(lang, self.prompts().get(lang, "button.unknown")).private();
            }
        };
        match action {
            ButtonAction::StartConsultation => self.consult_start(person, None, lang).await,
            ButtonAction::ConsentYes => self.consent(person, true, in_channel, lang).await,
            ButtonAction::ConsentNo => self.consent(person, false, in_channel, lang).await,
            ButtonAction::AcceptOffer(offer) => self.answer_offer(person, offer, true, lang).await,
            ButtonAction::DeclineOffer(offer) => {
                self.answer_offer(person, offer, false, lang).await
            }
        }
    }

    fn not_advisor(&self, lang: Lang) -> Reply {
        Reply::text(lang, self.prompts().get(lang, "consult.error.not_advisor")).private()
    }

    async fn answer_offer(&self, person: &Person, offer: i64, accept: bool, lang: Lang) -> Reply {
        let Some(advisor) = person.advisor_id.as_deref() else {
            return self.not_advisor(lang);
        };
        let now = self.now();
        let result = if accept {
            service::accept(
                self.pool(),
                now,
                offer,
                advisor,
                self.consult_settings().contact,
            )
            .await
        } else {
            service::decline(
                self.pool(),
                now,
                self.consult_settings(),
                &self.searcher(),
                offer,
                advisor,
            )
            .await
        };
        let key = if accept {
            "consult.you_accepted"
        } else {
            "consult.you_declined"
        };
        self.confirm(result, key, lang)
    }

    /// `/accept N` or `/decline N`: the advisor's open offer of consultation N.
    pub(super) async fn answer_by_number(
        &self,
        person: &Person,
        number: &str,
        accept: bool,
        lang: Lang,
    ) -> Reply {
        let Some(advisor) = person.advisor_id.clone() else {
            return self.not_advisor(lang);
        };
        let Some(number) = parse_number(number) else {
            return self.consult_error(lang, ConsultError::NotFound);
        };
        match service::open_offer_for(self.pool(), number, &advisor).await {
            Ok(Some(offer)) => self.answer_offer(person, offer, accept, lang).await,
            Ok(None) => self.consult_error(lang, ConsultError::OfferClosed),
            Err(error) => self.consult_error(lang, error),
        }
    }

    pub(super) async fn resolve(
        &self,
        person: &Person,
        number: &str,
        note: &str,
        lang: Lang,
    ) -> Reply {
        let Some(advisor) = person.advisor_id.clone() else {
            return self.not_advisor(lang);
        };
        let Some(number) = parse_number(number) else {
            return self.consult_error(lang, ConsultError::NotFound);
        };
        let max = self.consult_settings().max_topic_chars;
        self.confirm(
            service::resolve(self.pool(), self.now(), number, &advisor, note, max).await,
            "consult.you_resolved",
            lang,
        )
    }

    pub(super) async fn cancel(&self, person: &Person, number: &str, lang: Lang) -> Reply {
        let Some(number) = parse_number(number) else {
            return self.consult_error(lang, ConsultError::NotFound);
        };
        self.confirm(
            service::cancel(self.pool(), self.now(), number, &person.id).await,
            "consult.you_cancelled",
            lang,
        )
    }

    pub(super) async fn assign(
        &self,
        person: &Person,
        number: &str,
        advisor: &str,
        lang: Lang,
    ) -> Reply {
        if !person.has(Role::Coordinator) {
            return Reply::text(
                lang,
                self.prompts().get(lang, "consult.error.not_coordinator"),
            )
            .private();
        }
        let Some(number) = parse_number(number) else {
            return self.consult_error(lang, ConsultError::NotFound);
        };
        match service::assign(
            self.pool(),
            self.now(),
            number,
            advisor.trim(),
            &person.id,
            self.consult_settings().contact,
        )
        .await
        {
            Ok(c) => {
                self.outbox_changed();
                let who = c.advisor_id.unwrap_or_default();
                Reply::text(
                    lang,
                    self.prompts().fill(
                        lang,
                        "consult.you_assigned",
                        &[("number", &c.id.to_string()), ("advisor", &who)],
                    ),
                )
                .private()
            }
            Err(error) => self.consult_error(lang, error),
        }
    }

    pub(super) async fn set_availability(&self, person: &Person, state: &str, lang: Lang) -> Reply {
        let Some(advisor) = person.advisor_id.as_deref() else {
            return self.not_advisor(lang);
        };
        let on = state == "on";
        match service::set_availability(self.pool(), advisor, on).await {
            Ok(()) => {
                let key = if on {
                    "consult.available_on"
                } else {
                    "consult.available_off"
                };
                Reply::text(lang, self.prompts().get(lang, key)).private()
            }
            Err(error) => self.consult_error(lang, error),
        }
    }

    /// `/consultations`: a coordinator sees the queue, an advisor their offers and cases, anyone
    /// their own requests. Always private: it may hold topics.
    pub(super) async fn list(&self, person: &Person, lang: Lang) -> Reply {
        let (listing, title) = if person.has(Role::Coordinator) {
            (Listing::Queue, "consult.list.queue")
        } else if let Some(advisor) = person.advisor_id.as_deref() {
            (Listing::Advisor(advisor), "consult.list.advisor")
        } else {
            (Listing::Requester(&person.id), "consult.list.mine")
        };
        let found = match service::list(self.pool(), listing).await {
            Ok(found) => found,
            Err(error) => return self.consult_error(lang, error),
        };
        let p = self.prompts();
        if found.is_empty() {
            return Reply::text(lang, p.get(lang, "consult.list.empty")).private();
        }
        let now = self.now();
        let mut text = p.get(lang, title).to_string();
        for c in &found {
            text.push('\n');
            text.push_str(&self.list_line(c, now, lang));
        }
        Reply::text(lang, text).private()
    }

    fn list_line(&self, c: &Consultation, now: i64, lang: Lang) -> String {
        let p = self.prompts();
        let topic = c
            .topic
            .as_deref()
            .map(|t| truncate_chars(t, LIST_TOPIC_CHARS).to_string())
            .unwrap_or_default();
        p.fill(
            lang,
            "consult.list.line",
            &[
                ("number", &c.id.to_string()),
                ("action", &c.route.action().to_string()),
                ("state", p.get(lang, &format!("consult.state.{}", c.state))),
                ("hours", &((now - c.created_at).max(0) / 3600).to_string()),
                ("advisor", c.advisor_id.as_deref().unwrap_or("-")),
                ("topic", &topic),
            ],
        )
    }
}

fn parse_number(text: &str) -> Option<i64> {
    text.trim()
        .trim_start_matches(['#', '＃'])
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
}
