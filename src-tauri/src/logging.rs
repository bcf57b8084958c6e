//! tracing to stderr and to a daily rolling file in the app's log dir.
//! Never log customer data or audio: only states, device names and errors.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// Lines waiting for the log file's writer thread.
const LOG_QUEUE_LINES: usize = 1024;

/// Keep the guard alive for the life of the app: dropping it flushes the file.
pub fn init_app(log_dir: &Path) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_env("VEIL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    match std::fs::create_dir_all(log_dir).map(|_| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("veil")
            .filename_suffix("log")
            .max_log_files(14)
            .build(log_dir)
    }) {
        Ok(Ok(appender)) => {
            // The default queue holds 128,000 lines and is allocated whole
            // at start (4 MB resident for the life of the app); Veil logs a
            // few lines a minute. Lines beyond the queue are dropped rather
            // than let a stuck disk hold up the guards.
            let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_QUEUE_LINES)
                .finish(appender);
            let file = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter());
            tracing_subscriber::registry()
                .with(stderr)
                .with(file)
                .init();
            Some(guard)
        }
        Ok(Err(e)) => {
            tracing_subscriber::registry().with(stderr).init();
            tracing::warn!("cannot open the log file in {}: {e}", log_dir.display());
            None
        }
        Err(e) => {
            tracing_subscriber::registry().with(stderr).init();
            tracing::warn!("cannot create the log directory {}: {e}", log_dir.display());
            None
        }
    }
}

/// The app's folders, with logging started (for the tray app and the window
/// process); `None` after saying why when the folders cannot be known.
pub fn start_app() -> Option<(veil_os::paths::Paths, Option<WorkerGuard>)> {
    match veil_os::paths::Paths::from_env() {
        Ok(paths) => {
            let guard = init_app(&paths.log_dir);
            Some((paths, guard))
        }
        Err(e) => {
            eprintln!("veil: {e}");
            None
        }
    }
}

/// The CLI logs only warnings, to stderr: its stdout is for scripts.
pub fn init_cli() {
    let filter = EnvFilter::try_from_env("VEIL_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::registry()
        .with(
            fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter),
        )
        .init();
}
