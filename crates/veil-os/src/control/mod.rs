//! The local control channel between the running app and its clients (the
//! `veil` CLI, a second launch, the window process): one JSON request a
//! line, one JSON response a line; the window process's link then carries
//! the app's messages to it, one a line. Only
//! the same OS user can connect: a Unix socket in a 0700 directory with the
//! peer's uid checked, or a local-only named pipe with the client's user SID
//! checked on Windows.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use self::windows as platform;

use std::collections::VecDeque;
use std::future::Future;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
    BufReader as TokioBufReader,
};
use tokio::sync::{mpsc, oneshot, watch};
use veil_core::control::{LinkRequest, Request, Response, WindowMessage};
use veil_core::mic::MicLevel;

/// A request line larger than this is refused: the channel carries short
/// commands, never data.
const MAX_LINE: usize = 64 * 1024;

/// A client has this long to send its request after connecting; one that
/// says nothing is dropped (it would hold a file descriptor forever).
const FIRST_LINE_WITHIN: Duration = Duration::from_secs(3);

/// A connection that already asked something may ask again within this.
const NEXT_LINE_WITHIN: Duration = Duration::from_secs(10);

/// At most this many connections may wait for their first line; beyond it
/// the one that has waited longest is dropped. Veil's own clients send
/// theirs at once, so under a flood of idle connections they still get in.
const MAX_WAITING: usize = 32;

/// At most this many connections at all; beyond it the oldest (not the
/// window link) is dropped.
const MAX_CONNECTIONS: usize = 256;

/// A window process that does not read what the app sends for this long is
/// stuck: its link is closed.
const LINK_WRITE_WITHIN: Duration = Duration::from_secs(10);

pub type Handler =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// The app's end of an attached window process's link.
pub struct Link {
    pub id: u64,
    /// Opens and closes, in order (a few).
    pub messages: mpsc::UnboundedReceiver<WindowMessage>,
    /// The latest state and mic level: a window process that reads slowly
    /// gets the newest one, never a queue of old ones.
    pub snapshot: watch::Receiver<Option<serde_json::Value>>,
    pub level: watch::Receiver<Option<MicLevel>>,
}

/// What the app does with a window process: accept it (or not, by its
/// process id as the OS says it) and answer its requests.
pub trait WindowHost: Send + Sync {
    /// `peer`: the connecting process, from the socket's peer credentials
    /// (the pipe's client process on Windows).
    fn attach(&self, peer: Option<u32>) -> Result<Link, String>;
    /// A request on link `link`; a call's answer is returned.
    fn request(
        &self,
        link: u64,
        request: LinkRequest,
    ) -> Pin<Box<dyn Future<Output = Option<Response>> + Send>>;
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Veil is not running")]
    NotRunning,
    #[error("the running Veil did not answer: {0}")]
    Io(#[from] io::Error),
    #[error("the running Veil sent an answer this version does not understand: {0}")]
    BadAnswer(String),
}

/// The listening end, held by the running app.
pub struct ControlServer {
    listener: platform::Listener,
}

/// Connections by age, so the oldest can be dropped when there are too
/// many: each entry's sender ends its connection.
#[derive(Default)]
struct Connections {
    next: u64,
    waiting: VecDeque<(u64, oneshot::Sender<()>)>,
    open: VecDeque<u64>,
    /// Ends for connections past their first line, by id.
    ends: Vec<(u64, oneshot::Sender<()>)>,
}

impl Connections {
    /// A new connection: its id and what ends it early.
    fn admit(&mut self) -> (u64, oneshot::Receiver<()>) {
        self.next += 1;
        let id = self.next;
        let (tx, rx) = oneshot::channel();
        self.waiting.push_back((id, tx));
        self.open.push_back(id);
        while self.waiting.len() > MAX_WAITING {
            if let Some((_, end)) = self.waiting.pop_front() {
                let _ = end.send(());
            }
        }
        while self.open.len() > MAX_CONNECTIONS {
            let Some(oldest) = self.open.pop_front() else {
                break;
            };
            if let Some(i) = self.ends.iter().position(|(c, _)| *c == oldest) {
                let (_, end) = self.ends.remove(i);
                let _ = end.send(());
            }
        }
        (id, rx)
    }

    /// The connection sent its first line; it may be dropped only for age.
    fn spoke(&mut self, id: u64) {
        if let Some(i) = self.waiting.iter().position(|(c, _)| *c == id) {
            if let Some(entry) = self.waiting.remove(i) {
                self.ends.push(entry);
            }
        }
    }

