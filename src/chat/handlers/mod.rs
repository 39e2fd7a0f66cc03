//! The commands' handlers, free functions grouped by feature. Each command handler has the
//! [`super::invocation::Handler`] shape and is named in the command table; access has been
//! checked by the dispatcher before it runs.

pub mod consult;
pub mod general;
pub mod intake;
pub mod plan;
pub mod rating;
pub mod search;
