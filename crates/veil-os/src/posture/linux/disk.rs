//! `disk_encryption` on Linux: which block devices hold `/` and swap
//! (`/proc/self/mountinfo`, `/proc/swaps`), and the device tree under them
//! (`/sys/class/block/*/dm/uuid`, `slaves/`). veil-core walks the tree.

use std::fs;
use std::path::Path;

use veil_core::posture::disk::{BlockDevice, LinuxDisks};
use veil_core::posture::Observation;

use super::Environment;

pub struct DiskProbe {
    env: Environment,
}

impl DiskProbe {
    pub fn new(env: Environment) -> Self {
        Self { env }
    }

    /// The facts, for the decision and for tests.
    pub fn read(&self) -> Result<LinuxDisks, String> {
        let mountinfo = fs::read_to_string(self.env.path("/proc/self/mountinfo"))
            .map_err(|e| format!("/proc/self/mountinfo: {e}"))?;
        let mounts = parse_mountinfo(&mountinfo);
        let root = mounts
            .iter()
            .find(|m| m.mount_point == "/")
            .ok_or("/proc/self/mountinfo lists no / mount")?;
        let swaps = fs::read_to_string(self.env.path("/proc/swaps")).unwrap_or_default();
        let swap_devices = swaps
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split_whitespace();
                let (name, kind) = (f.next()?, f.next()?);
                Some(if kind == "partition" {
                    self.device_name_of_path(name)
                        .unwrap_or_else(|| name.to_string())
                } else {
                    // A swap file lives on the file system holding it.
                    let m = mounts
                        .iter()
                        .filter(|m| name.starts_with(&m.mount_point))
                        .max_by_key(|m| m.mount_point.len());
                    m.and_then(|m| self.device_of_mount(m))
                        .unwrap_or_else(|| name.to_string())
                })
            })
            .collect();
        let zfs_encrypted = (root.fs_type == "zfs")
            .then(|| zfs_encrypted(&root.source))
            .flatten();
        Ok(LinuxDisks {
            devices: self.block_devices(),
            root: self.device_of_mount(root),
            root_fs: root.fs_type.clone(),
            zfs_encrypted,
            fscrypt: self.env.path("/.fscrypt").is_dir(),
            swaps: swap_devices,
        })
    }

    fn device_of_mount(&self, m: &Mount) -> Option<String> {
        // Block-backed file systems name the device by number; btrfs and
        // others report an anonymous number, so fall back to the source.
        let by_number = fs::read_link(self.env.path(&format!("/sys/dev/block/{}", m.dev)))
            .ok()
            .and_then(|t| t.file_name().map(|n| n.to_string_lossy().into_owned()));
        by_number.or_else(|| self.device_name_of_path(&m.source))
    }

    /// `/dev/mapper/vg-root` → `dm-1`, `/dev/sda1` → `sda1`.
    fn device_name_of_path(&self, dev: &str) -> Option<String> {
        if !dev.starts_with("/dev/") {
            return None;
        }
        let path = self.env.path(dev);
        let real = fs::canonicalize(&path).unwrap_or(path);
        let name = real.file_name()?.to_string_lossy().into_owned();
        self.env
            .path(&format!("/sys/class/block/{name}"))
            .exists()
            .then_some(name)
    }

    fn block_devices(&self) -> Vec<BlockDevice> {
        let dir = self.env.path("/sys/class/block");
        let Ok(entries) = fs::read_dir(&dir) else {
            return vec![];
        };
        entries
            .flatten()
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let base = e.path();
                BlockDevice {
                    dm_uuid: fs::read_to_string(base.join("dm/uuid"))
                        .ok()
                        .map(|s| s.trim().to_string()),
                    slaves: list_names(&base.join("slaves")),
                    name,
                }
            })
            .collect()
    }
}

fn list_names(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `zfs get encryption` of the root dataset; None when it cannot run.
fn zfs_encrypted(dataset: &str) -> Option<bool> {
    let zfs = crate::process::system_tool("zfs")?;
    let out = crate::process::output_within(
        std::process::Command::new(zfs).args(["get", "-H", "-o", "value", "encryption", dataset]),
        crate::posture::PROBE_TIMEOUT,
    )?;
    Some(out.trim() != "off" && !out.trim().is_empty())
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Mount {
    dev: String,
    mount_point: String,
    fs_type: String,
    source: String,
}

/// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw`
fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            let f: Vec<&str> = left.split_whitespace().collect();
            let r: Vec<&str> = right.split_whitespace().collect();
            Some(Mount {
                dev: f.get(2)?.to_string(),
                mount_point: unescape(f.get(4)?),
                fs_type: r.first()?.to_string(),
                source: r.get(1).map(|s| unescape(s)).unwrap_or_default(),
            })
        })
        .collect()
}