    /// The window link is never dropped for age.
    fn keep(&mut self, id: u64) {
        self.open.retain(|c| *c != id);
        self.ends.retain(|(c, _)| *c != id);
    }

    fn closed(&mut self, id: u64) {
        self.waiting.retain(|(c, _)| *c != id);
        self.open.retain(|c| *c != id);
        self.ends.retain(|(c, _)| *c != id);
    }
}

impl ControlServer {
    /// Starts listening; call it inside the Tokio runtime that will serve.
    /// The caller must hold the instance lock, so any socket left in
    /// `runtime_dir` is stale and may be replaced.
    pub fn bind(runtime_dir: &Path) -> io::Result<Self> {
        Ok(Self {
            listener: platform::Listener::bind(runtime_dir)?,
        })
    }

    /// Serves connections until the task is dropped; each connection on its
    /// own task so a stuck client never blocks another.
    pub async fn serve(mut self, handler: Handler, host: Arc<dyn WindowHost>) {
        let connections: Arc<Mutex<Connections>> = Arc::default();
        loop {
            match self.listener.accept().await {
                Ok(Some((conn, peer))) => {
                    let handler = handler.clone();
                    let host = host.clone();
                    let connections = connections.clone();
                    let (id, end) = lock(&connections).admit();
                    tokio::spawn(async move {
                        // Ended early only when told to: a sender dropped
                        // because the connection is kept is no end.
                        let ended = async {
                            if end.await.is_err() {
                                std::future::pending::<()>().await;
                            }
                        };
                        let served = tokio::select! {
                            r = serve_connection(conn, peer, id, &connections, handler, host) => r,
                            _ = ended => Ok(()),
                        };
                        lock(&connections).closed(id);
                        if let Err(e) = served {
                            tracing::debug!("control connection ended: {e}");
                        }
                    });
                }
                Ok(None) => {
                    tracing::warn!("refused a control connection from another user");
                }
                Err(e) => {
                    tracing::warn!("control channel accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}

fn lock(c: &Mutex<Connections>) -> std::sync::MutexGuard<'_, Connections> {
    c.lock().unwrap_or_else(|e| e.into_inner())
}

async fn serve_connection<S>(
    conn: S,
    peer: Option<u32>,
    id: u64,
    connections: &Mutex<Connections>,
    handler: Handler,
    host: Arc<dyn WindowHost>,
) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (read, mut write) = tokio::io::split(conn);
    let mut reader = TokioBufReader::new(read);
    let mut line = String::new();
    let mut first = true;
    loop {
        line.clear();
        let within = if first {
            FIRST_LINE_WITHIN
        } else {
            NEXT_LINE_WITHIN
        };
        let mut limited = (&mut reader).take(MAX_LINE as u64 + 1);
        let read = limited.read_line(&mut line);
        let n = match tokio::time::timeout(within, read).await {
            Ok(n) => n?,
            // Silent too long: drop it.
            Err(_) => return Ok(()),
        };
        if n == 0 {
            return Ok(());
        }
        if first {
            first = false;
            lock(connections).spoke(id);
        }
        let request = (n <= MAX_LINE).then(|| serde_json::from_str::<Request>(line.trim()));
        let response = match request {
            None => Response::error("request too long"),
            Some(Ok(Request::AttachWindows)) => match host.attach(peer) {
                Ok(link) => {
                    lock(connections).keep(id);
                    write_line(&mut write, &Response::value(link.id.into())).await?;
                    return serve_link(reader, &mut write, link, host).await;
                }
                Err(why) => Response::error(why),
            },
            Some(Ok(req)) => handler(req).await,
            Some(Err(e)) => Response::error(format!("not a request this Veil understands: {e}")),
        };
        write_line(&mut write, &response).await?;
        if n > MAX_LINE {
            return Ok(());
        }
    }
}

async fn write_line<W, T>(write: &mut W, value: &T) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
    T: serde::Serialize,
{
    let mut out = serde_json::to_vec(value).map_err(io::Error::other)?;
    out.push(b'\n');
    let written = async {
        write.write_all(&out).await?;
        write.flush().await
    };
    match tokio::time::timeout(LINK_WRITE_WITHIN, written).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the other end does not read",
        )),
    }
}

/// The window process's link: the app's messages go out as they come (the
/// state and the mic level only in their latest version); the process's
/// requests are answered on the same link, each on a task of its own.
async fn serve_link<R, W>(
    reader: R,
    write: &mut W,
    mut link: Link,
    host: Arc<dyn WindowHost>,
) -> io::Result<()>
where
    R: AsyncBufRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin,
{
    let (reply_tx, mut replies) = mpsc::channel::<WindowMessage>(64);
    // Lines are read on a task of their own: a read in the select below
    // would lose a half-read line whenever another branch won.
    let (line_tx, mut lines) = mpsc::channel::<Option<String>>(16);
    let reading = tokio::spawn(async move {
        let mut reader = reader;
        loop {
            let mut line = String::new();
            let mut limited = (&mut reader).take(MAX_LINE as u64 + 1);
            match limited.read_line(&mut line).await {
                Ok(n) if n > 0 && n <= MAX_LINE => {
                    if line_tx.send(Some(line)).await.is_err() {
                        return;
                    }
                }
                _ => {
                    let _ = line_tx.send(None).await;
                    return;
                }
            }
        }
    });
    let result = feed_link(write, &mut link, host, &reply_tx, &mut replies, &mut lines).await;
    reading.abort();
    result
}

async fn feed_link<W>(
    write: &mut W,
    link: &mut Link,
    host: Arc<dyn WindowHost>,
    reply_tx: &mpsc::Sender<WindowMessage>,
    replies: &mut mpsc::Receiver<WindowMessage>,
    lines: &mut mpsc::Receiver<Option<String>>,
) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let mut snapshot_open = true;
    let mut level_open = true;
    loop {
        tokio::select! {
            message = link.messages.recv() => match message {
                Some(m) => write_line(write, &m).await?,
                // The app ended the link: closing it tells the process to quit.
                None => return Ok(()),
            },
            changed = link.snapshot.changed(), if snapshot_open => match changed {
                Ok(()) => {
                    let latest = link.snapshot.borrow_and_update().clone();
                    if let Some(snapshot) = latest {
                        write_line(write, &WindowMessage::Snapshot { snapshot }).await?;
                    }
                }
                Err(_) => snapshot_open = false,
            },
            changed = link.level.changed(), if level_open => match changed {
                Ok(()) => {
                    let latest = link.level.borrow_and_update().clone();
                    if let Some(level) = latest {
                        write_line(write, &WindowMessage::MicLevel { level }).await?;
                    }
                }
                Err(_) => level_open = false,
            },
            Some(reply) = replies.recv() => write_line(write, &reply).await?,
            line = lines.recv() => {
                // The process closed its end, or sent a line too long.
                let Some(Some(line)) = line else {
                    return Ok(());
                };
                let request = match serde_json::from_str::<LinkRequest>(line.trim()) {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::warn!("the window process sent what this Veil does not understand: {e}");
                        continue;
                    }
                };
                let call_id = match &request {
                    LinkRequest::Call { id, .. } => Some(*id),
                    LinkRequest::Idle { .. } => None,
                };
                let answer = host.request(link.id, request);
                let tx = reply_tx.clone();
                tokio::spawn(async move {
                    let response = answer.await;
                    if let (Some(id), Some(response)) = (call_id, response) {
                        let _ = tx.send(WindowMessage::Reply { id, response }).await;
                    }
                });
            }
        }
    }
}

