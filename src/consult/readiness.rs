//! Whether consultations can work as configured: escalations need a coordinators' channel (and
//! a role to mention), and each route needs an active advisor who serves it. Said by
//! `kyodo check-config` and at `kyodo run`'s start, one line per finding.

use super::advisor::{Advisor, Serves};
use super::model::Route;

/// What is missing, one plain line each; empty when consultations are ready.
pub fn missing(
    coordinator_channel: Option<u64>,
    coordinator_role: Option<u64>,
    advisors: &[Advisor],
) -> Vec<String> {
    let mut lines = Vec::new();
    if coordinator_channel.is_none() {
        lines.push(
            "consultations: not taken: set consult.coordinator_channel_id (where escalations are \
             posted); until then requests get consult.office_contact"
                .to_string(),
        );
    }
    if coordinator_role.is_none() {
        lines.push(
            "consultations: consult.coordinator_role_id is not set: escalations mention nobody"
                .to_string(),
        );
    }
    for route in [Route::Citizen, Route::Staff] {
        let serving = advisors.iter().any(|a| {
            a.active
                && matches!(
                    (a.serves, route),
                    (Serves::Both, _)
                        | (Serves::Citizen, Route::Citizen)
                        | (Serves::Staff, Route::Staff)
                )
        });
        if !serving {
            lines.push(format!(
                "consultations: no active advisor serves action {} ({}): every such request goes \
                 to the coordinators",
                route.action(),
                route.as_str()
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor(serves: Serves, active: bool) -> Advisor {
        Advisor {
            id: "A01".into(),
            name: "n".into(),
            chat_user_id: "1".into(),
            serves,
            fields: vec![],
            specialties: vec![],
            languages: vec!["ja".into()],
            capacity: 1,
            active,
        }
    }

    #[test]
    fn each_missing_piece_is_one_line() {
        let none = missing(None, None, &[]);
        assert_eq!(none.len(), 4, "{none:?}");
        assert!(none[0].contains("coordinator_channel_id"));
        assert!(none[1].contains("coordinator_role_id"));
        assert!(none[2].contains("action 10") && none[3].contains("action 22"));
        let citizens_only = missing(Some(1), Some(2), &[advisor(Serves::Citizen, true)]);
        assert_eq!(citizens_only.len(), 1);
        assert!(citizens_only[0].contains("action 22"));
        assert!(missing(Some(1), Some(2), &[advisor(Serves::Both, true)]).is_empty());
        assert_eq!(
            missing(Some(1), Some(2), &[advisor(Serves::Both, false)]).len(),
            2,
            "an inactive advisor serves nobody"
        );
    }
}
