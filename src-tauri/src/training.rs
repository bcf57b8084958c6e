//! Training wiring: loads the modules (Veil's own, embedded, and the
//! organization's folder from policy), ticks the quiz clock once a second
//! with the idle time, a call and the shield, and makes the supervisor's
//! report.

use std::path::Path;
use std::time::Duration;

use veil_core::clock::{Clock, SystemClock};
use veil_core::i18n::Language;
use veil_core::shield::ShieldStatus;
use veil_core::state::Event;
use veil_core::training::report::{self, ReportFormat};
use veil_core::training::{self, content, Module, Moment, TrainingEvent};
use veil_os::paths::{current_user, Paths};
use veil_os::watch::FolderWatch;

use crate::actor::ActorHandle;
use crate::shield::LiveIdle;
use crate::{audit_log, config_files};

mod shipped {
    include!(concat!(env!("OUT_DIR"), "/training_modules.rs"));
}

/// A module is a lesson and its questions: tens of kilobytes at most.
const MODULE_MAX_BYTES: u64 = 512 * 1024;

/// Veil's modules plus the `*.toml` files of `extra_folder` (if set), in
/// `lang` where a translation exists (Veil's own `modules/<lang>/`, and
/// `<extra_folder>/<lang>/`).
pub fn load(extra_folder: &str, lang: Language) -> (Vec<Module>, Vec<training::ContentError>) {
    let mut files: Vec<(String, String)> = shipped::SHIPPED
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut errors = Vec::new();
    if !extra_folder.is_empty() {
        read_folder(Path::new(extra_folder), &mut files, &mut errors, true);
    }
    let (mut modules, mut more) = content::load(&files);
    errors.append(&mut more);
    if lang != Language::En {
        let mut translations: Vec<(String, String)> = shipped::TRANSLATIONS
            .iter()
            .filter(|(l, _, _)| *l == lang.code())
            .map(|(_, name, text)| (name.to_string(), text.to_string()))
            .collect();
        if !extra_folder.is_empty() {
            let dir = Path::new(extra_folder).join(lang.code());
            // No folder for this language: the organization's modules
            // stay in the language they were written in.
            read_folder(&dir, &mut translations, &mut errors, false);
        }
        errors.append(&mut content::translate(&mut modules, &translations));
    }
    for e in &errors {
        tracing::warn!("training module skipped: {e}");
    }
    (modules, errors)
}

/// Reads the `*.toml` files of `dir` into `files`; an unreadable file (or
/// folder, when `required`) is an error that names it.
fn read_folder(
    dir: &Path,
    files: &mut Vec<(String, String)>,
    errors: &mut Vec<training::ContentError>,
    required: bool,
) {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut found: Vec<_> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            for p in found {
                match veil_os::files::read_text(&p, MODULE_MAX_BYTES) {
                    Ok(text) => files.push((p.display().to_string(), text)),
                    Err(e) => errors.push(training::ContentError {
                        file: p.display().to_string(),
                        line: 1,
                        message: format!("cannot read it: {e}"),
                    }),
                }
            }
        }
        Err(e) if required || e.kind() != std::io::ErrorKind::NotFound => {
            errors.push(training::ContentError {
                file: dir.display().to_string(),
                line: 1,
                message: format!("cannot read the folder: {e}"),
            })
        }
        Err(_) => {}
    }
}

fn shield_up(s: &ShieldStatus) -> bool {
    s.state != veil_core::shield::Stage::Active
}

/// The content as loaded, and the organization's folder it came from
/// (`None` before the first load).
#[derive(Default)]
struct Content {
    folder: Option<String>,
    language: Option<Language>,
    watch: Option<FolderWatch>,
    modules: Vec<Module>,
    errors: Vec<training::ContentError>,
}

