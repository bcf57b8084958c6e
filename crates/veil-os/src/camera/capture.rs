//! The two things that need a camera library: naming cameras where the
//! system's own detector does not (Windows, macOS), and the opt-in cover
//! check's single frame. The frame is reduced to its mean luminance here
//! and dropped; it is never stored or sent.

use nokhwa::utils::{ApiBackend, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};
use veil_core::camera::{cover, CameraDevice, CoverReading};

/// Cameras as nokhwa's query names them. Linux does not use this: the V4L2
/// query opens every node, and Veil reads names from sysfs instead.
pub fn query_cameras() -> Result<Vec<CameraDevice>, String> {
    let list = nokhwa::query(ApiBackend::Auto).map_err(|e| e.to_string())?;
    Ok(list
        .into_iter()
        .map(|c| CameraDevice {
            name: c.human_name(),
            path: c.index().to_string(),
        })
        .collect())
}

/// Frames read before the one measured, so auto exposure settles on a dark
/// room instead of reading the first (often black) frame.
const SETTLE_FRAMES: usize = 8;

/// Uncompressed formats only: the luminance is read straight from the
/// bytes, so no JPEG decoder is linked in.
const RAW_FORMATS: [FrameFormat; 4] = [
    FrameFormat::YUYV,
    FrameFormat::NV12,
    FrameFormat::GRAY,
    FrameFormat::RAWRGB,
];

/// Reads one frame from the first camera and returns its mean luminance.
pub fn read_cover() -> Result<CoverReading, String> {
    use std::sync::atomic::Ordering;
    super::OWN_CAMERA_OPEN.store(true, Ordering::Relaxed);
    let reading = read_frame();
    // Closes show in inotify a moment later.
    std::thread::sleep(std::time::Duration::from_millis(200));
    super::OWN_CAMERA_OPEN.store(false, Ordering::Relaxed);
    reading
}

fn read_frame() -> Result<CoverReading, String> {
    let format = RequestedFormat::with_formats(RequestedFormatType::None, &RAW_FORMATS);
    let mut cam = nokhwa::Camera::new(CameraIndex::Index(0), format).map_err(|e| e.to_string())?;
    let device = cam.info().human_name();
    cam.open_stream().map_err(|e| e.to_string())?;
    let mut result = Err("no frame".to_string());
    for _ in 0..=SETTLE_FRAMES {
        result = cam.frame().map_err(|e| e.to_string());
        if result.is_err() {
            break;
        }
    }
    let luminance = result.and_then(|frame| {
        let res = frame.resolution();
        let pixels = res.width() as usize * res.height() as usize;
        let bytes = frame.buffer();
        let luma = match frame.source_frame_format() {
            FrameFormat::YUYV => cover::mean_luma_yuyv(bytes),
            FrameFormat::NV12 | FrameFormat::GRAY => cover::mean_luma_plane(bytes, pixels),
            FrameFormat::RAWRGB => cover::mean_luminance_rgb(bytes),
            other => {
                return Err(format!(
                    "the camera sent {other}, not an uncompressed frame"
                ))
            }
        };
        luma.ok_or_else(|| "empty frame".to_string())
    });
    let _ = cam.stop_stream();
    Ok(CoverReading {
        device,
        luminance: luminance?,
    })
}
