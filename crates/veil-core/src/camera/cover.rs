//! The camera cover check's verdict: a covered lens gives a nearly black
//! frame. Only the mean luminance is kept; the frame itself never leaves
//! the function that reads it.

/// Mean luminance (0-255) below which the lens counts as covered. A covered
/// lens reads 0-10 on typical laptop cameras (sensor noise); a dim room
/// reads 25 or more after the camera's auto exposure settles.
pub const COVERED_BELOW: f32 = 18.0;

/// Mean luminance of packed 8-bit RGB pixels (ITU-R BT.601 weights). None
/// for an empty or truncated frame.
pub fn mean_luminance_rgb(pixels: &[u8]) -> Option<f32> {
    if pixels.len() < 3 || !pixels.len().is_multiple_of(3) {
        return None;
    }
    let mut sum = 0u64;
    for p in pixels.chunks_exact(3) {
        // Integer weights: 0.299, 0.587, 0.114 scaled by 1000.
        sum += 299 * p[0] as u64 + 587 * p[1] as u64 + 114 * p[2] as u64;
    }
    Some(sum as f32 / 1000.0 / (pixels.len() / 3) as f32)
}

/// Mean luma of packed YUYV (Y0 U Y1 V): every even byte is a Y sample.
pub fn mean_luma_yuyv(bytes: &[u8]) -> Option<f32> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let sum: u64 = bytes.iter().step_by(2).map(|b| *b as u64).sum();
    Some(sum as f32 / (bytes.len() / 2) as f32)
}

/// Mean of the first `pixels` bytes: the Y plane of NV12, or a grey frame.
pub fn mean_luma_plane(bytes: &[u8], pixels: usize) -> Option<f32> {
    if pixels == 0 || bytes.len() < pixels {
        return None;
    }
    let sum: u64 = bytes[..pixels].iter().map(|b| *b as u64).sum();
    Some(sum as f32 / pixels as f32)
}

pub fn covered(luminance: f32) -> bool {
    luminance < COVERED_BELOW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luminance_and_verdict() {
        // (pixels, mean luminance, covered)
        let rows: &[(&[u8], Option<f32>, bool)] = &[
            (&[0, 0, 0, 0, 0, 0], Some(0.0), true),
            (&[255, 255, 255], Some(255.0), false),
            (&[10, 10, 10, 30, 30, 30], Some(20.0), false),
            (&[8, 12, 10], Some(10.576), true),
            (&[], None, true),
            (&[1, 2], None, true),
        ];
        for (px, want, is_covered) in rows {
            let got = mean_luminance_rgb(px);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 0.01, "{px:?}: {g}"),
                (None, None) => {}
                _ => panic!("{px:?}: {got:?}"),
            }
            assert_eq!(got.map(covered).unwrap_or(true), *is_covered, "{px:?}");
        }
    }

    #[test]
    fn raw_formats() {
        // YUYV: Y=10, U=128, Y=30, V=128 -> mean Y 20.
        assert_eq!(mean_luma_yuyv(&[10, 128, 30, 128]), Some(20.0));
        assert_eq!(mean_luma_yuyv(&[10, 128, 30]), None);
        // NV12 2x1: Y plane [4, 6] then the chroma bytes, which are ignored.
        assert_eq!(mean_luma_plane(&[4, 6, 200, 200], 2), Some(5.0));
        assert_eq!(mean_luma_plane(&[4], 2), None);
    }
}
