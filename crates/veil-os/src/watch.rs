//! Noticing that a config file changed on disk. A cheap metadata check (no
//! read) each tick; works the same for files that are edited in place,
//! replaced atomically by configuration management, deleted or created, and
//! for directories that do not exist yet (where an inotify watch cannot be set).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Fingerprint {
    Missing,
    Present {
        modified: Option<SystemTime>,
        len: u64,
        id: u64,
    },
    /// Metadata could not be read (permissions); compared by the error text.
    Error(String),
}

#[derive(Debug)]
pub struct FileWatch {
    path: PathBuf,
    last: Option<Fingerprint>,
}

impl FileWatch {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            last: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True on the first call and whenever the file changed since the last.
    pub fn changed(&mut self) -> bool {
        let now = fingerprint(&self.path);
        let changed = self.last.as_ref() != Some(&now);
        self.last = Some(now);
        changed
    }
}

fn fingerprint(path: &Path) -> Fingerprint {
    match fs::metadata(path) {
        Ok(m) => Fingerprint::Present {
            modified: m.modified().ok(),
            len: m.len(),
            id: file_id(&m),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Fingerprint::Missing,
        Err(e) => Fingerprint::Error(e.to_string()),
    }
}

#[cfg(unix)]
fn file_id(m: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.ino()
}

#[cfg(not(unix))]
fn file_id(_m: &fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_create_edit_replace_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("policy.toml");
        let mut w = FileWatch::new(&p);
        assert!(w.changed(), "first call always reports");
        assert!(!w.changed());
        fs::write(&p, "a").unwrap();
        assert!(w.changed());
        assert!(!w.changed());
        fs::write(&p, "ab").unwrap();
        assert!(w.changed());
        crate::files::atomic_write(&p, b"xy").unwrap();
        assert!(w.changed(), "atomic replace with same length is seen");
        fs::remove_file(&p).unwrap();
        assert!(w.changed());
    }
}
