//! `os_updates` on Linux: PackageKit over D-Bus, unattended-upgrades.
use super::Environment;
use veil_core::posture::{Observation, PostureConfig};

pub struct UpdatesProbe {
    env: Environment,
}

impl UpdatesProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl crate::posture::OsUpdates for UpdatesProbe {
    fn os_updates(&self, _config: &PostureConfig) -> Observation {
        let _ = &self.env;
        Observation::unknown("no security updates pending", "not read yet")
    }
}
