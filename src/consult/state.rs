//! The consultation state machine: which events move a consultation where, and which are refused.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Offered to one advisor, waiting for an answer.
    Offered,
    /// Nobody could take it; waiting for a coordinator.
    Escalated,
    /// An advisor took it.
    Assigned,
    Resolved,
    Cancelled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Offered => "offered",
            State::Escalated => "escalated",
            State::Assigned => "assigned",
            State::Resolved => "resolved",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        Some(match text {
            "offered" => State::Offered,
            "escalated" => State::Escalated,
            "assigned" => State::Assigned,
            "resolved" => State::Resolved,
            "cancelled" => State::Cancelled,
            _ => return None,
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, State::Offered | State::Escalated | State::Assigned)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The offered advisor accepts.
    Accept,
    /// The offer ends unanswered (declined, timed out, undeliverable) and another advisor is
    /// offered it.
    OfferNext,
    /// The offer ends and nobody is left.
    Escalate,
    /// A coordinator gives it to an advisor.
    Assign,
    /// The advisor closes it with a note.
    Resolve,
    /// The requester withdraws it.
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a consultation that is {from} cannot be {event:?}")]
pub struct Refused {
    pub from: State,
    pub event: Event,
}

/// Where `event` takes a consultation in state `from`.
pub fn transition(from: State, event: Event) -> Result<State, Refused> {
    use Event::*;
    use State::*;
    match (from, event) {
        (Offered, Accept) => Ok(Assigned),
        (Offered, OfferNext) => Ok(Offered),
        (Offered, Escalate) => Ok(Escalated),
        (Offered | Escalated, Assign) => Ok(Assigned),
        (Assigned, Resolve) => Ok(Resolved),
        (Offered | Escalated | Assigned, Cancel) => Ok(Cancelled),
        _ => Err(Refused { from, event }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [State; 5] = [
        State::Offered,
        State::Escalated,
        State::Assigned,
        State::Resolved,
        State::Cancelled,
    ];
    const EVENTS: [Event; 6] = [
        Event::Accept,
        Event::OfferNext,
        Event::Escalate,
        Event::Assign,
        Event::Resolve,
        Event::Cancel,
    ];

    #[test]
    fn every_allowed_transition() {
        assert_eq!(
            transition(State::Offered, Event::Accept),
            Ok(State::Assigned)
        );
        assert_eq!(
            transition(State::Offered, Event::OfferNext),
            Ok(State::Offered)
        );
        assert_eq!(
            transition(State::Offered, Event::Escalate),
            Ok(State::Escalated)
        );
        assert_eq!(
            transition(State::Offered, Event::Assign),
            Ok(State::Assigned)
        );
        assert_eq!(
            transition(State::Escalated, Event::Assign),
            Ok(State::Assigned)
        );
        assert_eq!(
            transition(State::Assigned, Event::Resolve),
            Ok(State::Resolved)
        );
        for open in [State::Offered, State::Escalated, State::Assigned] {
            assert_eq!(transition(open, Event::Cancel), Ok(State::Cancelled));
        }
    }

    #[test]
    fn every_other_transition_is_refused() {
        let allowed = [
            (State::Offered, Event::Accept),
            (State::Offered, Event::OfferNext),
            (State::Offered, Event::Escalate),
            (State::Offered, Event::Assign),
            (State::Escalated, Event::Assign),
            (State::Assigned, Event::Resolve),
            (State::Offered, Event::Cancel),
            (State::Escalated, Event::Cancel),
            (State::Assigned, Event::Cancel),
        ];
        let mut refused = 0;
        for from in STATES {
            for event in EVENTS {
                if !allowed.contains(&(from, event)) {
                    assert_eq!(
                        transition(from, event),
                        Err(Refused { from, event }),
                        "{from} {event:?}"
                    );
                    refused += 1;
                }
            }
        }
        assert_eq!(refused, STATES.len() * EVENTS.len() - allowed.len());
    }

    #[test]
    fn closed_consultations_stay_closed() {
        for closed in [State::Resolved, State::Cancelled] {
            assert!(!closed.is_open());
            assert!(EVENTS.iter().all(|&e| transition(closed, e).is_err()));
        }
    }

    #[test]
    fn states_round_trip_as_text() {
        for state in STATES {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        assert_eq!(State::parse("lost"), None);
    }
}
