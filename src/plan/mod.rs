//! The city's collaboration action plan: its actions, visions and (later) their progress.

pub mod action;
