//! The city's collaboration action plan: its actions and visions, their progress, the fiscal
//! year and the holidays the office keeps.

pub mod action;
pub mod calendar;
pub mod era;
pub mod fiscal;
pub mod holidays;
pub mod office_hours;
pub mod progress;
