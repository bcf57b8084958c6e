//! A recorder that claims another process's pid in its own code (its
//! client properties), not through its environment: the hardening test's
//! recorder built to hide. Records from SOURCE until killed.
//!
//! Usage: claiming-recorder CLAIMED_PID SOURCE

use libpulse_binding as pa;
use pa::context::{Context, FlagSet, State};
use pa::mainloop::standard::{IterateResult, Mainloop};
use pa::proplist::{properties, Proplist};
use pa::sample::{Format, Spec};
use pa::stream::{FlagSet as StreamFlags, PeekResult, State as StreamState, Stream};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(claimed), Some(source)) = (args.next(), args.next()) else {
        eprintln!("usage: claiming-recorder CLAIMED_PID SOURCE");
        std::process::exit(2);
    };
    let mut mainloop = Mainloop::new().expect("a main loop");
    let mut props = Proplist::new().expect("a property list");
    props
        .set_str(properties::APPLICATION_NAME, "claiming-recorder")
        .expect("the name");
    // libpulse fills in the real pid only where the program set none.
    props
        .set_str(properties::APPLICATION_PROCESS_ID, &claimed)
        .expect("the claimed pid");
    let mut context =
        Context::new_with_proplist(&mainloop, "claiming-recorder", &props).expect("a context");
    context
        .connect(None, FlagSet::NOAUTOSPAWN, None)
        .expect("the audio server");
    loop {
        iterate(&mut mainloop);
        match context.get_state() {
            State::Ready => break,
            State::Failed | State::Terminated => fail("the audio server refused"),
            _ => {}
        }
    }
    let spec = Spec {
        format: Format::S16le,
        channels: 1,
        rate: 16_000,
    };
    let mut stream = Stream::new(&mut context, "record", &spec, None).expect("a stream");
    stream
        .connect_record(Some(&source), None, StreamFlags::NOFLAGS)
        .expect("recording");
    loop {
        iterate(&mut mainloop);
        match stream.get_state() {
            StreamState::Ready => break,
            StreamState::Failed | StreamState::Terminated => fail("the stream failed"),
            _ => {}
        }
    }
    loop {
        iterate(&mut mainloop);
        loop {
            let has_data = !matches!(stream.peek(), Ok(PeekResult::Empty) | Err(_));
            if !has_data || stream.discard().is_err() {
                break;
            }
        }
    }
}

fn iterate(mainloop: &mut Mainloop) {
    if let IterateResult::Quit(_) | IterateResult::Err(_) = mainloop.iterate(true) {
        fail("the main loop ended");
    }
}

fn fail(why: &str) -> ! {
    eprintln!("claiming-recorder: {why}");
    std::process::exit(1);
}
