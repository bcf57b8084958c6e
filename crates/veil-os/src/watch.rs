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

/// The same for a folder of files with one extension: a file added, edited,
/// replaced or removed, or the folder itself appearing or going away.
#[derive(Debug)]
pub struct FolderWatch {
    path: PathBuf,
    extension: &'static str,
    last: Option<Result<Vec<(PathBuf, Fingerprint)>, String>>,
}

impl FolderWatch {
    pub fn new(path: impl Into<PathBuf>, extension: &'static str) -> Self {
        Self {
            path: path.into(),
            extension,
            last: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True on the first call and whenever the folder changed since the last.
    pub fn changed(&mut self) -> bool {
        let now = fs::read_dir(&self.path)
            .map(|dir| {
                let mut files: Vec<(PathBuf, Fingerprint)> = dir
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == self.extension))
                    .map(|p| {
                        let f = fingerprint(&p);
                        (p, f)
                    })
                    .collect();
                files.sort_by(|a, b| a.0.cmp(&b.0));
                files
            })
            .map_err(|e| e.to_string());
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

    #[test]
    fn a_folder_sees_files_added_edited_removed_and_itself_go() {
        let dir = tempfile::tempdir().unwrap();
        let org = dir.path().join("org");
        let mut w = FolderWatch::new(&org, "toml");
        assert!(w.changed(), "first call always reports");
        assert!(!w.changed(), "still missing");
        fs::create_dir(&org).unwrap();
        assert!(w.changed(), "created");
        fs::write(org.join("notes.txt"), "x").unwrap();
        assert!(!w.changed(), "other extensions do not count");
        fs::write(org.join("a.toml"), "a").unwrap();
        assert!(w.changed(), "added");
        assert!(!w.changed());
        crate::files::atomic_write(&org.join("a.toml"), b"b").unwrap();
        assert!(w.changed(), "replaced with the same length");
        fs::remove_file(org.join("a.toml")).unwrap();
        assert!(w.changed(), "removed");
        fs::remove_dir_all(&org).unwrap();
        assert!(w.changed(), "the folder went away");
    }
}
