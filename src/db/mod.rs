//! The data layer: one file per table, the only place with SQL.

pub mod delivery_failures;
pub mod delivery_threads;
pub mod instance_lease;
