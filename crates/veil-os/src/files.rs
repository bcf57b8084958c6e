//! Reading config files and writing Veil's files so that a crash or power
//! loss never leaves a half-written one, and a damaged file is kept, not lost.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use veil_core::settings::FileRead;

/// Reads a settings or policy file for validation.
pub fn read_config(path: &Path) -> FileRead {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => FileRead::Text(text),
            Err(_) => FileRead::Unreadable("the file is not UTF-8 text".into()),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => FileRead::Missing,
        Err(e) => FileRead::Unreadable(e.to_string()),
    }
}

/// Replaces `path` with `bytes` atomically: readers see the old or the new
/// file, never a mix. The data is on disk when this returns.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = private_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Moves a damaged file aside (`name.damaged-<unix time>`) so it can be
/// inspected or recovered, and returns where it went.
pub fn keep_aside(path: &Path, unix_seconds: i64) -> io::Result<PathBuf> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".damaged-{unix_seconds}"));
    let mut target = path.with_file_name(&name);
    let mut n = 1;
    while target.exists() {
        let mut alt = name.clone();
        alt.push(format!("-{n}"));
        target = path.with_file_name(alt);
        n += 1;
    }
    fs::rename(path, &target)?;
    Ok(target)
}

/// Creates a directory readable only by this user.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn private_file(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

fn sync_dir(dir: &Path) {
    // Makes the rename itself durable on Unix; Windows has no directory handle
    // to sync and its rename is already journaled.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("settings.toml");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn read_config_tells_missing_text_and_unreadable_apart() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("policy.toml");
        assert_eq!(read_config(&p), FileRead::Missing);
        fs::write(&p, "a = 1").unwrap();
        assert_eq!(read_config(&p), FileRead::Text("a = 1".into()));
        fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_config(&p), FileRead::Unreadable(_)));
    }

    #[test]
    fn keep_aside_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("store.db");
        fs::write(&p, "first").unwrap();
        let a = keep_aside(&p, 42).unwrap();
        fs::write(&p, "second").unwrap();
        let b = keep_aside(&p, 42).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read_to_string(a).unwrap(), "first");
        assert_eq!(fs::read_to_string(b).unwrap(), "second");
        assert!(!p.exists());
    }
}
