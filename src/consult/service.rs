//! The consultation commands, as the chat core and the worker call them. Each is one
//! transaction through [`super::change::Change`]: intake (`intake.rs`), offers and their answers
//! (`offers.rs`), assignment, resolution and cancellation (`closing.rs`), lists (`listing.rs`);
//! who is told what is in `tell.rs`, the routing policy in `routing.rs`, the retention rules in
//! `crate::retention`.

pub use super::change::{load, Actor};
pub use super::closing::{assign, cancel, resolve, set_availability};
pub use super::intake::submit;
pub use super::listing::{list, Listing};
pub use super::offers::{accept, decline, expire_due, open_offer_for, undeliverable};
pub use super::settings::{ConsultError, Contact, Settings};
