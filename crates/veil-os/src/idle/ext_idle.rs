//! Idle time from the Wayland compositor's ext-idle-notify protocol (KDE
//! Plasma, and wlroots desktops such as Sway 1.8+): the compositor says when
//! the agent has been away for [`THRESHOLD`] and when they are back, and
//! veil-core's `IdleNotifications` turns that into an idle time.
//!
//! Version 2 of the protocol is asked for "input idle" notifications, which
//! ignore idle inhibitors (a playing video keeps the screen awake, but the
//! agent is still away); version 1 compositors (KDE Plasma 5.27) only offer
//! the kind that inhibitors hold back, which the status message says.
//!
//! One thread reads the compositor's messages, blocking; it ends when the
//! compositor goes away, and then every read of the idle time is an error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use veil_core::clock::{Clock, SystemClock};

use super::IdleError;
use veil_core::shield::idle_notify::IdleNotifications;
use wayland_client::globals::{registry_queue_init, GlobalListContents};
use wayland_client::protocol::{wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, Proxy, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notification_v1::{
    self, ExtIdleNotificationV1,
};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notifier_v1::ExtIdleNotifierV1;

/// The quiet spell after which the compositor reports "idled". Short, so
/// the idle time is known early; the shield's thresholds start at 5 s.
const THRESHOLD: Duration = Duration::from_secs(1);

struct Shared {
    notifications: IdleNotifications,
    /// Why the compositor's messages stopped.
    lost: Option<String>,
}

struct Reader {
    shared: Arc<Mutex<Shared>>,
}

impl Reader {
    fn update(&self, change: impl FnOnce(&mut IdleNotifications)) {
        if let Ok(mut shared) = self.shared.lock() {
            change(&mut shared.notifications);
        }
    }
}

impl Dispatch<wl_registry::WlRegistry, GlobalListContents> for Reader {
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

// Neither sends anything Veil needs.
wayland_client::delegate_noop!(Reader: ignore wl_seat::WlSeat);
wayland_client::delegate_noop!(Reader: ignore ExtIdleNotifierV1);

impl Dispatch<ExtIdleNotificationV1, ()> for Reader {
    fn event(
        reader: &mut Self,
        _: &ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            ext_idle_notification_v1::Event::Idled => {
                let now = SystemClock.now();
                reader.update(|n| n.idled(now));
            }
            ext_idle_notification_v1::Event::Resumed => reader.update(|n| n.resumed()),
            _ => {}
        }
    }
}

pub struct ExtIdle {
    shared: Arc<Mutex<Shared>>,
    /// Said in the status: inhibitors can hold back "idled" (version 1).
    caveat: Option<String>,
}

impl ExtIdle {
    /// Connects to the session's compositor (`WAYLAND_DISPLAY`) and asks
    /// for notifications; an error says why this source is not available.
    pub fn connect() -> Result<Self, IdleError> {
        let unavailable = IdleError::Unavailable;
        let conn = Connection::connect_to_env()
            .map_err(|e| unavailable(format!("cannot connect to the Wayland compositor: {e}")))?;
        let (globals, mut queue) = registry_queue_init::<Reader>(&conn)
            .map_err(|e| unavailable(format!("the Wayland compositor's globals: {e}")))?;
        let qh = queue.handle();
        let notifier: ExtIdleNotifierV1 = globals.bind(&qh, 1..=2, ()).map_err(|_| {
            unavailable("the compositor does not offer ext-idle-notify".to_string())
        })?;
        let seat: wl_seat::WlSeat = globals.bind(&qh, 1..=1, ()).map_err(|_| {
            unavailable("the compositor has no seat (no keyboard or mouse)".to_string())
        })?;
        let millis = THRESHOLD.as_millis() as u32;
        let caveat = if notifier.version() >= 2 {
            notifier.get_input_idle_notification(millis, &seat, &qh, ());
            None
        } else {
            notifier.get_idle_notification(millis, &seat, &qh, ());
            Some(
                "this compositor's idle notifications (ext-idle-notify version 1) wait while a \
                 program keeps the screen awake, such as a playing video"
                    .to_string(),
            )
        };
        let shared = Arc::new(Mutex::new(Shared {
            notifications: IdleNotifications::new(THRESHOLD),
            lost: None,
        }));
        let mut reader = Reader {
            shared: shared.clone(),
        };
        queue
            .roundtrip(&mut reader)
            .map_err(|e| unavailable(format!("the Wayland compositor did not answer: {e}")))?;
        std::thread::Builder::new()
            .name("veil-ext-idle".into())
            .spawn(move || {
                let why = loop {
                    if let Err(e) = queue.blocking_dispatch(&mut reader) {
                        break e.to_string();
                    }
                };
                if let Ok(mut shared) = reader.shared.lock() {
                    shared.lost = Some(format!("the Wayland compositor went away: {why}"));
                }
            })
            .map_err(|e| unavailable(format!("cannot start the idle reader: {e}")))?;
        Ok(ExtIdle { shared, caveat })
    }
}

impl super::IdleSource for ExtIdle {
    fn name(&self) -> &'static str {
        "ext-idle-notify"
    }

    fn caveat(&self) -> Option<String> {
        self.caveat.clone()
    }

    fn idle(&mut self) -> Result<Duration, IdleError> {
        let shared = self
            .shared
            .lock()
            .map_err(|_| IdleError::Lost("the idle reader stopped".into()))?;
        if let Some(why) = &shared.lost {
            return Err(IdleError::Lost(why.clone()));
        }
        Ok(shared.notifications.idle(SystemClock.now()))
    }
}
