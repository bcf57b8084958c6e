//! The Windows release build is a GUI program with no console of its own;
//! the CLI attaches to the console it was started from so that `veil status`
//! prints there. Elsewhere the terminal is always inherited.

/// Call before printing anything in CLI mode.
pub fn attach_parent() {
    #[cfg(windows)]
    {
        use windows::Win32::System::Console::{AttachConsole, ATTACH_PARENT_PROCESS};
        // SAFETY: no preconditions; failure (no parent console, or one already
        // attached in a debug build) leaves output where it was.
        let _ = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
    }
}
