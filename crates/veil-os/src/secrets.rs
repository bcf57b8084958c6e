//! The store's encryption key: made on first run and kept in the OS
//! credential store (Secret Service, Credential Manager, Keychain). Where
//! there is none, policy decides: refuse to store, or keep the key in a file
//! only this user can read. Never a plaintext database.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub const KEY_LEN: usize = 32;
const SERVICE: &str = "veil";

/// A 256-bit database key; wiped from memory when dropped.
pub struct DbKey([u8; KEY_LEN]);

impl DbKey {
    pub fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(s: &str) -> Option<DbKey> {
        let s = s.trim();
        if s.len() != KEY_LEN * 2 {
            return None;
        }
        let mut out = [0u8; KEY_LEN];
        for (i, pair) in s.as_bytes().chunks(2).enumerate() {
            out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(DbKey(out))
    }

    fn random() -> io::Result<DbKey> {
        let mut k = [0u8; KEY_LEN];
        getrandom::fill(&mut k).map_err(|e| io::Error::other(e.to_string()))?;
        Ok(DbKey(k))
    }
}

/// A second copy for another connection to the same store (the fleet
/// sender's); each copy is wiped when dropped.
impl Clone for DbKey {
    fn clone(&self) -> Self {
        DbKey(self.0)
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        for b in self.0.iter_mut() {
            // SAFETY: writing a valid u8 through a valid reference; volatile so
            // the wipe is not optimised away.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(..)")
    }
}

/// Where the key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStorage {
    CredentialStore,
    KeyFile,
}

impl KeyStorage {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStorage::CredentialStore => "credential_store",
            KeyStorage::KeyFile => "key_file",
        }
    }
}

/// What to do when the OS credential store cannot be used (policy
/// `store.key_fallback`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    KeyFile,
    Refuse,
}

#[derive(Debug)]
pub struct KeyOutcome {
    pub key: DbKey,
    pub storage: KeyStorage,
    /// A new key was made (so any existing database cannot be read with it).
    pub created: bool,
    /// Why the credential store was not used, when it was not.
    pub credential_store_problem: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no credential store is available ({0}) and policy forbids keeping the key in a file")]
    Refused(String),
    #[error("the key in the credential store is damaged (not {KEY_LEN} hex bytes)")]
    Damaged,
    #[error("no key for this store was found (credential store: {0})")]
    NotFound(String),
    #[error("the key file {path} cannot be used: {source}")]
    KeyFile { path: PathBuf, source: io::Error },
    #[error("cannot make a key: {0}")]
    Random(io::Error),
}

/// Why the credential store did not answer.
#[derive(Debug, thiserror::Error)]
pub enum CredentialStoreError {
    #[error("{0}")]
    Os(#[from] keyring::Error),
    #[error("no credential store")]
    Absent,
    #[error("the key did not read back")]
    DidNotReadBack,
}

/// Something that keeps one secret string per account.
pub trait SecretStore {
    /// `Ok(None)` when there is no secret for the account.
    fn get(&self, account: &str) -> Result<Option<String>, CredentialStoreError>;
    fn set(&self, account: &str, secret: &str) -> Result<(), CredentialStoreError>;
}

/// The OS credential store, through the keyring crate.
pub struct OsCredentialStore;

impl SecretStore for OsCredentialStore {
    fn get(&self, account: &str) -> Result<Option<String>, CredentialStoreError> {
        let entry = keyring::Entry::new(SERVICE, account)?;
        match entry.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), CredentialStoreError> {
        let entry = keyring::Entry::new(SERVICE, account)?;
        Ok(entry.set_password(secret)?)
    }
}

/// A credential store that is never there: for tools that work only with a
/// key file, and for tests of the fallback.
pub struct NoCredentialStore;

impl SecretStore for NoCredentialStore {
    fn get(&self, _: &str) -> Result<Option<String>, CredentialStoreError> {
        Err(CredentialStoreError::Absent)
    }

