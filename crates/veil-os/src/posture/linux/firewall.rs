//! `firewall` on Linux: firewalld over D-Bus, else ufw's configuration.
use super::Environment;
use veil_core::posture::Observation;

pub struct FirewallProbe {
    env: Environment,
}

impl FirewallProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl crate::posture::Firewall for FirewallProbe {
    fn firewall(&self) -> Observation {
        let _ = &self.env;
        Observation::unknown("firewall_on", "not read yet")
    }
}
