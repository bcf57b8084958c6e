//! `disk_encryption`: is the disk that holds the system (and swap)
//! encrypted? Linux walks the block device tree from `/` and each swap down
//! to a dm-crypt layer; Windows reads BitLocker's protection state of the
//! system volume; macOS reads FileVault's.

use super::Observation;
use crate::i18n::Message;

const EXPECTED_LINUX: &str = "dm_crypt under / and swap";

/// One block device as sysfs shows it (`/sys/class/block/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockDevice {
    pub name: String,
    /// `dm/uuid` of a device-mapper device: `CRYPT-LUKS2-...` for dm-crypt,
    /// `LVM-...` for a logical volume.
    pub dm_uuid: Option<String>,
    /// The devices it is built on (`slaves/`).
    pub slaves: Vec<String>,
}

/// What the probe read: the devices, which ones hold `/` and swap.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinuxDisks {
    pub devices: Vec<BlockDevice>,
    /// The block device of `/`, when `/` is on one.
    pub root: Option<String>,
    /// The file system type of `/` (`ext4`, `btrfs`, `zfs`, `overlay`).
    pub root_fs: String,
    /// ZFS: the root dataset's `encryption` is not `off`.
    pub zfs_encrypted: Option<bool>,
    /// Some folders use fscrypt (a `.fscrypt` metadata folder on `/`).
    pub fscrypt: bool,
    /// The block devices holding swap (a swap file's file system device).
    pub swaps: Vec<String>,
}

impl LinuxDisks {
    fn device(&self, name: &str) -> Option<&BlockDevice> {
        self.devices.iter().find(|d| d.name == name)
    }

    /// Some(true) if it is a dm-crypt device, or every device it is built
    /// on is (an LVM volume spanning an encrypted and a plain disk is not);
    /// None when the walk meets a device sysfs does not list, so "could not
    /// tell" never reads as "not encrypted".
    pub fn encrypted(&self, name: &str) -> Option<bool> {
        self.encrypted_depth(name, 0)
    }

    fn encrypted_depth(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > 16 {
            return None;
        }
        let dev = self.device(name)?;
        if dev
            .dm_uuid
            .as_deref()
            .is_some_and(|u| u.starts_with("CRYPT-"))
        {
            return Some(true);
        }
        if dev.slaves.is_empty() {
            return Some(false);
        }
        let mut all = true;
        for slave in &dev.slaves {
            all &= self.encrypted_depth(slave, depth + 1)?;
        }
        Some(all)
    }
}

/// Compressed swap in memory never reaches a disk.
fn swap_in_memory(name: &str) -> bool {
    name.starts_with("zram")
}

pub fn decide_linux(d: &LinuxDisks) -> Observation {
    let root_ok = match (&d.root, d.root_fs.as_str()) {
        (_, "zfs") => match d.zfs_encrypted {
            Some(true) => Some("zfs_native"),
            Some(false) => None,
            None => {
                return Observation::unknown_because(
                    EXPECTED_LINUX,
                    Message::new("check-disk-encryption-reason-zfs"),
                )
            }
        },
        (Some(root), _) => match d.encrypted(root) {
            Some(true) => Some("dm_crypt"),
            Some(false) => None,
            None => return unlisted(root),
        },
        (None, _) => {
            return Observation::unknown_because(
                EXPECTED_LINUX,
                if d.root_fs.is_empty() {
                    Message::new("check-disk-encryption-reason-root-unknown-fs")
                } else {
                    Message::new("check-disk-encryption-reason-root-not-block")
                        .arg("fs", d.root_fs.as_str())
                },
            )
        }
    };
    let mut plain_swap = false;
    for swap in d.swaps.iter().filter(|s| !swap_in_memory(s)) {
        match d.encrypted(swap) {
            Some(encrypted) => plain_swap |= !encrypted,
            None => return unlisted(swap),
        }
    }
    match (root_ok, plain_swap) {
        (Some(how), false) => Observation::pass(
            how,
            EXPECTED_LINUX,
            if how == "zfs_native" {
                Message::new("check-disk-encryption-zfs")
            } else {
                Message::new("check-disk-encryption-luks")
            },
        ),
        (Some(_), true) => Observation::fail(
            "swap_plain",
            EXPECTED_LINUX,
            Message::new("check-disk-encryption-swap-plain"),
        ),
        (None, _) if d.fscrypt => Observation::fail(
            "fscrypt_only",
            EXPECTED_LINUX,
            Message::new("check-disk-encryption-fscrypt-only"),
        ),
        (None, _) => Observation::fail(
            "none",
            EXPECTED_LINUX,
            Message::new("check-disk-encryption-none"),
        ),
    }
}

