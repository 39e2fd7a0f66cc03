//! What lies at the database path before kyodo opens it: nothing (a new database is created
//! there), an SQLite file this process can write, or something refused in one line that says
//! what is wrong with which file.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The first 16 bytes of every SQLite 3 database file (sqlite.org/fileformat.html, 1.3).
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What `inspect` found at a usable path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing yet: a new database will be created.
    Absent,
    /// An SQLite file (its schema is checked once it is open, see `Refused::Foreign`).
    Sqlite,
}

/// Why kyodo will not use the file at the database path.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("database {path}: not a regular file")]
    NotAFile { path: String },
    #[error("database {path} is empty (0 bytes), not a kyodo database: restore the real file, or delete this one to start a new database")]
    Empty { path: String },
    #[error("database {path} is not an SQLite database: name kyodo's database with --db or `database` in config.toml")]
    NotSqlite { path: String },
    #[error("database {path} belongs to another program (its tables are not kyodo's): name kyodo's database with --db or `database` in config.toml")]
    Foreign { path: String },
    #[error("database {path} cannot be written by this user ({reason}): give the user running kyodo write access to it and its -wal/-shm files")]
    ReadOnly { path: String, reason: String },
    #[error("database {path} cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
}

/// Looks at `path` without changing anything: absent, or an SQLite file this process may write
/// (the file and its `-wal`/`-shm` companions, if present). Errors: the refusal, in one line.
pub fn inspect(path: &Path) -> Result<Found, Refused> {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Absent),
        Err(error) => {
            return Err(Refused::Unreadable {
                path: shown,
                reason: error.to_string(),
            })
        }
    };
    if !meta.is_file() {
        return Err(Refused::NotAFile { path: shown });
    }
    // A 0-byte main file whose content still sits in its write-ahead log is SQLite's to recover.
    let wal_has_content = std::fs::metadata(companion(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if meta.len() == 0 && !wal_has_content {
        return Err(Refused::Empty { path: shown });
    }
    if meta.len() > 0 {
        let mut header = [0u8; 16];
        let read = std::fs::File::open(path).and_then(|mut file| {
            let mut filled = 0;
            while filled < header.len() {
                match file.read(&mut header[filled..])? {
                    0 => break,
                    n => filled += n,
                }
            }
            Ok(filled)
        });
        match read {
            Ok(16) if &header == SQLITE_HEADER => {}
            Ok(_) => return Err(Refused::NotSqlite { path: shown }),
            Err(error) => {
                return Err(Refused::Unreadable {
                    path: shown,
                    reason: error.to_string(),
                })
            }
        }
    }
    for file in [
        path.to_path_buf(),
        companion(path, "-wal"),
        companion(path, "-shm"),
    ] {
        if file != path && !file.exists() {
            continue;
        }
        // Opening for writing changes nothing, and fails as a write would: permissions, a
        // read-only mount, an immutable file.
        if let Err(error) = std::fs::OpenOptions::new().write(true).open(&file) {
            let reason = if file == path {
                error.to_string()
            } else {
                format!("{}: {error}", file.display())
            };
            return Err(Refused::ReadOnly {
                path: shown,
                reason,
            });
        }
    }
    Ok(Found::Sqlite)
}

/// SQLite's companion files sit beside the database: `kyodo.db-wal`, `kyodo.db-shm`.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_empty_and_foreign_bytes_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        assert_eq!(inspect(&path).unwrap(), Found::Absent);
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(inspect(&path), Err(Refused::Empty { .. })));
        std::fs::write(&path, b"id,name\nO001,x\n").unwrap();
        assert!(matches!(inspect(&path), Err(Refused::NotSqlite { .. })));
        std::fs::write(&path, b"SQLite").unwrap();
        assert!(matches!(inspect(&path), Err(Refused::NotSqlite { .. })));
        assert!(matches!(inspect(dir.path()), Err(Refused::NotAFile { .. })));
    }
}
