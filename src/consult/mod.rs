//! Consultations with collaboration advisors (plan actions 10 and 22).

pub mod advisor;
