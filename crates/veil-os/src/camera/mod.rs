//! Camera and microphone use detection, without ever opening a camera:
//! Linux looks at which processes hold the camera nodes open (woken by
//! inotify), Windows reads its consent store and sensor activity reports,
//! macOS asks CoreMediaIO and CoreAudio. Each reports a [`CameraScan`];
//! veil-core decides what it means.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(windows)]
mod windows;

#[cfg(feature = "camera-capture")]
pub mod capture;

pub use veil_core::camera::CameraScan;

/// Set while Veil's own cover check has a camera open, so that open is not
/// taken for an unknown program's.
pub static OWN_CAMERA_OPEN: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Called (from any thread) when camera use may have changed.
pub use crate::audio::Notify;

/// Calls `notify` every `every` until `stop` is set: the safety net (or,
/// where the OS has no change events, the main wake-up) of a detector.
#[cfg(any(windows, target_os = "macos"))]
fn spawn_poll(
    every: std::time::Duration,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    notify: impl Fn() + Send + 'static,
) {
    use std::sync::atomic::Ordering;
    let run = move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(every);
            notify();
        }
    };
    if let Err(e) = std::thread::Builder::new()
        .name("veil-camera-poll".into())
        .spawn(run)
    {
        tracing::error!("camera: the poll thread could not start: {e}");
    }
}

pub trait CameraMonitor: Send {
    /// Looks at every camera and who uses it now. Never opens a camera.
    fn scan(&mut self) -> CameraScan;
}

/// What the detector watches. `device_pattern` is the Linux device nodes
/// (`/dev/video*`); other systems ignore it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraConfig {
    pub device_pattern: String,
}

/// Starts this system's detector; `notify` is called whenever something
/// may have changed (and now and then as a safety net).
pub fn connect(config: &CameraConfig, notify: Notify) -> Box<dyn CameraMonitor> {
    #[cfg(target_os = "linux")]
    {
        Box::new(linux::ProcCameras::start(&config.device_pattern, notify))
    }
    #[cfg(windows)]
    {
        let _ = config;
        Box::new(windows::ConsentCameras::start(notify))
    }
    #[cfg(target_os = "macos")]
    {
        let _ = config;
        Box::new(macos::CoreMediaCameras::start(notify))
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    {
        let _ = (config, notify);
        Box::new(NoCameras)
    }
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
struct NoCameras;

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
impl CameraMonitor for NoCameras {
    fn scan(&mut self) -> CameraScan {
        CameraScan {
            devices: vec![],
            uses: vec![],
            sources: vec![veil_core::camera::SourceCheck::failed(
                "none",
                "camera detection is not available on this system",
            )],
            camera_sources: vec![],
        }
    }
}
