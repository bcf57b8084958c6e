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

use std::future::Future;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
    BufReader as TokioBufReader,
};
use tokio::sync::mpsc::UnboundedReceiver;
use veil_core::control::{Request, Response, WindowMessage};

/// A request line larger than this is refused: the channel carries short
/// commands, never data.
const MAX_LINE: usize = 64 * 1024;

pub type Handler =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// Called when the window process attaches: the link's id and the messages
/// to send it, in order. The app ends the link by dropping the sending end;
/// the link also ends when the window process goes away.
pub type AttachHandler = Arc<dyn Fn() -> (u64, UnboundedReceiver<WindowMessage>) + Send + Sync>;

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
    pub async fn serve(mut self, handler: Handler, attach: AttachHandler) {
        loop {
            match self.listener.accept().await {
                Ok(Some(conn)) => {
                    let handler = handler.clone();
                    let attach = attach.clone();
                    tokio::spawn(async move {
                        if let Err(e) = serve_connection(conn, handler, attach).await {
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

async fn serve_connection<S>(conn: S, handler: Handler, attach: AttachHandler) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (read, mut write) = tokio::io::split(conn);
    let mut reader = TokioBufReader::new(read);
    let mut line = String::new();
    loop {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_line(&mut line)
            .await?;
        if n == 0 {
            return Ok(());
        }
        let request = (n <= MAX_LINE).then(|| serde_json::from_str::<Request>(line.trim()));
        let response = match request {
            None => Response::error("request too long"),
            Some(Ok(Request::AttachWindows)) => {
                let (id, messages) = attach();
                write_line(&mut write, &Response::value(id.into())).await?;
                return feed_window_process(&mut reader, &mut write, messages).await;
            }
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
    write.write_all(&out).await?;
    write.flush().await
}

/// The window process's link: the app's messages go out as they come; the
/// process sends nothing more, so anything read back means it closed.
async fn feed_window_process<R, W>(
    reader: &mut R,
    write: &mut W,
    mut messages: UnboundedReceiver<WindowMessage>,
) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut scratch = [0u8; 64];
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Some(m) => write_line(write, &m).await?,
                // The app ended the link: closing it tells the process to quit.
                None => return Ok(()),
            },
            read = reader.read(&mut scratch) => {
                if read? == 0 {
                    return Ok(());
                }
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
    // Held so the app sees the link open until this end is dropped.
    _writer: platform::Stream,
}

impl WindowLink {
    /// Attaches to the running app as its window process.
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
            _writer: writer,
        })
    }

    /// The id the app gave this link (for [`Request::WindowsIdle`]).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The app's next message; `None` once the app has closed the link
    /// (it quit, or the window process should).
    pub fn next_message(&mut self) -> Option<Result<WindowMessage, ClientError>> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn request_round_trip_and_not_running() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let err = request(&runtime, &Request::Status, Duration::from_secs(1)).unwrap_err();
        assert!(matches!(err, ClientError::NotRunning), "{err}");

        let server = ControlServer::bind(&runtime).unwrap();
        let handler: Handler = Arc::new(|req| {
            Box::pin(async move {
                match req {
                    Request::Privacy { on } => Response::ok(Some(serde_json::json!({ "on": on }))),
                    _ => Response::error("nope"),
                }
            })
        });
        let task = tokio::spawn(server.serve(handler, no_window_process()));
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
            let mut s =
                std::os::unix::net::UnixStream::connect(runtime3.join("control.sock")).unwrap();
            s.write_all(b"{not json\n").unwrap();
            let mut line = String::new();
            BufReader::new(s).read_line(&mut line).unwrap();
            line
        })
        .await
        .unwrap();
        assert!(answer.contains("\"ok\":false"), "{answer}");

        // The socket and its directory are private to this user.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&runtime).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        task.abort();
    }

    fn no_window_process() -> AttachHandler {
        Arc::new(|| (0, tokio::sync::mpsc::unbounded_channel().1))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_window_link_carries_messages_and_either_end_can_close_it() {
        use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
        use veil_core::control::WindowName;
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        let server = ControlServer::bind(&runtime).unwrap();
        let senders: Arc<std::sync::Mutex<Vec<UnboundedSender<WindowMessage>>>> = Arc::default();
        let kept = senders.clone();
        let links = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let attach: AttachHandler = Arc::new(move || {
            let (tx, rx) = unbounded_channel();
            tx.send(WindowMessage::Open {
                seq: 1,
                window: WindowName::Main,
            })
            .unwrap();
            kept.lock().unwrap().push(tx);
            let id = links.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            (id, rx)
        });
        let handler: Handler = Arc::new(|_| Box::pin(async { Response::ok(None) }));
        let task = tokio::spawn(server.serve(handler, attach));

        // Messages arrive in order; the app closing the link ends it.
        let rt = runtime.clone();
        let link = tokio::task::spawn_blocking(move || {
            let mut link = WindowLink::attach(&rt, Duration::from_secs(2)).unwrap();
            assert_eq!(link.id(), 1);
            let first = link.next_message().unwrap().unwrap();
            (link, first)
        });
        let (mut link, first) = link.await.unwrap();
        assert_eq!(
            first,
            WindowMessage::Open {
                seq: 1,
                window: WindowName::Main
            }
        );
        let snapshot = WindowMessage::Snapshot {
            snapshot: serde_json::json!({"n": 1}),
        };
        senders.lock().unwrap()[0].send(snapshot.clone()).unwrap();
        let (mut link, second) = tokio::task::spawn_blocking(move || {
            let m = link.next_message().unwrap().unwrap();
            (link, m)
        })
        .await
        .unwrap();
        assert_eq!(second, snapshot);
        senders.lock().unwrap().clear();
        let end = tokio::task::spawn_blocking(move || link.next_message().is_none())
            .await
            .unwrap();
        assert!(end, "the link ends when the app drops its sender");

        // The window process going away ends the link on the app's side.
        let rt = runtime.clone();
        let link = tokio::task::spawn_blocking(move || {
            WindowLink::attach(&rt, Duration::from_secs(2)).unwrap()
        })
        .await
        .unwrap();
        assert_eq!(link.id(), 2);
        let tx = senders.lock().unwrap()[0].clone();
        assert!(!tx.is_closed());
        drop(link);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !tx.is_closed() {
            assert!(std::time::Instant::now() < deadline, "link not closed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        task.abort();
    }
}
