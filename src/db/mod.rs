//! The data layer: one file per table, plain async functions over a pool or a connection.

pub mod consultation_ratings;
pub mod consultations;
pub mod progress_updates;
pub mod search_misses;
