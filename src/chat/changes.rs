//! Whether the database can have changed since the chat last read it, told without asking it: by
//! the size, modification time and inode of its write-ahead log, where every commit of any process
//! lands (the store runs in WAL mode; the database file itself is only written when a checkpoint
//! copies the log into it, which changes nothing a reader sees), or of the database file while
//! there is no log — one file's stamp per message. A log appearing or going counts as a change. A
//! commit in the same tick of the filesystem's clock as the look before it could leave all three as
//! they were, so a look is trusted only once the file had been still for `SETTLE` when it was
//! taken (git's rule for "racily clean" files); and on a filesystem with coarser times than
//! Linux's, the store is asked again at least every `RECHECK` whatever the file says. An in-memory
//! database has no file: it is always asked.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use sqlx::SqlitePool;

/// Twice the timestamp tick of Linux filesystems with nanosecond times (one jiffy, at most
/// 10 ms).
const SETTLE: Duration = Duration::from_millis(20);
/// The longest a change may go unseen where file times are coarser (FAT, ext3: 1–2 s).
const RECHECK: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: SystemTime,
    inode: u64,
}

impl FileStamp {
    fn of(path: &std::path::Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
            inode,
        })
    }
}

/// The file (the log, or the database file) as seen at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// The log's stamp, or the database file's while there is no log (no connection open): the
    /// two are different files (inodes), so a log appearing or going never looks the same.
    file: FileStamp,
    /// Just before the file was looked at.
    taken: SystemTime,
    /// The same moment on the monotonic clock.
    at: Instant,
}

impl Look {
    fn same_file(&self, other: &Look) -> bool {
        self.file == other.file
    }

    /// The file had not been touched for `SETTLE` when this look was taken, and it is recent.
    fn settled(&self) -> bool {
        self.file.modified + SETTLE <= self.taken && self.at.elapsed() < RECHECK
    }
}

pub struct StoreChanges {
    /// The database file and its log; `None` for an in-memory database.
    paths: Option<(PathBuf, PathBuf)>,
    /// The look after which the store was last read.
    read_after: Mutex<Option<Look>>,
}

impl StoreChanges {
    pub fn new(pool: &SqlitePool) -> StoreChanges {
        let options = pool.connect_options();
        let main = options.get_filename().to_path_buf();
        let mut wal = main.clone().into_os_string();
        wal.push("-wal");
        let paths = main.is_file().then(|| (main, PathBuf::from(wal)));
        StoreChanges {
            paths,
            read_after: Mutex::new(None),
        }
    }

    /// The files now (`None`: no file to look at). Take it before reading the store.
    pub fn look(&self) -> Option<Look> {
        let (main, wal) = self.paths.as_ref()?;
        let (taken, at) = (SystemTime::now(), Instant::now());
        let file = match FileStamp::of(wal) {
            Some(log) => log,
            None => FileStamp::of(main)?,
        };
        Some(Look { file, taken, at })
    }

    /// True when `now` proves nothing was committed since the store was last read.
    pub fn unchanged(&self, now: Option<&Look>) -> bool {
        let Some(now) = now else { return false };
        let last = match self.read_after.lock() {
            Ok(last) => *last,
            Err(poisoned) => *poisoned.into_inner(),
        };
        last.is_some_and(|last| last.settled() && last.same_file(now))
    }

    /// Records that the store was read after `look` was taken.
    pub fn read_after(&self, look: Option<Look>) {
        match self.read_after.lock() {
            Ok(mut last) => *last = look,
            Err(poisoned) => *poisoned.into_inner() = look,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits until the files are still, reads the store after a look, and checks that a look
    /// now proves nothing changed.
    async fn read_once_still(changes: &StoreChanges) {
        tokio::time::sleep(SETTLE * 2).await;
        changes.read_after(changes.look());
        assert!(changes.unchanged(changes.look().as_ref()));
    }

    /// A commit by a second connection to the file at `path`, as the CLI's import makes.
    async fn commit_from_another_connection(path: &std::path::Path) {
        let other = crate::store::open(path).await.unwrap();
        crate::db::testing::exec(&other, "UPDATE directory_version SET version = version + 1")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_commit_by_another_connection_is_noticed_and_a_still_store_is_not_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let pool = crate::store::open(&path).await.unwrap();
        let changes = StoreChanges::new(&pool);
        let first = changes.look();
        assert!(first.is_some());
        changes.read_after(first);
        // Just written (opening migrated it): not yet to be trusted.
        assert!(!changes.unchanged(changes.look().as_ref()));
        read_once_still(&changes).await;

        commit_from_another_connection(&path).await;
        assert!(!changes.unchanged(changes.look().as_ref()));
    }

    #[tokio::test]
    async fn still_files_are_trusted_for_a_bounded_time_only() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::store::open(&dir.path().join("k.db")).await.unwrap();
        let changes = StoreChanges::new(&pool);
        read_once_still(&changes).await;
        tokio::time::sleep(RECHECK).await;
        assert!(!changes.unchanged(changes.look().as_ref()));
    }

    #[tokio::test]
    async fn the_log_going_away_or_coming_back_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let pool = crate::store::open(&path).await.unwrap();
        let changes = StoreChanges::new(&pool);
        read_once_still(&changes).await;
        // The last connection closing checkpoints the log into the file and deletes it.
        pool.close().await;
        assert!(!dir.path().join("k.db-wal").exists());
        assert!(!changes.unchanged(changes.look().as_ref()));

        read_once_still(&changes).await;
        commit_from_another_connection(&path).await;
        assert!(!changes.unchanged(changes.look().as_ref()));
    }

    #[tokio::test]
    async fn an_in_memory_store_is_always_asked() {
        let pool = crate::store::open_in_memory().await.unwrap();
        let changes = StoreChanges::new(&pool);
        changes.read_after(changes.look());
        assert!(!changes.unchanged(changes.look().as_ref()));
    }
}
