//! Moves the pointer on a KWin Wayland session (`WAYLAND_DISPLAY`) through
//! KWin's fake-input protocol: input that goes through the compositor, as
//! the agent's own mouse would, so its idle notifications see it.

use wayland_client::globals::{registry_queue_init, GlobalListContents};
use wayland_client::protocol::wl_registry;
use wayland_client::{Connection, Dispatch, QueueHandle};
use wayland_protocols_plasma::fake_input::client::org_kde_kwin_fake_input::OrgKdeKwinFakeInput;

struct State;

impl Dispatch<wl_registry::WlRegistry, GlobalListContents> for State {
    fn event(
        _: &mut Self,
        _: &wl_registry::WlRegistry,
        _: wl_registry::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

wayland_client::delegate_noop!(State: ignore OrgKdeKwinFakeInput);

fn main() {
    let conn = Connection::connect_to_env().expect("WAYLAND_DISPLAY: a KWin session");
    let (globals, mut queue) = registry_queue_init::<State>(&conn).expect("registry");
    let qh = queue.handle();
    let fake: OrgKdeKwinFakeInput = globals
        .bind(&qh, 1..=4, ())
        .expect("KWin offers org_kde_kwin_fake_input");
    fake.authenticate("veil-e2e".into(), "stands in for the agent's mouse".into());
    queue.roundtrip(&mut State).expect("KWin answers");
    fake.pointer_motion(5.0, 5.0);
    fake.pointer_motion_absolute(300.0, 300.0);
    fake.keyboard_key(42, 1);
    fake.keyboard_key(42, 0);
    queue.roundtrip(&mut State).expect("KWin answers");
    println!("moved");
}
