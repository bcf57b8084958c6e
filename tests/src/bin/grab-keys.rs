//! Test helper: another program that holds a global shortcut. Grabs the
//! keys named on the command line on the X display, prints "grabbed", then
//! prints "pressed" each time they are pressed, until killed.

use std::io::Write;
use std::time::Duration;

use veil_core::shield::shortcut::Shortcut;
use veil_os::hotkey::X11Hotkey;

fn main() {
    let Some(keys) = std::env::args().nth(1) else {
        eprintln!("usage: grab-keys SHORTCUT");
        std::process::exit(2);
    };
    let shortcut: Shortcut = match keys.parse() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("grab-keys: {e}");
            std::process::exit(2);
        }
    };
    let _grab = match X11Hotkey::register(&shortcut, || {
        println!("pressed");
        let _ = std::io::stdout().flush();
    }) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("grab-keys: {e}");
            std::process::exit(1);
        }
    };
    println!("grabbed");
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
