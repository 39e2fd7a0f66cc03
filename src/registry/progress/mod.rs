//! The progress table the office keeps in Excel (one row per action, a status and note column
//! per fiscal year): reading it into progress updates, and writing the updates back out.

pub mod cell;
pub mod export;
pub mod import;
pub mod read;
