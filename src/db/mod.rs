//! The data layer: the only place with SQL, one file per table.

pub mod demo_rows;
pub mod directory_version;
pub mod meta;