impl Content {
    /// Loads at first and when policy names another folder; within one
    /// folder, reloads when a file in it changed, and a file that breaks
    /// keeps its last good module. Returns the new content when it differs
    /// from what was loaded.
    fn refresh(
        &mut self,
        folder: &str,
        lang: Language,
    ) -> Option<(Vec<Module>, Vec<training::ContentError>)> {
        let reloading = self.folder.is_some();
        // Another language is a fresh load, like another folder.
        let moved = self.folder.as_deref() != Some(folder) || self.language != Some(lang);
        self.language = Some(lang);
        if moved {
            self.folder = Some(folder.to_string());
            self.watch = (!folder.is_empty()).then(|| FolderWatch::new(folder, "toml"));
        }
        let touched = self.watch.as_mut().is_some_and(FolderWatch::changed);
        if !moved && !touched {
            return None;
        }
        let (modules, errors) = load(folder, lang);
        let (modules, errors) = if moved {
            (modules, errors)
        } else {
            content::keep_last_good(&self.modules, modules, errors)
        };
        if !moved && modules == self.modules && errors == self.errors {
            return None;
        }
        if reloading {
            tracing::info!(
                "training content reloaded ({} modules, {} problems)",
                modules.len(),
                errors.len()
            );
        }
        self.modules = modules.clone();
        self.errors = errors.clone();
        Some((modules, errors))
    }
}

/// The organization's folder is looked at this often.
const FOLDER_CHECK: Duration = Duration::from_secs(2);

/// Loads the content, ticks the quiz clock once a second, and reloads the
/// content when policy's folder or a file in it changes.
pub fn spawn(actor: ActorHandle, idle: LiveIdle) {
    let folder_of = |a: &ActorHandle| {
        let snap = a.snapshot();
        (snap.in_force.training.extra_folder.clone(), snap.language)
    };
    let mut content = Content::default();
    let (folder, lang) = folder_of(&actor);
    if let Some((modules, errors)) = content.refresh(&folder, lang) {
        actor.post_blocking(Event::Training(TrainingEvent::Content { modules, errors }));
    }
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        let mut last_check = tokio::time::Instant::now();
        loop {
            every.tick().await;
            if last_check.elapsed() >= FOLDER_CHECK {
                last_check = tokio::time::Instant::now();
                let (folder, lang) = folder_of(&actor);
                if let Some((modules, errors)) = content.refresh(&folder, lang) {
                    actor
                        .post(Event::Training(TrainingEvent::Content { modules, errors }))
                        .await;
                }
            }
            let snap = actor.snapshot();
            let status = &snap.status;
            let moment = Moment {
                now: SystemClock.now(),
                idle: Duration::from_secs(idle.0.load(std::sync::atomic::Ordering::Relaxed)),
                call: status.microphone.recording || status.camera.in_use(),
                shield_up: shield_up(&status.shield),
            };
            actor
                .post(Event::Training(TrainingEvent::Tick(moment)))
                .await;
        }
    });
}

/// The supervisor's report, from this account's store (read-only) and the
/// modules (Veil's own and the policy's folder), as the CLI prints it and
/// the training window exports it; with the module files that were skipped.
pub fn report_text(
    paths: &Paths,
    format: ReportFormat,
) -> Result<(String, Vec<training::ContentError>), String> {
    let settings = config_files::from_disk(paths).effective().settings();
    let store = audit_log::open_read_only(paths, settings.store_key_fallback)?;
    let (lessons, answers) = match &store {
        None => (vec![], vec![]),
        Some(s) => (
            s.lessons_read().map_err(|e| e.to_string())?,
            s.answers().map_err(|e| e.to_string())?,
        ),
    };
    // The supervisor's report is in English, for scripts and IT.
    let (modules, skipped) = load(&settings.training.extra_folder, Language::En);
    let now = SystemClock.now();
    let rows = report::rows(&modules, &lessons, &answers, now);
    Ok((report::render(&rows, &current_user(), now, format), skipped))
}

/// Where the training window's export goes: the Downloads folder, else home.
pub fn export_path(now_ms: i64) -> std::path::PathBuf {
    let dir = dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| Path::new(".").to_path_buf());
    let day = veil_core::timefmt::rfc3339(now_ms);
    dir.join(format!(
        "veil-training-report-{}.csv",
        &day[..10.min(day.len())]
    ))
}
