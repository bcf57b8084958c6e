//! Which policy file is in force. The organization's file is at a system
//! path only administrators write; `VEIL_POLICY` names another file, for
//! tests and pilots. An agent can set environment variables for their own
//! session (`~/.config/environment.d/`), so in a release build the
//! variable is honoured only on a machine with no organization policy at
//! all: no system file, and no copy of one kept from an earlier run.

/// How the running program was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Debug and test builds: `VEIL_POLICY` always wins (the tests' homes).
    Debug,
    Release,
}

impl Build {
    pub const fn current() -> Build {
        if cfg!(debug_assertions) {
            Build::Debug
        } else {
            Build::Release
        }
    }
}

/// What the machine looks like, as veil-os found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFacts<'a> {
    pub system_path: &'a str,
    /// Something (anything: a broken file is the organization's too) is at
    /// the system path.
    pub system_present: bool,
    /// A copy of a valid organization policy is kept from an earlier run.
    pub cached: bool,
    /// `VEIL_POLICY`, when set and not empty.
    pub override_path: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyChoice {
    pub path: String,
    /// The file is `VEIL_POLICY`'s, not the system one.
    pub overridden: bool,
    /// `VEIL_POLICY` was set and ignored: why (recorded, so IT sees it).
    pub refused_override: Option<String>,
    /// The file must be owned by an administrator and not writable by
    /// anyone else (always for the system path; an override in a release
    /// build too, since a pilot's file is placed by IT).
    pub must_be_admin_owned: bool,
}

pub fn choose(build: Build, facts: &PolicyFacts) -> PolicyChoice {
    let system = |refused: Option<String>| PolicyChoice {
        path: facts.system_path.to_string(),
        overridden: false,
        refused_override: refused,
        must_be_admin_owned: true,
    };
    let Some(wanted) = facts.override_path else {
        return system(None);
    };
    if wanted == facts.system_path {
        return system(None);
    }
    match build {
        Build::Debug => PolicyChoice {
            path: wanted.to_string(),
            overridden: true,
            refused_override: None,
            must_be_admin_owned: false,
        },
        Build::Release if facts.system_present => system(Some(format!(
            "VEIL_POLICY={wanted} is ignored: the organization's policy {} is in force",
            facts.system_path
        ))),
        Build::Release if facts.cached => system(Some(format!(
            "VEIL_POLICY={wanted} is ignored: this computer has had an organization policy"
        ))),
        Build::Release => PolicyChoice {
            path: wanted.to_string(),
            overridden: true,
            refused_override: None,
            must_be_admin_owned: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_cannot_replace_an_organization_policy() {
        use Build::*;
        const SYS: &str = "/etc/veil/policy.toml";
        // (build, system present, cached, VEIL_POLICY) -> (path, overridden, refused, admin-owned)
        type Row = (
            Build,
            bool,
            bool,
            Option<&'static str>,
            &'static str,
            bool,
            bool,
            bool,
        );
        let rows: &[Row] = &[
            (Release, true, false, None, SYS, false, false, true),
            (
                Release,
                true,
                false,
                Some("/home/a/p.toml"),
                SYS,
                false,
                true,
                true,
            ),
            (
                Release,
                false,
                true,
                Some("/home/a/p.toml"),
                SYS,
                false,
                true,
                true,
            ),
            // A pilot machine with no organization policy yet.
            (
                Release,
                false,
                false,
                Some("/opt/pilot/p.toml"),
                "/opt/pilot/p.toml",
                true,
                false,
                true,
            ),
            (Release, false, false, None, SYS, false, false, true),
            (Release, true, false, Some(SYS), SYS, false, false, true),
            // Tests point every home at its own file.
            (
                Debug,
                true,
                true,
                Some("/tmp/h/p.toml"),
                "/tmp/h/p.toml",
                true,
                false,
                false,
            ),
            (Debug, false, false, None, SYS, false, false, true),
        ];
        for (i, (build, present, cached, env, path, over, refused, admin)) in
            rows.iter().enumerate()
        {
            let c = choose(
                *build,
                &PolicyFacts {
                    system_path: SYS,
                    system_present: *present,
                    cached: *cached,
                    override_path: *env,
                },
            );
            assert_eq!(c.path, *path, "row {i}");
            assert_eq!(c.overridden, *over, "row {i}");
            assert_eq!(c.refused_override.is_some(), *refused, "row {i}");
            assert_eq!(c.must_be_admin_owned, *admin, "row {i}");
        }
    }
}