/// Sends one request to the running app and waits for its answer.
pub fn request(
    runtime_dir: &Path,
    req: &Request,
    timeout: Duration,
) -> Result<Response, ClientError> {
    let stream = platform::connect(runtime_dir, timeout)?;
    let mut line = serde_json::to_vec(req).map_err(|e| ClientError::BadAnswer(e.to_string()))?;
    line.push(b'\n');
    let mut writer = stream.try_clone_stream()?;
    writer.write_all(&line)?;
    writer.flush()?;
    let mut reader = BufReader::new(stream);
    let mut answer = String::new();
    reader.read_line(&mut answer)?;
    if answer.is_empty() {
        return Err(ClientError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed without an answer",
        )));
    }
    serde_json::from_str(answer.trim()).map_err(|e| ClientError::BadAnswer(e.to_string()))
}

/// The window process's end of its link to the running app.
pub struct WindowLink {
    id: u64,
    reader: BufReader<platform::Stream>,
    writer: LinkWriter,
}

/// Sends the window process's requests on its link; cloned for every
/// window call. Writes are short lines, so a blocking write is fine.
#[derive(Clone)]
pub struct LinkWriter(Arc<Mutex<platform::Stream>>);

impl LinkWriter {
    pub fn send(&self, request: &LinkRequest) -> Result<(), ClientError> {
        let mut line =
            serde_json::to_vec(request).map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        line.push(b'\n');
        let mut w = self.0.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(&line)?;
        w.flush()?;
        Ok(())
    }
}

