//! Reading config files and writing Veil's files so that a crash or power
//! loss never leaves a half-written one, and a damaged file is kept, not lost.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use veil_core::settings::FileRead;

/// Settings and policy files are a few kilobytes; anything larger than
/// this is not one.
pub const CONFIG_MAX_BYTES: u64 = 1024 * 1024;

/// Why a text file Veil reads (settings, policy, training module, its own
/// state) was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    Missing,
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("it is larger than {limit} bytes ({size} bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("it is not UTF-8 text")]
    NotText,
    /// A policy file anyone but an administrator could have written.
    #[error("{0}; the organization's policy must be owned by an administrator and writable by no one else")]
    NotAdminOwned(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Reads a text file that an agent or malware may have replaced with a
/// FIFO (which would block the reader forever), a device, a symlink to
/// either, or something huge: only a regular file of at most `limit`
/// bytes is read. A symlink to a regular file is followed.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| ReadError::NotText)
}

/// The same for a file that need not be text (a binary plist).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading waits for a writer unless non-blocking.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Bounded again: the file may grow between the check and the read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Whether `path` (a symlink is followed) is owned by an administrator
/// (root; Administrators or SYSTEM on Windows) and writable by no one else.
pub fn admin_owned(path: &Path) -> Result<(), ReadError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    owned_by_admin(path, &meta)
}

#[cfg(unix)]
fn owned_by_admin(_path: &Path, meta: &fs::Metadata) -> Result<(), ReadError> {
    use std::os::unix::fs::MetadataExt;
    if meta.uid() != 0 {
        return Err(ReadError::NotAdminOwned(format!(
            "it is owned by user {}, not root",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(ReadError::NotAdminOwned(format!(
            "other users can change it (mode {mode:o})"
        )));
    }
    Ok(())
}

#[cfg(windows)]
fn owned_by_admin(path: &Path, _meta: &fs::Metadata) -> Result<(), ReadError> {
    use std::os::windows::ffi::OsStrExt;
    use windows::Win32::Foundation::{LocalFree, HLOCAL};
    use windows::Win32::Security::Authorization::{GetNamedSecurityInfoW, SE_FILE_OBJECT};
    use windows::Win32::Security::{
        IsWellKnownSid, WinBuiltinAdministratorsSid, WinLocalSystemSid, OWNER_SECURITY_INFORMATION,
        PSECURITY_DESCRIPTOR, PSID,
    };
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
    let mut owner = PSID::default();
    let mut sd = PSECURITY_DESCRIPTOR::default();
    let rc = unsafe {
        GetNamedSecurityInfoW(
            windows::core::PCWSTR(wide.as_ptr()),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION,
            Some(&mut owner),
            None,
            None,
            None,
            &mut sd,
        )
    };
    if rc.is_err() {
        return Err(ReadError::NotAdminOwned(format!(
            "its owner cannot be read ({})",
            rc.0
        )));
    }
    let admin = unsafe {
        IsWellKnownSid(owner, WinBuiltinAdministratorsSid).as_bool()
            || IsWellKnownSid(owner, WinLocalSystemSid).as_bool()
    };
    unsafe { LocalFree(Some(HLOCAL(sd.0))) };
    if admin {
        Ok(())
    } else {
        Err(ReadError::NotAdminOwned(
            "it is not owned by Administrators or SYSTEM".into(),
        ))
    }
}

#[cfg(not(any(unix, windows)))]
fn owned_by_admin(_path: &Path, _meta: &fs::Metadata) -> Result<(), ReadError> {
    Ok(())
}

/// Reads a settings or policy file for validation.
pub fn read_config(path: &Path) -> FileRead {
    match read_text(path, CONFIG_MAX_BYTES) {
        Ok(text) => FileRead::Text(text),
        Err(ReadError::Missing) => FileRead::Missing,
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

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_huge_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("settings.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_text(&fifo, 100).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        let link = dir.path().join("policy.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(read_text(&link, 100)
            .unwrap_err()
            .to_string()
            .contains("device"));
        let big = dir.path().join("big.toml");
        fs::write(&big, vec![b'a'; 101]).unwrap();
        assert!(matches!(
            read_text(&big, 100),
            Err(ReadError::TooLarge { size: 101, .. })
        ));
        let target = dir.path().join("real.toml");
        fs::write(&target, "a = 1").unwrap();
        let ok_link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&target, &ok_link).unwrap();
        assert_eq!(read_text(&ok_link, 100).unwrap(), "a = 1");
        assert!(matches!(
            read_config(&fifo),
            FileRead::Unreadable(why) if why.contains("FIFO")
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_policy_others_can_write_is_not_the_organizations() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("policy.toml");
        fs::write(&p, "allow_quit = false").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o666)).unwrap();
        let err = admin_owned(&p).unwrap_err().to_string();
        if unsafe { libc::getuid() } == 0 {
            assert!(
                err.contains("other users can change it (mode 666)"),
                "{err}"
            );
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
            assert!(admin_owned(&p).is_ok());
        } else {
            assert!(err.contains("not root"), "{err}");
        }
        assert!(matches!(
            admin_owned(&dir.path().join("none")),
            Err(ReadError::Missing)
        ));
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
