//! The local control channel between the `veil` CLI (or a second launch) and
//! the running app: one JSON request a line, one JSON response a line. Only
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
use veil_core::control::{Request, Response};

/// A request line larger than this is refused: the channel carries short
/// commands, never data.
const MAX_LINE: usize = 64 * 1024;

pub type Handler =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

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
    pub async fn serve(mut self, handler: Handler) {
        loop {
            match self.listener.accept().await {
                Ok(Some(conn)) => {
                    let handler = handler.clone();
                    tokio::spawn(async move {
                        if let Err(e) = serve_connection(conn, handler).await {
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

async fn serve_connection<S>(conn: S, handler: Handler) -> io::Result<()>
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
        let response = if n > MAX_LINE {
            Response::error("request too long")
        } else {
            match serde_json::from_str::<Request>(line.trim()) {
                Ok(req) => handler(req).await,
                Err(e) => Response::error(format!("not a request this Veil understands: {e}")),
            }
        };
        let mut out = serde_json::to_vec(&response).map_err(io::Error::other)?;
        out.push(b'\n');
        write.write_all(&out).await?;
        write.flush().await?;
        if n > MAX_LINE {
            return Ok(());
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

/// A blocking client stream that can be split into a reader and a writer.
pub(crate) trait ClientStream: io::Read + io::Write + Sized {
    fn try_clone_stream(&self) -> io::Result<Self>;
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
        let task = tokio::spawn(server.serve(handler));
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
}
