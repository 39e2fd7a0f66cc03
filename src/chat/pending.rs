//! Topics typed with a request (`/consult TOPIC`, 「相談したい…」) before the person has agreed
//! to the consent notice. They are held in memory only, never stored: nothing personal is kept
//! before consent. Bounded in size and age; a restart forgets them (the person is then asked
//! for the topic after agreeing).

use std::collections::HashMap;
use std::sync::Mutex;

/// At most this many requests wait for consent at once; the oldest give way.
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct PendingTopics {
    /// (person, place) → (topic, expires at, unix seconds).
    waiting: Mutex<HashMap<(String, String), (String, i64)>>,
}

impl PendingTopics {
    /// Holds `topic` for the person's request in `place` until `expires_at`.
    pub fn hold(&self, person: &str, place: &str, topic: &str, now: i64, expires_at: i64) {
        let mut waiting = match self.waiting.lock() {
            Ok(waiting) => waiting,
            Err(poisoned) => poisoned.into_inner(),
        };
        waiting.retain(|_, (_, expires)| *expires > now);
        if waiting.len() >= CAPACITY {
            let oldest = waiting
                .iter()
                .min_by_key(|(_, (_, expires))| *expires)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                waiting.remove(&oldest);
            }
        }
        waiting.insert(
            (person.to_string(), place.to_string()),
            (topic.to_string(), expires_at),
        );
    }

    /// Takes the topic held for the person's request in `place`, if it has not expired.
    pub fn take(&self, person: &str, place: &str, now: i64) -> Option<String> {
        let mut waiting = match self.waiting.lock() {
            Ok(waiting) => waiting,
            Err(poisoned) => poisoned.into_inner(),
        };
        waiting
            .remove(&(person.to_string(), place.to_string()))
            .filter(|(_, expires)| *expires > now)
            .map(|(topic, _)| topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_waits_for_its_person_and_place_until_it_expires() {
        let pending = PendingTopics::default();
        pending.hold("u1", "dm", "子ども食堂", 0, 100);
        assert_eq!(pending.take("u1", "channel:5", 10), None);
        assert_eq!(pending.take("u2", "dm", 10), None);
        assert_eq!(pending.take("u1", "dm", 10).as_deref(), Some("子ども食堂"));
        assert_eq!(pending.take("u1", "dm", 10), None, "taken once");
        pending.hold("u1", "dm", "x", 0, 100);
        assert_eq!(pending.take("u1", "dm", 100), None, "expired");
    }

    #[test]
    fn the_oldest_give_way_past_capacity() {
        let pending = PendingTopics::default();
        for n in 0..=CAPACITY as i64 {
            pending.hold(&n.to_string(), "dm", "t", 0, 1_000 + n);
        }
        assert_eq!(pending.take("0", "dm", 1), None);
        assert!(pending.take(&CAPACITY.to_string(), "dm", 1).is_some());
    }
}