    fn set(&self, _: &str, _: &str) -> Result<(), CredentialStoreError> {
        Err(CredentialStoreError::Absent)
    }
}

/// The credential-store account for a store: one per data dir, so two Veil
/// profiles (or test homes) never share a key.
pub fn account_for(data_dir: &Path) -> String {
    format!("store-key:{}", data_dir.display())
}

/// Finds the store's key, or (when `create`) makes and saves a new one.
pub fn load_or_create(
    secrets: &dyn SecretStore,
    account: &str,
    key_file: &Path,
    fallback: Fallback,
    create: bool,
) -> Result<KeyOutcome, KeyError> {
    match secrets.get(account) {
        Ok(Some(hex)) => {
            let key = DbKey::from_hex(&hex).ok_or(KeyError::Damaged)?;
            Ok(KeyOutcome {
                key,
                storage: KeyStorage::CredentialStore,
                created: false,
                credential_store_problem: None,
            })
        }
        // A key file from a time without a credential store stays in use.
        Ok(None) if key_file.exists() => from_file(key_file, false, None),
        Ok(None) if !create => Err(KeyError::NotFound("no entry".into())),
        Ok(None) => {
            let key = DbKey::random().map_err(KeyError::Random)?;
            let saved = secrets
                .set(account, &key.to_hex())
                .and_then(|()| secrets.get(account))
                .and_then(|back| match back {
                    Some(b) if b == key.to_hex() => Ok(()),
                    _ => Err(CredentialStoreError::DidNotReadBack),
                });
            match saved {
                Ok(()) => Ok(KeyOutcome {
                    key,
                    storage: KeyStorage::CredentialStore,
                    created: true,
                    credential_store_problem: None,
                }),
                Err(problem) => fall_back(key_file, fallback, create, problem.to_string()),
            }
        }
        Err(problem) => fall_back(key_file, fallback, create, problem.to_string()),
    }
}

fn fall_back(
    key_file: &Path,
    fallback: Fallback,
    create: bool,
    problem: String,
) -> Result<KeyOutcome, KeyError> {
    match fallback {
        Fallback::Refuse => Err(KeyError::Refused(problem)),
        Fallback::KeyFile if key_file.exists() || create => {
            from_file(key_file, create, Some(problem))
        }
        Fallback::KeyFile => Err(KeyError::NotFound(problem)),
    }
}

fn from_file(path: &Path, create: bool, problem: Option<String>) -> Result<KeyOutcome, KeyError> {
    let err = |source| KeyError::KeyFile {
        path: path.to_path_buf(),
        source,
    };
    // A regular file of a key's size only: the agent's account could put a
    // FIFO there, which would hang the store's opening.
    let read = crate::files::read_text(path, 4096).map_err(|e| match e {
        crate::files::ReadError::Missing => io::Error::from(io::ErrorKind::NotFound),
        crate::files::ReadError::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    });
    match read {
        Ok(text) => {
            check_private(path).map_err(err)?;
            let key = DbKey::from_hex(&text).ok_or_else(|| {
                err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "not a Veil key (expected 64 hex digits)",
                ))
            })?;
            Ok(KeyOutcome {
                key,
                storage: KeyStorage::KeyFile,
                created: false,
                credential_store_problem: problem,
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
            let key = DbKey::random().map_err(KeyError::Random)?;
            crate::files::atomic_write(path, key.to_hex().as_bytes()).map_err(err)?;
            Ok(KeyOutcome {
                key,
                storage: KeyStorage::KeyFile,
                created: true,
                credential_store_problem: problem,
            })
        }
        Err(e) => Err(err(e)),
    }
}

/// A key file others can read is not a secret any more.
fn check_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it is readable by other users (mode {:o}); it must be 600",
                    mode & 0o777
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Fake {
        map: RefCell<HashMap<String, String>>,
        broken: bool,
    }

    impl SecretStore for Fake {
        fn get(&self, account: &str) -> Result<Option<String>, CredentialStoreError> {
            if self.broken {
                return Err(CredentialStoreError::Absent);
            }
            Ok(self.map.borrow().get(account).cloned())
        }
        fn set(&self, account: &str, secret: &str) -> Result<(), CredentialStoreError> {
            if self.broken {
                return Err(CredentialStoreError::Absent);
            }
            self.map.borrow_mut().insert(account.into(), secret.into());
            Ok(())
        }
    }

    #[test]
    fn creates_once_then_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("key");
        let s = Fake::default();
        let a = load_or_create(&s, "acct", &f, Fallback::KeyFile, true).unwrap();
        assert!(a.created);
        assert_eq!(a.storage, KeyStorage::CredentialStore);
        let b = load_or_create(&s, "acct", &f, Fallback::KeyFile, true).unwrap();
        assert!(!b.created);
        assert_eq!(a.key.bytes(), b.key.bytes());
        assert!(!f.exists());
    }

    #[test]
    fn without_credential_store_policy_decides() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("key");
        let s = Fake {
            broken: true,
            ..Fake::default()
        };
        let refused = load_or_create(&s, "acct", &f, Fallback::Refuse, true).unwrap_err();
        assert!(matches!(refused, KeyError::Refused(_)));
        assert!(!f.exists());
        let a = load_or_create(&s, "acct", &f, Fallback::KeyFile, true).unwrap();
        assert_eq!(a.storage, KeyStorage::KeyFile);
        assert!(a.credential_store_problem.is_some());
        let b = load_or_create(&s, "acct", &f, Fallback::KeyFile, false).unwrap();
        assert_eq!(a.key.bytes(), b.key.bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = load_or_create(&s, "acct", &f, Fallback::KeyFile, false).unwrap_err();
            assert!(e.to_string().contains("readable by other users"), "{e}");
        }
    }

    #[test]
    fn damaged_or_missing_keys_are_errors_not_new_keys() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("key");
        let s = Fake::default();
        s.set("acct", "not hex").unwrap();
        assert!(matches!(
            load_or_create(&s, "acct", &f, Fallback::KeyFile, true),
            Err(KeyError::Damaged)
        ));
        assert!(matches!(
            load_or_create(&s, "other", &f, Fallback::KeyFile, false),
            Err(KeyError::NotFound(_))
        ));
    }
}
