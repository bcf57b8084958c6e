//! `secure_boot` on Linux: the `SecureBoot` EFI variable, which efivarfs
//! lets every user read.

use std::fs;

use veil_core::posture::Observation;

use super::Environment;

const VAR: &str = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

pub struct SecureBootProbe {
    env: Environment,
}

impl SecureBootProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }
}

impl crate::posture::SecureBoot for SecureBootProbe {
    fn secure_boot(&self) -> Observation {
        let uefi = self.env.path("/sys/firmware/efi").is_dir();
        let var = match fs::read(self.env.path(VAR)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.to_string()),
        };
        veil_core::posture::system::decide_linux_secure_boot(uefi, var)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::SecureBoot;
    use veil_core::posture::CheckResult;

    fn probe(root: &std::path::Path) -> SecureBootProbe {
        SecureBootProbe::new(Environment {
            root: root.to_path_buf(),
            system_bus: None,
            desktop: String::new(),
            config_home: root.into(),
        })
    }

    #[test]
    fn reads_the_efi_variable_under_a_test_root() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(probe(dir.path()).secure_boot().observed, "legacy_boot");
        let vars = dir.path().join("sys/firmware/efi/efivars");
        fs::create_dir_all(&vars).unwrap();
        assert_eq!(probe(dir.path()).secure_boot().observed, "unsupported");
        let var = dir.path().join(VAR.trim_start_matches('/'));
        fs::write(&var, [6, 0, 0, 0, 1]).unwrap();
        assert_eq!(probe(dir.path()).secure_boot().result, CheckResult::Pass);
        fs::write(&var, [6, 0, 0, 0, 0]).unwrap();
        assert_eq!(probe(dir.path()).secure_boot().observed, "secure_boot_off");
    }
}