fn unlisted(device: &str) -> Observation {
    Observation::unknown_because(
        EXPECTED_LINUX,
        Message::new("check-disk-encryption-reason-unlisted").arg("device", device),
    )
}

const EXPECTED_BITLOCKER: &str = "bitlocker_on";

/// The shell's `System.Volume.BitLockerProtection` of the system drive
/// (readable without admin): 1 on, 2 off, 3 encrypting, 4 decrypting,
/// 5 suspended, 6 on (locked), 8 waiting for activation; None: not read.
pub fn decide_bitlocker(protection: Option<u32>) -> Observation {
    let Some(p) = protection else {
        return Observation::unknown_because(
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-reason-bitlocker-unreported"),
        );
    };
    match p {
        1 | 6 => Observation::pass(
            "bitlocker_on",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-on"),
        ),
        3 => Observation::fail(
            "bitlocker_encrypting",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-encrypting"),
        ),
        5 => Observation::fail(
            "bitlocker_suspended",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-suspended"),
        ),
        4 => Observation::fail(
            "bitlocker_decrypting",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-decrypting"),
        ),
        8 => Observation::fail(
            "bitlocker_waiting",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-waiting"),
        ),
        0 | 2 => Observation::fail(
            "bitlocker_off",
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-bitlocker-off"),
        ),
        other => Observation::unknown_because(
            EXPECTED_BITLOCKER,
            Message::new("check-disk-encryption-reason-bitlocker-unfamiliar")
                .arg("state", other.to_string()),
        ),
    }
}

const EXPECTED_FILEVAULT: &str = "filevault_on";

