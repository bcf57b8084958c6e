//! Which processes are connected to the audio server, as the kernel knows
//! it. A PulseAudio client declares its own process id
//! (`application.process.id`, settable with `PULSE_PROP_...`), so a
//! recorder can claim to be Veil or the softphone. The kernel knows the
//! truth about the sockets: the server's end of each connection (named by
//! the server's socket path) and its peer, the client's end, which belongs
//! to a process whose descriptors /proc lists. Counting each process's
//! connections then checks each claim: a pid claimed by more clients than
//! it has connections is claimed falsely.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The audio server's socket, as libpulse finds it: `PULSE_SERVER` when it
/// names a Unix socket, else `$XDG_RUNTIME_DIR/pulse/native`.
pub fn pulse_socket() -> Option<PathBuf> {
    if let Ok(server) = std::env::var("PULSE_SERVER") {
        return server
            .split_whitespace()
            .find_map(|s| s.strip_prefix("unix:"))
            .map(PathBuf::from);
    }
    dirs::runtime_dir().map(|d| d.join("pulse").join("native"))
}

/// Connections to the socket at `server` by process id (those this user
/// can see: every one of its own). A process whose environment sets its
/// own `application.process.id` (`PULSE_PROP_application.process.id=...`)
/// counts as having none: counting alone cannot see two clients that swap
/// claims (a recorder claiming the softphone's pid while the softphone,
/// started with that variable, claims the recorder's), and an unmodified
/// program makes such a claim only through its environment. Its pid is
/// then believed for no client.
pub fn connections(server: &Path) -> io::Result<HashMap<u32, usize>> {
    let client_ends: HashSet<u32> = serving_ends(server)?
        .iter()
        .filter_map(|s| s.peer)
        .collect();
    let mut out = holders(&client_ends)?;
    out.retain(|pid, _| !declares_its_own_pid(*pid));
    Ok(out)
}

/// Whether the process's environment overrides the pid libpulse sends.
fn declares_its_own_pid(pid: u32) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(format!("/proc/{pid}/environ")) else {
        return false;
    };
    let mut environ = Vec::new();
    // The kernel caps the initial environment far below this.
    let _ = file.take(4 << 20).read_to_end(&mut environ);
    environment_sets_process_id(&environ)
}

/// libpulse takes client properties from `PULSE_PROP` (`key=value` pairs)
/// and `PULSE_PROP_<key>`, and their `_OVERRIDE` forms.
fn environment_sets_process_id(environ: &[u8]) -> bool {
    environ.split(|b| *b == 0).any(|entry| {
        let Some(eq) = entry.iter().position(|b| *b == b'=') else {
            return false;
        };
        let (name, value) = (&entry[..eq], &entry[eq + 1..]);
        let mentions = |text: &[u8]| {
            text.windows(b"application.process.id".len())
                .any(|w| w == b"application.process.id")
        };
        name.starts_with(b"PULSE_PROP") && (mentions(name) || mentions(value))
    })
}

/// The server's ends of the socket at `server`: its listening socket and
/// one per connection (accepted sockets carry the listener's name).
fn serving_ends(server: &Path) -> io::Result<Vec<UnixSocket>> {
    let name = server.as_os_str().as_bytes();
    Ok(unix_sockets()?
        .into_iter()
        .filter(|s| s.name.as_deref() == Some(name))
        .collect())
}

/// The processes serving the socket at `server`: those holding its
/// listening socket or the server's end of a connection. On PipeWire that
/// is pipewire-pulse, whose pid its pulse clients carry as
/// `pipewire.sec.pid` (the pid of PipeWire's own connection, not theirs).
pub fn server_pids(server: &Path) -> io::Result<HashSet<u32>> {
    let server_ends: HashSet<u32> = serving_ends(server)?.iter().map(|s| s.ino).collect();
    Ok(holders(&server_ends)?.into_keys().collect())
}

