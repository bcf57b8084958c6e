use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream as StdUnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::net::{UnixListener, UnixStream};

use super::{ClientError, ClientStream};

fn socket_path(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("control.sock")
}

pub(super) struct Listener {
    inner: UnixListener,
}

impl Listener {
    pub(super) fn bind(runtime_dir: &Path) -> io::Result<Self> {
        crate::files::create_private_dir(runtime_dir)?;
        let path = socket_path(runtime_dir);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let inner = UnixListener::bind(&path)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        Ok(Self { inner })
    }

    /// The next connection from this user, with the connecting process's
    /// id as the kernel says it (SO_PEERCRED); `None` for one from anyone
    /// else.
    pub(super) async fn accept(&mut self) -> io::Result<Option<(UnixStream, Option<u32>)>> {
        let (stream, _) = self.inner.accept().await?;
        let peer = stream.peer_cred()?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let pid = peer.pid().and_then(|p| u32::try_from(p).ok());
        Ok((peer.uid() == me).then_some((stream, pid)))
    }
}

pub(super) fn connect(runtime_dir: &Path, timeout: Duration) -> Result<StdUnixStream, ClientError> {
    let stream = match StdUnixStream::connect(socket_path(runtime_dir)) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(ClientError::NotRunning)
        }
        Err(e) => return Err(ClientError::Io(e)),
    };
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    Ok(stream)
}

pub(super) type Stream = StdUnixStream;

impl ClientStream for StdUnixStream {
    fn try_clone_stream(&self) -> io::Result<Self> {
        self.try_clone()
    }

    fn wait_without_timeout(&self) -> io::Result<()> {
        self.set_read_timeout(None)
    }
}