impl WindowLink {
    /// Attaches to the running app as its window process (refused unless
    /// this process is the one the app started).
    pub fn attach(runtime_dir: &Path, timeout: Duration) -> Result<WindowLink, ClientError> {
        let stream = platform::connect(runtime_dir, timeout)?;
        let mut writer = stream.try_clone_stream()?;
        let mut line = serde_json::to_vec(&Request::AttachWindows)
            .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        line.push(b'\n');
        writer.write_all(&line)?;
        writer.flush()?;
        let mut reader = BufReader::new(stream);
        let mut answer = String::new();
        reader.read_line(&mut answer)?;
        let response: Response = serde_json::from_str(answer.trim())
            .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        let id = match (
            response.ok,
            response.value.as_ref().and_then(|v| v.as_u64()),
        ) {
            (true, Some(id)) => id,
            _ => {
                return Err(ClientError::BadAnswer(
                    response.error.unwrap_or_else(|| "no link id".into()),
                ))
            }
        };
        // From here on the link is quiet until the app has something to say.
        reader.get_ref().wait_without_timeout()?;
        Ok(WindowLink {
            id,
            reader,
            writer: LinkWriter(Arc::new(Mutex::new(writer))),
        })
    }

    /// The id the app gave this link.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn writer(&self) -> LinkWriter {
        self.writer.clone()
    }

    /// The app's next message; `None` once the app has closed the link
    /// (it quit, or the window process should).
    pub fn next_message(&mut self) -> Option<Result<WindowMessage, ClientError>> {
        let mut line = String::new();
        match (&mut self.reader)
            .take(MAX_LINE as u64 * 64)
            .read_line(&mut line)
        {
            Ok(0) => None,
            Ok(_) => Some(
                serde_json::from_str(line.trim())
                    .map_err(|e| ClientError::BadAnswer(e.to_string())),
            ),
            Err(e) => Some(Err(ClientError::Io(e))),
        }
    }
}

/// A blocking client stream that can be split into a reader and a writer.
pub(crate) trait ClientStream: io::Read + io::Write + Sized {
    fn try_clone_stream(&self) -> io::Result<Self>;
    /// Reads wait as long as it takes (a link is quiet for hours).
    fn wait_without_timeout(&self) -> io::Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use veil_core::control::{args, WindowName};

    /// On Windows every server in this process binds the same pipe (it is
    /// named by the user, not the directory), so the tests take turns.
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    fn handler() -> Handler {
        Arc::new(|req| {
            Box::pin(async move {
                match req {
                    Request::Privacy { on } => Response::ok(Some(serde_json::json!({ "on": on }))),
                    _ => Response::error("nope"),
                }
            })
        })
    }

    /// A window host that accepts only `allowed` and answers every call
    /// with the call's name.
    struct TestHost {
        allowed: Mutex<Option<u32>>,
        senders: Mutex<Vec<mpsc::UnboundedSender<WindowMessage>>>,
        snapshots: watch::Sender<Option<serde_json::Value>>,
        idle: Mutex<Vec<u64>>,
    }

    impl TestHost {
        fn new(allowed: Option<u32>) -> Arc<TestHost> {
            Arc::new(TestHost {
                allowed: Mutex::new(allowed),
                senders: Mutex::default(),
                snapshots: watch::channel(None).0,
                idle: Mutex::default(),
            })
        }
    }

    impl WindowHost for TestHost {
        fn attach(&self, peer: Option<u32>) -> Result<Link, String> {
            let allowed = *self.allowed.lock().unwrap();
            if allowed.is_none() || peer != allowed {
                return Err(format!("process {peer:?} is not the window process"));
            }
            let (tx, rx) = mpsc::unbounded_channel();
            tx.send(WindowMessage::Open {
                seq: 1,
                window: WindowName::Main,
            })
            .unwrap();
            let mut senders = self.senders.lock().unwrap();
            senders.push(tx);
            Ok(Link {
                id: senders.len() as u64,
                messages: rx,
                snapshot: self.snapshots.subscribe(),
                level: watch::channel(None).1,
            })
        }

