//! Probes for this OS (being written; every check answers unknown).
use std::time::Duration;

use veil_core::posture::{Observation, PostureConfig};

struct NotYet;

fn not_yet() -> Observation {
    Observation::unknown("", "this check is not available on this system yet")
}

impl crate::posture::DiskEncryption for NotYet {
    fn disk_encryption(&self) -> Observation {
        not_yet()
    }
}
impl crate::posture::Firewall for NotYet {
    fn firewall(&self) -> Observation {
        not_yet()
    }
}
impl crate::posture::ScreenLock for NotYet {
    fn screen_lock(&self, _max: Duration) -> Observation {
        not_yet()
    }
}
impl crate::posture::OsUpdates for NotYet {
    fn os_updates(&self, _config: &PostureConfig) -> Observation {
        not_yet()
    }
}
impl crate::posture::Antivirus for NotYet {
    fn antivirus(&self, _named: &[String]) -> Observation {
        not_yet()
    }
}
impl crate::posture::Wifi for NotYet {
    fn wifi(&self) -> Observation {
        not_yet()
    }
}
impl crate::posture::Vpn for NotYet {
    fn vpn(&self, _required: bool, _interfaces: &[String]) -> Observation {
        not_yet()
    }
}
impl crate::posture::SecureBoot for NotYet {
    fn secure_boot(&self) -> Observation {
        not_yet()
    }
}

pub fn probes() -> crate::posture::Probes {
    crate::posture::Probes {
        disk_encryption: Box::new(NotYet),
        firewall: Box::new(NotYet),
        screen_lock: Box::new(NotYet),
        os_updates: Box::new(NotYet),
        antivirus: Box::new(NotYet),
        wifi: Box::new(NotYet),
        vpn: Box::new(NotYet),
        secure_boot: Box::new(NotYet),
    }
}
