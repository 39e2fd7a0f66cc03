//! The database file's identity (device and inode), checked before each use of a pooled
//! connection and, by `kyodo run`, on a cadence: a file removed or replaced under a running bot
//! stops it instead of letting it write into a file nobody will read again.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which file a path named when the store was opened (Unix: device and inode numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    dev: u64,
    ino: u64,
}

impl FileIdentity {
    /// The identity of the file at `path` now. Errors: it cannot be looked at (e.g. removed).
    pub fn of(path: &Path) -> std::io::Result<FileIdentity> {
        let meta = std::fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(FileIdentity {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            // No inode numbers: only a removal is noticed.
            let _ = meta;
            Ok(FileIdentity { dev: 0, ino: 0 })
        }
    }
}

/// What happened to the database file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Gone {
    #[error("database {0} was removed while kyodo was running")]
    Removed(String),
    #[error("database {0} was replaced by another file while kyodo was running")]
    Replaced(String),
}

/// The file kyodo opened at `path`, to compare the path against later.
#[derive(Debug, Clone)]
pub struct Watched {
    path: PathBuf,
    identity: FileIdentity,
}

impl Watched {
    /// Remembers the file now at `path`.
    pub fn new(path: &Path) -> std::io::Result<Watched> {
        Ok(Watched {
            path: path.to_path_buf(),
            identity: FileIdentity::of(path)?,
        })
    }

    /// `Err` once the path no longer names the file that was opened (one `stat`).
    pub fn check(&self) -> Result<(), Gone> {
        let shown = || self.path.display().to_string();
        match FileIdentity::of(&self.path) {
            Ok(now) if now == self.identity => Ok(()),
            Ok(_) => Err(Gone::Replaced(shown())),
            Err(_) => Err(Gone::Removed(shown())),
        }
    }

    /// Resolves when the file is removed or replaced, looking every `every`.
    pub async fn until_gone(&self, every: Duration) -> Gone {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(gone) = self.check() {
                return gone;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_or_replaced_file_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        std::fs::write(&path, b"first").unwrap();
        let watched = Watched::new(&path).unwrap();
        assert_eq!(watched.check(), Ok(()));
        std::fs::write(&path, b"rewritten in place").unwrap();
        assert_eq!(watched.check(), Ok(()), "the same file, written to");
        let other = dir.path().join("other.db");
        std::fs::write(&other, b"second").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(matches!(watched.check(), Err(Gone::Replaced(_))));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(watched.check(), Err(Gone::Removed(_))));
    }
}
