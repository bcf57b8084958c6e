//! Test helper: opens the file named on the command line and keeps it open
//! until killed. The e2e tests use it where the program holding a camera must
//! be the same program from the first instant (a shell that opens the node
//! and then execs shows as the shell for a moment).

use std::time::Duration;

fn main() {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // `--non-dumpable`: hide this process's descriptors from its own
    // account, as malware can (prctl PR_SET_DUMPABLE 0).
    if args.first().is_some_and(|a| a == "--non-dumpable") {
        args.remove(0);
        // SAFETY: prctl with plain integer arguments.
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    }
    let Some(path) = args.into_iter().next() else {
        eprintln!("usage: hold-open [--non-dumpable] FILE");
        std::process::exit(2);
    };
    let _file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("hold-open: {}: {e}", std::path::Path::new(&path).display());
            std::process::exit(1);
        }
    };
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