/// How many of the socket `inodes` each process holds.
fn holders(inodes: &HashSet<u32>) -> io::Result<HashMap<u32, usize>> {
    let mut out: HashMap<u32, usize> = HashMap::new();
    if inodes.is_empty() {
        return Ok(out);
    }
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let inode = target
                .to_str()
                .and_then(|t| t.strip_prefix("socket:["))
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse::<u32>().ok());
            if inode.is_some_and(|i| inodes.contains(&i)) {
                *out.entry(pid).or_default() += 1;
            }
        }
    }
    Ok(out)
}

/// How each client's claimed process id holds up against the connections.
/// `claims`: each client's index and the pid it claims. Returns the
/// clients whose claim is believable: the pid has at least as many
/// connections to the server as there are clients claiming it.
pub fn verified_clients(
    claims: &BTreeMap<u32, u32>,
    connections: &HashMap<u32, usize>,
) -> HashSet<u32> {
    let mut claimed: HashMap<u32, usize> = HashMap::new();
    for pid in claims.values() {
        *claimed.entry(*pid).or_default() += 1;
    }
    claims
        .iter()
        .filter(|(_, pid)| {
            let have = connections.get(pid).copied().unwrap_or(0);
            have > 0 && claimed.get(pid).copied().unwrap_or(0) <= have
        })
        .map(|(client, _)| *client)
        .collect()
}

struct UnixSocket {
    /// This end's inode.
    ino: u32,
    name: Option<Vec<u8>>,
    peer: Option<u32>,
}

// The kernel's sock_diag interface for Unix sockets (linux/unix_diag.h).
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const UDIAG_SHOW_NAME: u32 = 0x01;
const UDIAG_SHOW_PEER: u32 = 0x04;
const UNIX_DIAG_NAME: u16 = 0;
const UNIX_DIAG_PEER: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_ERROR: u16 = 2;

#[repr(C)]
struct NlMsgHdr {
    len: u32,
    kind: u16,
    flags: u16,
    seq: u32,
    pid: u32,
}

#[repr(C)]
struct UnixDiagReq {
    family: u8,
    protocol: u8,
    pad: u16,
    states: u32,
    ino: u32,
    show: u32,
    cookie: [u32; 2],
}

#[repr(C)]
struct Request {
    header: NlMsgHdr,
    req: UnixDiagReq,
}

/// Every Unix socket with its bound name and peer inode.
fn unix_sockets() -> io::Result<Vec<UnixSocket>> {
    // SAFETY: a plain socket; closed by the guard below.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            libc::NETLINK_SOCK_DIAG,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    struct Close(i32);
    impl Drop for Close {
        fn drop(&mut self) {
            // SAFETY: our own descriptor, closed once.
            unsafe { libc::close(self.0) };
        }
    }
    let _close = Close(fd);
    let request = Request {
        header: NlMsgHdr {
            len: std::mem::size_of::<Request>() as u32,
            kind: SOCK_DIAG_BY_FAMILY,
            flags: (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16,
            seq: 1,
            pid: 0,
        },
        req: UnixDiagReq {
            family: libc::AF_UNIX as u8,
            protocol: 0,
            pad: 0,
            states: u32::MAX,
            ino: 0,
            show: UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
            cookie: [u32::MAX; 2],
        },
    };
    // SAFETY: `request` is a plain C struct of the given size.
    let sent = unsafe {
        libc::send(
            fd,
            (&request as *const Request).cast(),
            std::mem::size_of::<Request>(),
            0,
        )
    };
    if sent < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        // SAFETY: buf is writable for its length.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let n = n as usize;
        let mut at = 0usize;
        while at + 16 <= n {
            let len = u32::from_ne_bytes(field(&buf, at)?) as usize;
            let kind = u16::from_ne_bytes(field(&buf, at + 4)?);
            if len < 16 || at + len > n {
                return Err(io::Error::other("a short netlink message"));
            }
            match kind {
                NLMSG_DONE => return Ok(out),
                NLMSG_ERROR => return Err(io::Error::other("the kernel refused sock_diag")),
                _ => out.extend(parse(&buf[at + 16..at + len])),
            }
            at += (len + 3) & !3;
        }
    }
}