/// mountinfo escapes spaces and such as `\040`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl crate::posture::DiskEncryption for DiskProbe {
    fn disk_encryption(&self) -> Observation {
        match self.read() {
            Ok(d) => veil_core::posture::disk::decide_linux(&d),
            Err(e) => Observation::unknown("dm_crypt under / and swap", e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use veil_core::posture::CheckResult;

    /// A made-up root: LVM on LUKS, like Debian's guided encrypted install.
    fn lvm_on_luks(root: &Path, swap_plain: bool) {
        let w = |p: &str, s: &str| {
            let p = root.join(p);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, s).unwrap();
        };
        w(
            "proc/self/mountinfo",
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw\n\
             23 22 0:21 / /proc rw - proc proc rw\n",
        );
        w(
            "proc/swaps",
            if swap_plain {
                "Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 partition 1000 0 -2\n"
            } else {
                "Filename\tType\tSize\tUsed\tPriority\n/dev/dm-2 partition 1000 0 -2\n"
            },
        );
        for d in ["sda", "sda2", "sda3", "dm-0", "dm-1", "dm-2"] {
            fs::create_dir_all(root.join(format!("sys/class/block/{d}/slaves"))).unwrap();
        }
        w(
            "sys/class/block/dm-0/dm/uuid",
            "CRYPT-LUKS2-aaaa-sda2_crypt\n",
        );
        w("sys/class/block/dm-1/dm/uuid", "LVM-xyz\n");
        w("sys/class/block/dm-2/dm/uuid", "LVM-xyw\n");
        fs::create_dir_all(root.join("sys/class/block/dm-0/slaves/sda2")).unwrap();
        fs::create_dir_all(root.join("sys/class/block/dm-1/slaves/dm-0")).unwrap();
        fs::create_dir_all(root.join("sys/class/block/dm-2/slaves/dm-0")).unwrap();
        fs::create_dir_all(root.join("sys/dev/block")).unwrap();
        symlink(
            "../../devices/virtual/block/dm-1",
            root.join("sys/dev/block/254:1"),
        )
        .unwrap();
        fs::create_dir_all(root.join("dev/mapper")).unwrap();
    }

    fn env(root: &Path) -> Environment {
        Environment {
            root: root.to_path_buf(),
            system_bus: None,
            desktop: String::new(),
            config_home: root.join("home/.config"),
        }
    }

    #[test]
    fn reads_a_made_up_sysfs() {
        let dir = tempfile::tempdir().unwrap();
        lvm_on_luks(dir.path(), false);
        let p = DiskProbe::new(env(dir.path()));
        let d = p.read().unwrap();
        assert_eq!(d.root.as_deref(), Some("dm-1"));
        assert_eq!(d.swaps, vec!["dm-2".to_string()]);
        let o = crate::posture::DiskEncryption::disk_encryption(&p);
        assert_eq!(
            (o.result, o.observed.as_str()),
            (CheckResult::Pass, "dm_crypt")
        );

        let dir = tempfile::tempdir().unwrap();
        lvm_on_luks(dir.path(), true);
        let o = crate::posture::DiskEncryption::disk_encryption(&DiskProbe::new(env(dir.path())));
        assert_eq!(o.observed, "swap_plain");
    }

    #[test]
    fn this_machine_gives_an_answer() {
        let o = crate::posture::DiskEncryption::disk_encryption(&DiskProbe::new(
            Environment::from_process(),
        ));
        assert!(!o.detail.is_empty(), "{o:?}");
    }

    #[test]
    fn mountinfo_escapes() {
        let m = parse_mountinfo("1 0 8:1 / /media/my\\040disk rw - vfat /dev/sdb1 rw\n");
        assert_eq!(m[0].mount_point, "/media/my disk");
        assert_eq!(m[0].dev, "8:1");
    }
}
