//! The directory of citizen-activity groups and the search over it.

pub mod fields;
pub mod organization;
pub mod search;
