//! The data layer: the only place with SQL, one file per table.

pub mod advisors;
pub mod directory_version;
pub mod organizations;
