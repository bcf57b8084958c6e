use std::fs::{File, OpenOptions};
use std::io;
use std::os::windows::io::AsRawHandle;
use std::path::Path;
use std::time::Duration;

use tokio::net::windows::named_pipe::{NamedPipeServer, ServerOptions};
use windows::Win32::Foundation::{CloseHandle, ERROR_FILE_NOT_FOUND, ERROR_PIPE_BUSY, HANDLE};
use windows::Win32::Security::{
    EqualSid, GetLengthSid, GetTokenInformation, TokenUser, PSID, TOKEN_QUERY, TOKEN_USER,
};
use windows::Win32::System::Pipes::GetNamedPipeClientProcessId;
use windows::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
};

use super::{ClientError, ClientStream};

fn pipe_name() -> String {
    let user = std::env::var("USERNAME").unwrap_or_else(|_| "user".into());
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!(r"\\.\pipe\veil-control-{user}")
}

pub(super) struct Listener {
    name: String,
    next: NamedPipeServer,
}

impl Listener {
    pub(super) fn bind(_runtime_dir: &Path) -> io::Result<Self> {
        let name = pipe_name();
        let next = ServerOptions::new()
            .first_pipe_instance(true)
            .reject_remote_clients(true)
            .create(&name)?;
        Ok(Self { name, next })
    }

    pub(super) async fn accept(&mut self) -> io::Result<Option<NamedPipeServer>> {
        self.next.connect().await?;
        let fresh = ServerOptions::new()
            .reject_remote_clients(true)
            .create(&self.name)?;
        let connected = std::mem::replace(&mut self.next, fresh);
        Ok(client_is_same_user(&connected).then_some(connected))
    }
}

/// Compares the connecting process's user SID with ours.
fn client_is_same_user(pipe: &NamedPipeServer) -> bool {
    let handle = HANDLE(pipe.as_raw_handle());
    let mut pid = 0u32;
    // SAFETY: `handle` is a live pipe handle owned by `pipe`.
    if unsafe { GetNamedPipeClientProcessId(handle, &mut pid) }.is_err() {
        return false;
    }
    // SAFETY: plain Win32 calls on handles we own and close.
    unsafe {
        let Ok(client) = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid) else {
            return false;
        };
        let theirs = user_sid(client);
        let _ = CloseHandle(client);
        let ours = user_sid(GetCurrentProcess());
        match (theirs, ours) {
            (Some(mut a), Some(mut b)) => {
                EqualSid(PSID(a.as_mut_ptr().cast()), PSID(b.as_mut_ptr().cast())).is_ok()
            }
            _ => false,
        }
    }
}

/// The SID bytes of the user a process runs as.
unsafe fn user_sid(process: HANDLE) -> Option<Vec<u8>> {
    let mut token = HANDLE::default();
    OpenProcessToken(process, TOKEN_QUERY, &mut token).ok()?;
    let mut len = 0u32;
    let _ = GetTokenInformation(token, TokenUser, None, 0, &mut len);
    let mut buf = vec![0u8; len as usize];
    let got = GetTokenInformation(
        token,
        TokenUser,
        Some(buf.as_mut_ptr().cast()),
        len,
        &mut len,
    );
    let _ = CloseHandle(token);
    got.ok()?;
    let info = &*(buf.as_ptr() as *const TOKEN_USER);
    let sid = info.User.Sid;
    let sid_len = GetLengthSid(sid) as usize;
    Some(std::slice::from_raw_parts(sid.0 as *const u8, sid_len).to_vec())
}

pub(super) fn connect(_runtime_dir: &Path, timeout: Duration) -> Result<File, ClientError> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match OpenOptions::new().read(true).write(true).open(pipe_name()) {
            Ok(f) => return Ok(f),
            Err(e) if e.raw_os_error() == Some(ERROR_FILE_NOT_FOUND.0 as i32) => {
                return Err(ClientError::NotRunning)
            }
            Err(e)
                if e.raw_os_error() == Some(ERROR_PIPE_BUSY.0 as i32)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(ClientError::Io(e)),
        }
    }
}

pub(super) type Stream = File;

impl ClientStream for File {
    fn try_clone_stream(&self) -> io::Result<Self> {
        self.try_clone()
    }

    // Pipe reads have no timeout here: they already wait as long as it takes.
    fn wait_without_timeout(&self) -> io::Result<()> {
        Ok(())
    }
}
