//! `wifi` and `vpn` on Linux: NetworkManager over D-Bus, interfaces in sysfs.
use super::Environment;
use veil_core::posture::Observation;

pub struct WifiProbe {
    env: Environment,
}

impl WifiProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl crate::posture::Wifi for WifiProbe {
    fn wifi(&self) -> Observation {
        let _ = &self.env;
        Observation::unknown("wpa2, wpa3 or owe", "not read yet")
    }
}

pub struct VpnProbe {
    env: Environment,
}

impl VpnProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl crate::posture::Vpn for VpnProbe {
    fn vpn(&self, required: bool, interfaces: &[String]) -> Observation {
        let _ = &self.env;
        veil_core::posture::network::decide_vpn(&Default::default(), required, interfaces)
    }
}
