//! Test helper: opens the file named on the command line and keeps it open
//! until killed. The e2e tests use it where the program holding a camera must
//! be the same program from the first instant (a shell that opens the node
//! and then execs shows as the shell for a moment).

use std::time::Duration;

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: hold-open FILE");
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
