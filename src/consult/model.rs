//! A consultation as people and the store know it.

use crate::lang::Lang;

use super::state::State;

/// Whose consultation it is: a citizen's (plan action 10) or a city employee's (action 22).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Citizen,
    Staff,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Citizen => "citizen",
            Route::Staff => "staff",
        }
    }

    pub fn parse(text: &str) -> Option<Route> {
        match text {
            "citizen" => Some(Route::Citizen),
            "staff" => Some(Route::Staff),
            _ => None,
        }
    }

    /// The plan action the route belongs to.
    pub fn action(self) -> u32 {
        match self {
            Route::Citizen => 10,
            Route::Staff => 22,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub id: i64,
    pub route: Route,
    pub requester_id: String,
    pub language: Lang,
    pub topic: Option<String>,
    pub state: State,
    pub advisor_id: Option<String>,
    pub resolution_note: Option<String>,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl From<crate::db::consultations::ConsultationRow> for Consultation {
    fn from(row: crate::db::consultations::ConsultationRow) -> Consultation {
        Consultation {
            id: row.id,
            // CHECK constraints keep other values out of these columns.
            route: Route::parse(&row.route).unwrap_or(Route::Citizen),
            requester_id: row.requester_id,
            language: Lang::parse(&row.language).unwrap_or(Lang::Ja),
            topic: row.topic,
            state: State::parse(&row.state).unwrap_or(State::Escalated),
            advisor_id: row.advisor_id,
            resolution_note: row.resolution_note,
            created_at: row.created_at,
            accepted_at: row.accepted_at,
            closed_at: row.closed_at,
        }
    }
}