/// `fdesetup status`'s output; None when it could not run.
pub fn decide_filevault(output: Option<&str>) -> Observation {
    let Some(out) = output else {
        return Observation::unknown_because(
            EXPECTED_FILEVAULT,
            Message::new("check-disk-encryption-reason-fdesetup-failed"),
        );
    };
    if out.contains("FileVault is On") {
        if out.contains("Decryption in progress") {
            Observation::fail(
                "filevault_decrypting",
                EXPECTED_FILEVAULT,
                Message::new("check-disk-encryption-filevault-decrypting"),
            )
        } else if out.contains("Encryption in progress") {
            Observation::fail(
                "filevault_encrypting",
                EXPECTED_FILEVAULT,
                Message::new("check-disk-encryption-filevault-encrypting"),
            )
        } else {
            Observation::pass(
                "filevault_on",
                EXPECTED_FILEVAULT,
                Message::new("check-disk-encryption-filevault-on"),
            )
        }
    } else if out.contains("FileVault is Off") {
        Observation::fail(
            "filevault_off",
            EXPECTED_FILEVAULT,
            Message::new("check-disk-encryption-filevault-off"),
        )
    } else {
        Observation::unknown_because(
            EXPECTED_FILEVAULT,
            Message::new("check-disk-encryption-reason-fdesetup-unknown"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::CheckResult::{self, *};
    use super::*;

    fn dev(name: &str, uuid: Option<&str>, slaves: &[&str]) -> BlockDevice {
        BlockDevice {
            name: name.into(),
            dm_uuid: uuid.map(Into::into),
            slaves: slaves.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn disks(devices: Vec<BlockDevice>, root: &str, swaps: &[&str]) -> LinuxDisks {
        LinuxDisks {
            devices,
            root: Some(root.into()),
            root_fs: "ext4".into(),
            swaps: swaps.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn sysfs_walks() {
        let luks = Some("CRYPT-LUKS2-0f6c6d1e6a2b4c1e9f7a1d2b3c4d5e6f-nvme0n1p3_crypt");
        let lvm = Some("LVM-abcdefABCDEF0123456789abcdefABCDEFabcdefABCDEF0123456789abcdef");
        let table: Vec<(&str, LinuxDisks, CheckResult, &str)> = vec![
            (
                "LVM on LUKS (Debian's guided encrypted install)",
                disks(
                    vec![
                        dev("nvme0n1", None, &[]),
                        dev("nvme0n1p3", None, &[]),
                        dev("dm-0", luks, &["nvme0n1p3"]),
                        dev("dm-1", lvm, &["dm-0"]),
                        dev("dm-2", lvm, &["dm-0"]),
                    ],
                    "dm-1",
                    &["dm-2"],
                ),
                Pass,
                "dm_crypt",
            ),
            (
                "LUKS on LVM",
                disks(
                    vec![
                        dev("sda2", None, &[]),
                        dev("dm-0", lvm, &["sda2"]),
                        dev("dm-1", luks, &["dm-0"]),
                    ],
                    "dm-1",
                    &[],
                ),
                Pass,
                "dm_crypt",
            ),
            (
                "plain partition",
                disks(vec![dev("sda1", None, &[])], "sda1", &[]),
                Fail,
                "none",
            ),
            (
                "plain root with a LUKS USB stick plugged in",
                disks(
                    vec![
                        dev("sda1", None, &[]),
                        dev("sdb1", None, &[]),
                        dev("dm-0", luks, &["sdb1"]),
                    ],
                    "sda1",
                    &[],
                ),
                Fail,
                "none",
            ),
            (
                "LVM spanning an encrypted and a plain disk",
                disks(
                    vec![
                        dev("sda1", None, &[]),
                        dev("sdb1", None, &[]),
                        dev("dm-0", luks, &["sda1"]),
                        dev("dm-1", lvm, &["dm-0", "sdb1"]),
                    ],
                    "dm-1",
                    &[],
                ),
                Fail,
                "none",
            ),
            (
                "encrypted root, plain swap partition",
                disks(
                    vec![
                        dev("sda2", None, &[]),
                        dev("sda3", None, &[]),
                        dev("dm-0", luks, &["sda2"]),
                    ],
                    "dm-0",
                    &["sda3"],
                ),
                Fail,
                "swap_plain",
            ),
            (
                "encrypted root, zram swap",
                disks(
                    vec![dev("sda2", None, &[]), dev("dm-0", luks, &["sda2"])],
                    "dm-0",
                    &["zram0"],
                ),
                Pass,
                "dm_crypt",
            ),
            (
                "a device sysfs does not list: could not tell, not a failure",
                disks(vec![], "dm-7", &[]),
                Unknown,
                "unknown",
            ),
            (
                "an LVM volume on a device sysfs does not list",
                disks(vec![dev("dm-1", lvm, &["sdz2"])], "dm-1", &[]),
                Unknown,
                "unknown",
            ),
            (
                "an encrypted root with a swap device sysfs does not list",
                disks(
                    vec![dev("sda", None, &[]), dev("dm-0", luks, &["sda"])],
                    "dm-0",
                    &["sdq1"],
                ),
                Unknown,
                "unknown",
            ),
        ];
        for (what, d, result, observed) in table {
            let o = decide_linux(&d);
            assert_eq!(
                (o.result, o.observed.as_str()),
                (result, observed),
                "{what}"
            );
        }
    }

    #[test]
    fn zfs_fscrypt_and_unfollowable_roots() {
        let zfs = |enc| LinuxDisks {
            root_fs: "zfs".into(),
            zfs_encrypted: enc,
            ..Default::default()
        };
        assert_eq!(decide_linux(&zfs(Some(true))).observed, "zfs_native");
        assert_eq!(decide_linux(&zfs(Some(false))).result, Fail);
        assert_eq!(decide_linux(&zfs(None)).result, Unknown);
        let overlay = LinuxDisks {
            root_fs: "overlay".into(),
            ..Default::default()
        };
        let o = decide_linux(&overlay);
        assert_eq!(o.result, Unknown);
        assert!(o.reason.unwrap().contains("overlay"));
        let mut f = disks(vec![dev("sda1", None, &[])], "sda1", &[]);
        f.fscrypt = true;
        assert_eq!(decide_linux(&f).observed, "fscrypt_only");
    }

    #[test]
    fn bitlocker_and_filevault_states() {
        for (p, result, observed) in [
            (Some(1), Pass, "bitlocker_on"),
            (Some(6), Pass, "bitlocker_on"),
            (Some(2), Fail, "bitlocker_off"),
            (Some(5), Fail, "bitlocker_suspended"),
            (Some(3), Fail, "bitlocker_encrypting"),
            (Some(8), Fail, "bitlocker_waiting"),
            (Some(42), Unknown, "unknown"),
            (None, Unknown, "unknown"),
        ] {
            let o = decide_bitlocker(p);
            assert_eq!((o.result, o.observed.as_str()), (result, observed), "{p:?}");
        }
        for (out, result) in [
            (Some("FileVault is On.\n"), Pass),
            (Some("FileVault is Off.\n"), Fail),
            (
                Some("FileVault is On.\nEncryption in progress: Percent completed = 12.3\n"),
                Fail,
            ),
            (Some("Error: something"), Unknown),
            (None, Unknown),
        ] {
            assert_eq!(decide_filevault(out).result, result, "{out:?}");
        }
    }
}
