//! What the chat keeps in memory of the rows only it writes while its instance holds the
//! database's lease (`discord::standby`: one active instance per database): the languages people
//! chose and their half-finished requests. Every change goes to SQLite first and then here
//! (write-through), so answering a message reads no row. `load` fills it from the store: at
//! start, on taking the lease over from another instance, and after the retention purge.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, RwLock};

use sqlx::SqlitePool;

use crate::db;
use crate::db::conversation_steps::StepRow;
use crate::lang::Lang;

/// (person, place) → (open step, expires at in unix seconds).
type Steps = HashMap<(String, String), (StepRow, i64)>;

#[derive(Default)]
pub struct Memory {
    languages: RwLock<HashMap<String, Lang>>,
    steps: Mutex<Steps>,
    /// Held across each write and its copy here, so racing writes leave the memory as they
    /// leave the store.
    writing: tokio::sync::Mutex<()>,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn key(user: &str, place: &str) -> (String, String) {
    (user.to_string(), place.to_string())
}

impl Memory {
    /// Replaces what is held with the store's rows.
    pub async fn load(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        let _writing = self.writing.lock().await;
        let languages: HashMap<String, Lang> = db::user_preferences::all_languages(pool)
            .await?
            .into_iter()
            .filter_map(|(user, code)| Lang::parse(&code).map(|lang| (user, lang)))
            .collect();
        let steps: Steps = db::conversation_steps::all(pool)
            .await?
            .into_iter()
            .map(|open| ((open.user_id, open.place), (open.row, open.expires_at)))
            .collect();
        match self.languages.write() {
            Ok(mut held) => *held = languages,
            Err(poisoned) => *poisoned.into_inner() = languages,
        }
        *locked(&self.steps) = steps;
        Ok(())
    }

    /// The language `user` chose with `/language`, if any.
    pub fn language(&self, user: &str) -> Option<Lang> {
        match self.languages.read() {
            Ok(held) => held.get(user).copied(),
            Err(poisoned) => poisoned.into_inner().get(user).copied(),
        }
    }

    pub async fn set_language(
        &self,
        pool: &SqlitePool,
        user: &str,
        lang: Lang,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let _writing = self.writing.lock().await;
        db::user_preferences::set_language(pool, user, lang.code(), now).await?;
        match self.languages.write() {
            Ok(mut held) => held.insert(user.to_string(), lang),
            Err(poisoned) => poisoned.into_inner().insert(user.to_string(), lang),
        };
        Ok(())
    }

    /// The person's step in `place`, if open at `now`.
    pub fn step(&self, user: &str, place: &str, now: i64) -> Option<StepRow> {
        let steps = locked(&self.steps);
        steps
            .get(&key(user, place))
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(row, _)| row.clone())
    }

    /// Opens or replaces the person's step in `place` until `expires_at`; steps expired by
    /// `now` are let go.
    pub async fn set_step(
        &self,
        pool: &SqlitePool,
        (user, place): (&str, &str),
        row: &StepRow,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        let _writing = self.writing.lock().await;
        db::conversation_steps::set(pool, user, place, row, expires_at).await?;
        let mut steps = locked(&self.steps);
        steps.retain(|_, (_, expires)| *expires > now);
        steps.insert(key(user, place), (row.clone(), expires_at));
        Ok(())
    }

    /// Drops the person's step in `place`; true when the store had one.
    pub async fn clear_step(
        &self,
        pool: &SqlitePool,
        user: &str,
        place: &str,
    ) -> Result<bool, sqlx::Error> {
        let _writing = self.writing.lock().await;
        let cleared = db::conversation_steps::clear(pool, user, place).await?;
        locked(&self.steps).remove(&key(user, place));
        Ok(cleared)
    }

    /// Takes the person's open step of kind `step` away, atomically (the store decides which of
    /// two racing answers gets it); its language code when taken.
    pub async fn take_step(
        &self,
        pool: &SqlitePool,
        (user, place): (&str, &str),
        step: &str,
        now: i64,
    ) -> Result<Option<String>, sqlx::Error> {
        let _writing = self.writing.lock().await;
        let taken = db::conversation_steps::take(pool, user, place, step, now).await?;
        if taken.is_some() {
            locked(&self.steps).remove(&key(user, place));
        }
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(step: &str) -> StepRow {
        StepRow {
            step: step.into(),
            language: "en".into(),
        }
    }

    #[tokio::test]
    async fn what_is_written_through_is_what_a_reload_finds() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let memory = Memory::default();
        memory
            .set_language(&pool, "u1", Lang::En, 10)
            .await
            .unwrap();
        let steps = [("u1", "dm"), ("u2", "channel:5")];
        memory
            .set_step(&pool, steps[0], &row("consent"), 10, 100)
            .await
            .unwrap();
        memory
            .set_step(&pool, steps[1], &row("topic"), 10, 100)
            .await
            .unwrap();
        assert_eq!(
            memory
                .take_step(&pool, steps[0], "consent", 20)
                .await
                .unwrap(),
            Some("en".into())
        );
        assert_eq!(memory.step("u1", "dm", 20), None);
        assert_eq!(memory.step("u2", "channel:5", 20), Some(row("topic")));
        assert_eq!(memory.step("u2", "channel:5", 100), None, "expired");

        let reloaded = Memory::default();
        reloaded.load(&pool).await.unwrap();
        assert_eq!(reloaded.language("u1"), Some(Lang::En));
        assert_eq!(reloaded.language("u2"), None);
        assert_eq!(reloaded.step("u1", "dm", 20), None);
        assert_eq!(reloaded.step("u2", "channel:5", 20), Some(row("topic")));
        assert!(reloaded.clear_step(&pool, "u2", "channel:5").await.unwrap());
        assert_eq!(reloaded.step("u2", "channel:5", 20), None);
    }
}
