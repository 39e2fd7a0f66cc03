//! Forms: free text asked for where a typed message cannot carry it privately (a server
//! channel, where Discord delivers a bot only the messages that mention it, and everyone reads
//! them). A transport shows the form (Discord: a modal) and hands the answer back as
//! `Content::Form` with the form's id, parsed and re-checked by the core like a button.

use std::fmt;
use std::str::FromStr;

/// What the text written into a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The topic of the consultation the person just agreed to.
    ConsultTopic,
    /// An optional comment on the usefulness of a resolved consultation.
    RatingComment(i64),
}

/// A form the reply asks the person to fill in: one text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRequest {
    pub form: Form,
    /// The form's title (Discord: at most 45 characters).
    pub title: String,
    /// The field's label (at most 45 characters).
    pub label: String,
    /// Most characters the field takes.
    pub max_chars: usize,
    /// Said instead when the form could not be opened (the answer came too late for Discord
    /// to show one): how to open it again.
    pub reopen_hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown form id {0:?}")]
pub struct UnknownForm(pub String);

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::ConsultTopic => write!(f, "kyodo:form:topic"),
            Form::RatingComment(consultation) => write!(f, "kyodo:form:comment:{consultation}"),
        }
    }
}

impl FromStr for Form {
    type Err = UnknownForm;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        match id {
            "kyodo:form:topic" => Ok(Form::ConsultTopic),
            _ if id.starts_with("kyodo:form:comment:") => id["kyodo:form:comment:".len()..]
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Form::RatingComment)
                .ok_or_else(|| UnknownForm(id.chars().take(100).collect())),
            _ => Err(UnknownForm(id.chars().take(100).collect())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_forged_ids_are_errors() {
        let id = Form::ConsultTopic.to_string();
        assert!(id.len() <= 100);
        assert_eq!(id.parse::<Form>(), Ok(Form::ConsultTopic));
        assert!("kyodo:form:other".parse::<Form>().is_err());
        assert!("".parse::<Form>().is_err());
    }
}
