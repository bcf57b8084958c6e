//! This computer's id at the receivers: a keyed hash of the OS machine id
//! (`/etc/machine-id`, `MachineGuid`, `IOPlatformUUID`), so a receiver can
//! tell seats apart without learning the raw id, which other software uses
//! too.

use sha2::{Digest, Sha256};

/// The key of the hash: fixed, so the same machine has the same id at
/// every receiver and across reinstalls.
const KEY: &[u8] = b"veil host id v1";

/// 32 hex digits (128 bits) of HMAC-SHA-256(KEY, machine id).
pub fn host_id(machine_id: &str) -> String {
    let mac = hmac_sha256(KEY, machine_id.trim().as_bytes());
    crate::audit::hex(&mac[..16])
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            crate::audit::hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_id_is_stable_and_hides_the_machine_id() {
        let id = host_id("3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        assert_eq!(id, host_id("3d1219c7c4c5404aaa1f6d2a48adfda4"));
        assert_eq!(id.len(), 32);
        assert!(!id.contains("3d1219c7"));
        assert_ne!(id, host_id("another machine"));
    }
}