fn field<const N: usize>(buf: &[u8], at: usize) -> io::Result<[u8; N]> {
    buf.get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| io::Error::other("a short netlink message"))
}

/// One `unix_diag_msg` (16 bytes) and its attributes.
fn parse(msg: &[u8]) -> Option<UnixSocket> {
    const HEADER: usize = 16;
    if msg.len() < HEADER {
        return None;
    }
    // udiag_family, type, state, pad, then udiag_ino.
    let mut socket = UnixSocket {
        ino: u32::from_ne_bytes([msg[4], msg[5], msg[6], msg[7]]),
        name: None,
        peer: None,
    };
    let mut at = HEADER;
    while at + 4 <= msg.len() {
        let len = u16::from_ne_bytes([msg[at], msg[at + 1]]) as usize;
        let kind = u16::from_ne_bytes([msg[at + 2], msg[at + 3]]);
        if len < 4 || at + len > msg.len() {
            break;
        }
        let data = &msg[at + 4..at + len];
        match kind {
            UNIX_DIAG_NAME => {
                // Abstract names start with a NUL; paths may be padded.
                let end = data.iter().position(|b| *b == 0).filter(|p| *p > 0);
                socket.name = Some(data[..end.unwrap_or(data.len())].to_vec());
            }
            UNIX_DIAG_PEER if data.len() >= 4 => {
                socket.peer = Some(u32::from_ne_bytes([data[0], data[1], data[2], data[3]]));
            }
            _ => {}
        }
        at += (len + 3) & !3;
    }
    Some(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_beyond_a_processs_connections_are_not_believed() {
        // client -> claimed pid
        let claims: BTreeMap<u32, u32> = [(1, 100), (2, 100), (3, 200), (4, 300)]
            .into_iter()
            .collect();
        // 100 (Veil) has two connections, 200 (the softphone) one, 300 none.
        let connections: HashMap<u32, usize> = [(100, 2), (200, 1), (999, 1)].into_iter().collect();
        let ok = verified_clients(&claims, &connections);
        assert_eq!(ok, [1, 2, 3].into_iter().collect());
        // A recorder (999) claims to be the softphone: both claims of 200
        // are in doubt.
        let claims: BTreeMap<u32, u32> = [(3, 200), (5, 200)].into_iter().collect();
        assert!(verified_clients(&claims, &connections).is_empty());
    }

    #[test]
    fn an_environment_that_sets_the_process_id_is_seen() {
        let table: &[(&[u8], bool)] = &[
            (b"HOME=/home/agent\0LANG=en_US.UTF-8\0", false),
            (b"HOME=/h\0PULSE_PROP_application.process.id=4242\0", true),
            (
                b"PULSE_PROP=media.role=phone application.process.id=4242\0",
                true,
            ),
            (b"PULSE_PROP_OVERRIDE_application.process.id=1\0", true),
            (b"PULSE_PROP_media.role=phone\0", false),
            // Only libpulse's variables count.
            (b"NOTES=application.process.id\0", false),
            (b"PULSE_PROP_application.process.id", false),
        ];
        for (environ, sets) in table {
            assert_eq!(
                environment_sets_process_id(environ),
                *sets,
                "{}",
                String::from_utf8_lossy(environ)
            );
        }
    }

    #[test]
    fn a_process_connected_to_a_socket_is_counted_by_the_kernel_s_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("native");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let _a = std::os::unix::net::UnixStream::connect(&path).unwrap();
        let _b = std::os::unix::net::UnixStream::connect(&path).unwrap();
        let _server_a = listener.accept().unwrap();
        let _server_b = listener.accept().unwrap();
        let counts = connections(&path).unwrap();
        // This process holds both ends; the client ends are what count.
        assert_eq!(
            counts.get(&std::process::id()).copied(),
            Some(2),
            "{counts:?}"
        );
    }
}
