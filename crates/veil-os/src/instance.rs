//! One Veil per user session: an OS file lock that the OS releases when the
//! process dies, however it dies, so a crash never blocks the next start.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

/// Held for the life of the running app.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl InstanceLock {
    /// `Ok(None)` when another Veil of this user already holds the lock.
    pub fn try_acquire(runtime_dir: &Path) -> io::Result<Option<InstanceLock>> {
        crate::files::create_private_dir(runtime_dir)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(runtime_dir.join("instance.lock"))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(InstanceLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_first_drops() {
        let dir = tempfile::tempdir().unwrap();
        let first = InstanceLock::try_acquire(dir.path()).unwrap();
        assert!(first.is_some());
        assert!(InstanceLock::try_acquire(dir.path()).unwrap().is_none());
        drop(first);
        assert!(InstanceLock::try_acquire(dir.path()).unwrap().is_some());
    }
}
