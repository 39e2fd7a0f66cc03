//! The demo's rows an import replaces: an office import of a kind takes the built-in demo's
//! rows of that kind out first (see `crate::demo`), in the import's transaction.

use sqlx::SqliteConnection;

use super::Kind;
use crate::db;

/// The `demo_rows` name of a registry kind.
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Organizations => "organizations",
        Kind::Advisors => "advisors",
        Kind::Actions => "actions",
    }
}

/// What taking out the demo rows of one kind did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindRemoval {
    pub removed: usize,
    /// Rows something else refers to (an advisor with consultations, an action with progress):
    /// kept as ordinary rows, advisors made inactive so they get no more offers.
    pub kept: usize,
}

/// Takes the demo rows of `kind` out, inside the caller's transaction, and forgets their marks.
pub async fn remove_kind(
    conn: &mut SqliteConnection,
    kind: Kind,
) -> Result<KindRemoval, sqlx::Error> {
    let name = kind_name(kind);
    let mut outcome = KindRemoval::default();
    for id in db::demo_rows::ids(conn, name).await? {
        if db::demo_rows::delete_row(conn, name, &id).await? {
            outcome.removed += 1;
        } else {
            outcome.kept += 1;
            if kind == Kind::Advisors {
                db::demo_rows::deactivate_advisor(conn, &id).await?;
            }
        }
    }
    db::demo_rows::forget(conn, name).await?;
    if outcome.removed + outcome.kept > 0 {
        // A running bot rebuilds its search index.
        db::directory_version::bump(conn).await?;
    }
    Ok(outcome)
}
