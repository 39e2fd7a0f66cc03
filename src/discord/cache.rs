//! A small map that forgets: entries expire after a fixed age, and at most `capacity` are
//! kept (the oldest goes first), so a busy server cannot grow it without bound.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct BoundedCache<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
    max_age: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> BoundedCache<K, V> {
    pub fn new(capacity: usize, max_age: Duration) -> Self {
        BoundedCache {
            entries: Mutex::new(HashMap::new()),
            max_age,
            capacity: capacity.max(1),
        }
    }

    /// The value for `key`, if stored less than `max_age` ago.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (at, value) = entries.get(key)?;
        (at.elapsed() < self.max_age).then(|| value.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let max_age = self.max_age;
            entries.retain(|_, (at, _)| at.elapsed() < max_age);
            // Still full of live entries: the oldest goes (O(n), only when full).
            if entries.len() >= self.capacity {
                if let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
                {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_holds_more_than_its_capacity_and_forgets_old_entries() {
        let cache = BoundedCache::new(3, Duration::from_secs(60));
        for user in 0..10u64 {
            cache.insert(user, user * 2);
        }
        let kept = (0..10u64).filter(|u| cache.get(u).is_some()).count();
        assert_eq!(kept, 3);
        assert_eq!(cache.get(&9), Some(18));
        assert_eq!(cache.get(&0), None, "the oldest went first");

        let short = BoundedCache::new(3, Duration::from_millis(0));
        short.insert(1u64, 1u64);
        assert_eq!(short.get(&1), None, "expired");
    }
}
