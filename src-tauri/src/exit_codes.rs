//! The exit codes of `veil` (a contract support scripts rely on; README):
//! 0 success and 1 failure (an invalid file, a refused request, a broken
//! audit chain) are `ExitCode::SUCCESS` and `ExitCode::FAILURE`; these are
//! the others.

/// A usage error (clap's own exit code for bad arguments).
pub const USAGE: u8 = 2;
/// Veil is not running (`status`, `privacy`, `shield now`, the window process).
pub const NOT_RUNNING: u8 = 3;
