//! Forms: free text asked for where a typed message cannot carry it privately (a server
//! channel, where Discord delivers a bot only the messages that mention it, and everyone reads
//! them). A transport shows the form (Discord: a modal) and hands the answer back as
//! `Content::Form` with the form's id, parsed and re-checked by the core like a button.

use std::fmt;
use std::str::FromStr;

use crate::plan::progress::Status;

/// What the text written into a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The topic of the consultation the person just agreed to.
    ConsultTopic,
    /// An optional comment on the usefulness of a resolved consultation.
    RatingComment(i64),
    /// The note `/resolve N` closes consultation N with.
    ResolveNote(i64),
    /// The optional note of `/progress N STATUS` asked in a server channel.
    ProgressNote { action: u32, status: Status },
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
    /// The field must not be left empty.
    pub required: bool,
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
            Form::ResolveNote(consultation) => write!(f, "kyodo:form:resolve:{consultation}"),
            Form::ProgressNote { action, status } => {
                write!(f, "kyodo:form:progress:{action}:{}", status.as_str())
            }
        }
    }
}

impl FromStr for Form {
    type Err = UnknownForm;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let number = |rest: &str| rest.parse::<i64>().ok().filter(|n| *n > 0);
        let progress = |rest: &str| {
            let (action, status) = rest.split_once(':')?;
            let action = action.parse::<u32>().ok().filter(|n| *n > 0)?;
            // Only the canonical spelling the id was written with.
            let status = Status::ALL.into_iter().find(|s| s.as_str() == status)?;
            Some(Form::ProgressNote { action, status })
        };
        let form = match id.strip_prefix("kyodo:form:") {
            Some("topic") => Some(Form::ConsultTopic),
            Some(rest) => match rest.split_once(':') {
                Some(("comment", n)) => number(n).map(Form::RatingComment),
                Some(("resolve", n)) => number(n).map(Form::ResolveNote),
                Some(("progress", rest)) => progress(rest),
                _ => None,
            },
            None => None,
        };
        form.ok_or_else(|| UnknownForm(id.chars().take(100).collect()))
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
        for form in [
            Form::RatingComment(7),
            Form::ResolveNote(12),
            Form::ProgressNote {
                action: 22,
                status: Status::NotStarted,
            },
        ] {
            let id = form.to_string();
            assert!(id.len() <= 100, "{id}");
            assert_eq!(id.parse::<Form>(), Ok(form));
        }
        for forged in [
            "kyodo:form:other",
            "",
            "kyodo:form:resolve:0",
            "kyodo:form:resolve:-3",
            "kyodo:form:resolve:x",
            "kyodo:form:progress:3",
            "kyodo:form:progress:3:finished",
            "kyodo:form:progress:0:done",
            "kyodo:form:progress:3:done:extra",
        ] {
            assert!(forged.parse::<Form>().is_err(), "{forged}");
        }
    }
}