        fn request(
            &self,
            link: u64,
            request: LinkRequest,
        ) -> Pin<Box<dyn Future<Output = Option<Response>> + Send>> {
            match request {
                LinkRequest::Call { call, window, .. } => Box::pin(async move {
                    Some(Response::value(
                        format!("{}:{}", window.label(), call.name()).into(),
                    ))
                }),
                LinkRequest::Idle { .. } => {
                    self.idle.lock().unwrap().push(link);
                    Box::pin(async { None })
                }
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn request_round_trip_and_not_running() {
        let _turn = SERIAL.lock().await;
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let err = request(&runtime, &Request::Status, Duration::from_secs(1)).unwrap_err();
        assert!(matches!(err, ClientError::NotRunning), "{err}");

        let server = ControlServer::bind(&runtime).unwrap();
        let task = tokio::spawn(server.serve(handler(), TestHost::new(None)));
        let runtime2 = runtime.clone();
        let resp = tokio::task::spawn_blocking(move || {
            request(
                &runtime2,
                &Request::Privacy { on: true },
                Duration::from_secs(2),
            )
        })
        .await
        .unwrap()
        .unwrap();
        assert!(resp.ok);
        assert_eq!(resp.status.unwrap()["on"], true);

        // Garbage gets an error answer, not a hang or a crash.
        let runtime3 = runtime.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let mut s = raw_client(&runtime3);
            s.write_all(b"{not json\n").unwrap();
            let mut line = String::new();
            BufReader::new(s).read_line(&mut line).unwrap();
            line
        })
        .await
        .unwrap();
        assert!(answer.contains("\"ok\":false"), "{answer}");

        // The socket and its directory are private to this user.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&runtime).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        task.abort();
        // The server's pipe is gone before the next test binds one.
        let _ = task.await;
        // Proves (Windows): the server's next pipe instance is released
        // once it stops, so a later bind works (not a stale "busy").
    }

    /// Set in the child process the next test starts: the runtime dir.
    #[cfg(windows)]
    const CHILD: &str = "VEIL_TEST_CONTROL_CHILD";

