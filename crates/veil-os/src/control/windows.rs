use std::fs::{File, OpenOptions};
use std::io;
use std::os::windows::fs::OpenOptionsExt;
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

/// The pipe carries the user's SID, not `USERNAME` (which the agent sets,
/// and which names no one uniquely on a shared RDS/VDI host).
pub(super) fn pipe_name() -> io::Result<String> {
    // SAFETY: our own process token, read and closed.
    let sid = unsafe { user_sid(GetCurrentProcess()) }
        .ok_or_else(|| io::Error::other("cannot read this user's SID"))?;
    Ok(format!(r"\\.\pipe\veil-control-{}", sid_string(&sid)?))
}

fn sid_string(sid: &[u8]) -> io::Result<String> {
    use windows::core::PWSTR;
    use windows::Win32::Foundation::{LocalFree, HLOCAL};
    use windows::Win32::Security::Authorization::ConvertSidToStringSidW;
    let mut text = PWSTR::null();
    // SAFETY: `sid` holds a valid SID; the string is freed below.
    unsafe {
        ConvertSidToStringSidW(PSID(sid.as_ptr() as *mut _), &mut text)
            .map_err(|e| io::Error::other(e.message()))?;
        let s = text.to_string().unwrap_or_default();
        let _ = LocalFree(Some(HLOCAL(text.0.cast())));
        Ok(s)
    }
}

pub(super) struct Listener {
    name: String,
    next: NamedPipeServer,
}

/// A pipe only this user (and the system) may open: an explicit DACL, not
/// the default one, which lets other local accounts connect.
fn create(name: &str, first: bool) -> io::Result<NamedPipeServer> {
    use windows::core::PCWSTR;
    use windows::Win32::Foundation::{LocalFree, HLOCAL};
    use windows::Win32::Security::Authorization::{
        ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
    };
    use windows::Win32::Security::{PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES};
    // SAFETY: our own token; the descriptor is freed after the pipe exists.
    let sid = unsafe { user_sid(GetCurrentProcess()) }
        .ok_or_else(|| io::Error::other("cannot read this user's SID"))?;
    let sddl: Vec<u16> = format!("D:P(A;;GA;;;{})(A;;GA;;;SY)", sid_string(&sid)?)
        .encode_utf16()
        .chain([0])
        .collect();
    let mut sd = PSECURITY_DESCRIPTOR::default();
    unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(
            PCWSTR(sddl.as_ptr()),
            SDDL_REVISION_1,
            &mut sd,
            None,
        )
        .map_err(|e| io::Error::other(e.message()))?;
    }
    let mut attrs = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: sd.0,
        bInheritHandle: false.into(),
    };
    // SAFETY: `attrs` outlives the call.
    let pipe = unsafe {
        ServerOptions::new()
            .first_pipe_instance(first)
            .reject_remote_clients(true)
            .create_with_security_attributes_raw(
                name,
                (&mut attrs as *mut SECURITY_ATTRIBUTES).cast(),
            )
    };
    unsafe {
        let _ = LocalFree(Some(HLOCAL(sd.0)));
    }
    pipe
}

impl Listener {
    pub(super) fn bind(_runtime_dir: &Path) -> io::Result<Self> {
        let name = pipe_name()?;
        let next = create(&name, true)?;
        Ok(Self { name, next })
    }

    pub(super) async fn accept(&mut self) -> io::Result<Option<(NamedPipeServer, Option<u32>)>> {
        self.next.connect().await?;
        let fresh = create(&self.name, false)?;
        let connected = std::mem::replace(&mut self.next, fresh);
        Ok(client_of_same_user(&connected).map(|pid| (connected, Some(pid))))
    }
}

/// The connecting process's id, when it runs as this user.
fn client_of_same_user(pipe: &NamedPipeServer) -> Option<u32> {
    let handle = HANDLE(pipe.as_raw_handle());
    let mut pid = 0u32;
    // SAFETY: `handle` is a live pipe handle owned by `pipe`.
    unsafe { GetNamedPipeClientProcessId(handle, &mut pid) }.ok()?;
    same_user_as_us(pid).then_some(pid)
}

/// Whether process `pid` runs as this user (compared by SID).
fn same_user_as_us(pid: u32) -> bool {
    // SAFETY: plain Win32 calls on handles we own and close.
    unsafe {
        let Ok(process) = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid) else {
            return false;
        };
        let theirs = user_sid(process);
        let _ = CloseHandle(process);
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

// winbase.h's values (the windows crate has them under a feature Veil
// does not otherwise need).
const SECURITY_SQOS_PRESENT: u32 = 0x0010_0000;
const SECURITY_IDENTIFICATION: u32 = 1 << 16;

pub(super) fn connect(_runtime_dir: &Path, timeout: Duration) -> Result<File, ClientError> {
    let deadline = std::time::Instant::now() + timeout;
    let name = pipe_name()?;
    // A server that is not Veil (checked below) may not act as this user:
    // it may identify the client, never impersonate it.
    let qos = SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION;
    loop {
        match OpenOptions::new()
            .read(true)
            .write(true)
            .security_qos_flags(qos)
            .open(&name)
        {
            Ok(f) => {
                // The server must be this user's: a pipe of that name made
                // by someone else first is not Veil.
                let mut server = 0u32;
                // SAFETY: `f` is an open pipe handle.
                let known = unsafe {
                    windows::Win32::System::Pipes::GetNamedPipeServerProcessId(
                        HANDLE(f.as_raw_handle()),
                        &mut server,
                    )
                }
                .is_ok();
                if !known || !same_user_as_us(server) {
                    return Err(ClientError::Io(io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "the control pipe is held by another user's process",
                    )));
                }
                return Ok(f);
            }
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
