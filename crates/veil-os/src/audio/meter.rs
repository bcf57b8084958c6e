//! The mic check: a live input level for the default microphone (the
//! headset, while the guard runs), so the agent can see the headset works
//! before a call. Samples are reduced to a peak level at once; no audio is
//! kept.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{SampleFormat, SizedSample};

/// A running level meter; dropping it closes the microphone.
pub struct LevelMeter {
    _stream: cpal::Stream,
    peak: Arc<AtomicU32>,
    device: String,
}

/// Why the mic check cannot measure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeterError {
    #[error("there is no microphone to test")]
    NoMicrophone,
    #[error("{device} cannot be opened: {why}")]
    Open { device: String, why: String },
    #[error("{device} cannot be started: {why}")]
    Start { device: String, why: String },
    #[error("the sound system failed")]
    SoundSystem,
}

impl LevelMeter {
    /// Opens the default input device.
    pub fn start() -> Result<LevelMeter, MeterError> {
        // cpal's host set-up can panic where no sound system is present;
        // that must not take the app down.
        std::panic::catch_unwind(open).unwrap_or(Err(MeterError::SoundSystem))
    }

    /// The device being measured.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// The peak level (0.0 to 1.0) since the last call.
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak.swap(0, Ordering::AcqRel))
    }
}

fn open() -> Result<LevelMeter, MeterError> {
    let host = cpal::default_host();
    let device = host
        .default_input_device()
        .ok_or(MeterError::NoMicrophone)?;
    let name = device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| "the default microphone".into());
    let cannot_open = |why: String| MeterError::Open {
        device: name.clone(),
        why,
    };
    let config = device
        .default_input_config()
        .map_err(|e| cannot_open(e.to_string()))?;
    let peak = Arc::new(AtomicU32::new(0));
    let stream = match config.sample_format() {
        SampleFormat::F32 => build::<f32>(&device, &config.config(), &peak),
        SampleFormat::I16 => build::<i16>(&device, &config.config(), &peak),
        SampleFormat::U16 => build::<u16>(&device, &config.config(), &peak),
        SampleFormat::I32 => build::<i32>(&device, &config.config(), &peak),
        other => Err(format!("unsupported sample format {other}")),
    }
    .map_err(cannot_open)?;
    stream.play().map_err(|e| MeterError::Start {
        device: name.clone(),
        why: e.to_string(),
    })?;
    Ok(LevelMeter {
        _stream: stream,
        peak,
        device: name,
    })
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    peak: &Arc<AtomicU32>,
) -> Result<cpal::Stream, String>
where
    T: SizedSample,
    f32: cpal::FromSample<T>,
{
    let peak = peak.clone();
    device
        .build_input_stream(
            *config,
            move |data: &[T], _| {
                let level = data
                    .iter()
                    .map(|s| <f32 as cpal::FromSample<T>>::from_sample_(*s).abs())
                    .fold(0.0f32, f32::max)
                    .min(1.0);
                // Keep the highest level until the reader takes it.
                let _ = peak.fetch_update(Ordering::AcqRel, Ordering::Acquire, |old| {
                    (level > f32::from_bits(old)).then_some(level.to_bits())
                });
            },
            |e| tracing::warn!("the microphone level meter stopped: {e}"),
            None,
        )
        .map_err(|e| e.to_string())
}