    /// Proves (Windows; runs under Wine): a client in another process of
    /// this user is answered, and the server names it by its own pid
    /// (GetNamedPipeClientProcessId, its token's SID compared with ours),
    /// so the window process the app started can attach.
    #[cfg(windows)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_in_another_process_is_answered_and_known_by_its_pid() {
        use std::process::{Command, Stdio};
        let _turn = SERIAL.lock().await;
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let server = ControlServer::bind(&runtime).unwrap();
        let host = TestHost::new(None);
        let task = tokio::spawn(server.serve(handler(), host.clone()));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "control::tests::child_client",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Only the child may attach, and only once it is known.
        *host.allowed.lock().unwrap() = Some(child.id());
        let mut go = child.stdin.take().unwrap();
        go.write_all(b"go\n").unwrap();
        drop(go);
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .unwrap()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("child: privacy answered"), "{text}");
        assert!(
            text.contains("child: attached, told to open main"),
            "{text}"
        );
        task.abort();
        let _ = task.await;
    }

    /// The client half of the test above; does nothing in the parent.
    #[cfg(windows)]
    #[test]
    fn child_client() {
        let Some(runtime) = std::env::var_os(CHILD) else {
            return;
        };
        let runtime = std::path::PathBuf::from(runtime);
        let resp = request(
            &runtime,
            &Request::Privacy { on: true },
            Duration::from_secs(5),
        )
        .unwrap();
        assert!(resp.ok, "{resp:?}");
        println!("child: privacy answered");
        let mut go = String::new();
        std::io::stdin().read_line(&mut go).unwrap();
        let mut link = WindowLink::attach(&runtime, Duration::from_secs(5)).unwrap();
        let first = link.next_message().unwrap().unwrap();
        assert_eq!(
            first,
            WindowMessage::Open {
                seq: 1,
                window: WindowName::Main
            }
        );
        println!("child: attached, told to open main");
    }

    /// A client that writes raw bytes, bypassing `request`.
    #[cfg(unix)]
    fn raw_client(runtime: &Path) -> std::os::unix::net::UnixStream {
        std::os::unix::net::UnixStream::connect(runtime.join("control.sock")).unwrap()
    }

    #[cfg(windows)]
    fn raw_client(_runtime: &Path) -> std::fs::File {
        let name = platform::pipe_name().unwrap();
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name)
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn only_the_expected_process_attaches_and_calls_go_only_on_its_link() {
        let _turn = SERIAL.lock().await;
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let server = ControlServer::bind(&runtime).unwrap();
        // This test process is "the window process the app started".
        let host = TestHost::new(Some(std::process::id()));
        let task = tokio::spawn(server.serve(handler(), host.clone()));

        let rt = runtime.clone();
        let (mut link, first) = tokio::task::spawn_blocking(move || {
            let mut link = WindowLink::attach(&rt, Duration::from_secs(2)).unwrap();
            let first = link.next_message().unwrap().unwrap();
            (link, first)
        })
        .await
        .unwrap();
        assert_eq!(
            first,
            WindowMessage::Open {
                seq: 1,
                window: WindowName::Main
            }
        );
        // A call on the link is answered on the link, with its id.
        let writer = link.writer();
        writer
            .send(&LinkRequest::Call {
                id: 9,
                window: WindowName::Quiz,
                call: args::CloseQuiz { later: false }.into(),
            })
            .unwrap();
        let (mut link, reply) = tokio::task::spawn_blocking(move || {
            let m = link.next_message().unwrap().unwrap();
            (link, m)
        })
        .await
        .unwrap();
        assert_eq!(
            reply,
            WindowMessage::Reply {
                id: 9,
                response: Response::value("quiz:close_quiz".into())
            }
        );
        // A reader that does not keep up gets the newest state, not a queue
        // of every one: with the socket's buffer full, older ones are skipped.
        let padding = "x".repeat(10_000);
        for n in 0..1000 {
            host.snapshots
                .send_replace(Some(serde_json::json!({ "n": n, "pad": padding })));
            if n % 50 == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (mut link, seen) = tokio::task::spawn_blocking(move || {
            let mut seen = vec![];
            loop {
                match link.next_message().unwrap().unwrap() {
                    WindowMessage::Snapshot { snapshot } => {
                        let n = snapshot["n"].as_u64().unwrap();
                        seen.push(n);
                        if n == 999 {
                            return (link, seen);
                        }
                    }
                    other => panic!("{other:?}"),
                }
            }
        })
        .await
        .unwrap();
        assert!(seen.len() < 500, "{} of 1000 snapshots queued", seen.len());
        writer.send(&LinkRequest::Idle { seen: 1 }).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(*host.idle.lock().unwrap(), vec![1]);
        // The app dropping its sender ends the link.
        host.senders.lock().unwrap().clear();
        let end = tokio::task::spawn_blocking(move || link.next_message().is_none())
            .await
            .unwrap();
        assert!(end, "the link ends when the app drops its sender");
        task.abort();
        // The server's pipe is gone before the next test binds one.
        let _ = task.await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_impostor_is_refused_and_window_calls_on_their_own_are_not_taken() {
        let _turn = SERIAL.lock().await;
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let server = ControlServer::bind(&runtime).unwrap();
        let task = tokio::spawn(server.serve(handler(), TestHost::new(Some(1))));
        let rt = runtime.clone();
        let err = tokio::task::spawn_blocking(move || {
            WindowLink::attach(&rt, Duration::from_secs(2)).err()
        })
        .await
        .unwrap();
        assert!(
            matches!(&err, Some(ClientError::BadAnswer(why)) if why.contains("is not the window process")),
            "{err:?}"
        );
        task.abort();
        // The server's pipe is gone before the next test binds one.
        let _ = task.await;
    }

    // Unix only: a named pipe server has one instance waiting at a time, so
    // a flood of idle clients gets "busy", not a bounded queue.
    #[cfg(unix)]
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn idle_connections_are_bounded_and_a_real_client_still_gets_in() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let server = ControlServer::bind(&runtime).unwrap();
        let task = tokio::spawn(server.serve(handler(), TestHost::new(None)));
        let mut idle = Vec::new();
        for _ in 0..300 {
            idle.push(
                std::os::unix::net::UnixStream::connect(runtime.join("control.sock")).unwrap(),
            );
        }
        let rt = runtime.clone();
        let started = std::time::Instant::now();
        let resp = tokio::task::spawn_blocking(move || {
            request(&rt, &Request::Privacy { on: false }, Duration::from_secs(2))
        })
        .await
        .unwrap()
        .unwrap();
        assert!(resp.ok);
        assert!(started.elapsed() < Duration::from_secs(1));
        // The oldest silent ones were closed (the server read end shows EOF).
        let mut closed = 0;
        for s in idle.iter_mut().take(100) {
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let mut b = [0u8; 1];
            if matches!(std::io::Read::read(s, &mut b), Ok(0)) {
                closed += 1;
            }
        }
        assert!(
            closed >= 90,
            "{closed} of the oldest 100 idle connections closed"
        );
        task.abort();
        // The server's pipe is gone before the next test binds one.
        let _ = task.await;
    }
}
