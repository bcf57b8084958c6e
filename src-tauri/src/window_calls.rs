//! The tray app's answers to calls from the windows (passed on by the
//! window process over the control channel). Thin: check the input, ask
//! the actor. The input is checked here, where the state is changed, not
//! only in the window process. Each arm answers through its call's
//! `reply`, so its result has the type the call table declares.

use serde_json::Value as Json;
use tauri::{AppHandle, Manager};
use veil_core::clock::{Clock, Millis, SystemClock};
use veil_core::control::{Call, WindowCall, WindowName};
use veil_core::settings::{schema, Value};
use veil_core::state::{ChangedBy, Event};
use veil_core::training::report::ReportFormat;
use veil_core::training::TrainingEvent;
use veil_core::window_calls::About;
use veil_os::paths::Paths;

use crate::actor::{ActorHandle, Command};
use crate::mic_check::MicCheck;
use crate::shield::ShieldHandle;
use crate::window_host::WindowHost;

pub async fn answer(
    app: &AppHandle,
    actor: &ActorHandle,
    call: WindowCall,
) -> Result<Json, String> {
    match call {
        WindowCall::GetSnapshot(c) => c.reply(done((*actor.snapshot()).clone())),
        WindowCall::GetAbout(c) => c.reply(done(about(&app.state::<Paths>()))),
        WindowCall::GetTraining(c) => c.reply(actor.training_overview().await),
        WindowCall::SetPrivacyMode(c) => {
            let on = c.on;
            c.reply(
                actor
                    .request(Command::Event(Event::SetPrivacy {
                        on,
                        by: ChangedBy::Agent,
                    }))
                    .await,
            )
        }
        WindowCall::SetSetting(c) => {
            let checked = check_setting(&c.key, c.value.as_ref());
            let result = match checked {
                Ok(()) => {
                    let (key, value) = (c.key.clone(), c.value.clone());
                    actor.request(Command::SetSetting { key, value }).await
                }
                Err(e) => Err(e),
            };
            c.reply(result)
        }
        WindowCall::ReadLesson(c) => {
            let result = match bounded_id(&c.module) {
                Ok(()) => {
                    let module = c.module.clone();
                    training(actor, TrainingEvent::LessonRead { module, at: now() }).await
                }
                Err(e) => Err(e),
            };
            c.reply(result)
        }
        WindowCall::AnswerQuestion(c) => {
            let valid = bounded_id(&c.question).and_then(|()| {
                if c.chosen.len() > 26 || c.chosen.iter().any(|o| o.len() > 2) {
                    Err("invalid answer".to_string())
                } else {
                    Ok(())
                }
            });
            let result = match valid {
                Ok(()) => {
                    let event = TrainingEvent::QuizAnswer {
                        question: c.question.clone(),
                        chosen: c.chosen.clone(),
                        at: now(),
                    };
                    // Recorded first; only then does the window get the key.
                    training(actor, event).await.and_then(|()| {
                        actor
                            .snapshot()
                            .quiz
                            .as_ref()
                            .and_then(|q| q.answered.iter().find(|a| a.question == c.question))
                            .cloned()
                            .ok_or_else(|| "the answer was not recorded".to_string())
                    })
                }
                Err(e) => Err(e),
            };
            c.reply(result)
        }
        WindowCall::CloseQuiz(c) => {
            let later = c.later;
            let result = training(actor, TrainingEvent::QuizClosed { later, at: now() }).await;
            app.state::<WindowHost>().close(WindowName::Quiz);
            c.reply(result)
        }
        WindowCall::Practice(c) => {
            let result = match c.module.as_deref().map(bounded_id).transpose() {
                Ok(_) => {
                    let module = c.module.clone();
                    training(actor, TrainingEvent::Practice { module, at: now() }).await
                }
                Err(e) => Err(e),
            };
            c.reply(result)
        }
        WindowCall::OpenTraining(c) => {
            app.state::<WindowHost>().open(WindowName::Training);
            c.reply(done(()))
        }
        WindowCall::ExportTraining(c) => c.reply(export_training(&app.state::<Paths>())),
        WindowCall::ShieldNow(c) => {
            app.state::<ShieldHandle>().shield_now();
            c.reply(done(()))
        }
        WindowCall::CheckPosture(c) => {
            app.state::<crate::posture::PostureHandle>().check_now();
            c.reply(done(()))
        }
        WindowCall::OpenPostureSettings(c) => {
            let platform = veil_os::posture::platform();
            let result = match veil_core::posture::fixes::settings_target(c.check, platform) {
                Some((target, _)) => veil_os::posture::open_settings(&target),
                None => Err(format!(
                    "there is no settings page for {} on this computer",
                    c.check.as_str()
                )),
            };
            c.reply(result)
        }
        WindowCall::StartMicCheck(c) => {
            app.state::<MicCheck>().start(app);
            c.reply(done(()))
        }
        WindowCall::StopMicCheck(c) => {
            app.state::<MicCheck>().stop();
            c.reply(done(()))
        }
    }
}

/// An answer that cannot fail.
fn done<T>(value: T) -> Result<T, String> {
    Ok(value)
}

async fn training(actor: &ActorHandle, event: TrainingEvent) -> Result<(), String> {
    actor.request(Command::Event(Event::Training(event))).await
}

fn about(paths: &Paths) -> About {
    About {
        version: veil_core::VERSION.to_string(),
        policy_path: paths.policy_file.display().to_string(),
        settings_path: paths.settings_file().display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
        data_dir: paths.data_dir.display().to_string(),
    }
}

/// The training window's export: the same CSV as `veil training report`,
/// written to the Downloads folder; answers the file's path.
fn export_training(paths: &Paths) -> Result<String, String> {
    let (text, _skipped) = crate::training::report_text(paths, ReportFormat::Csv)?;
    let path = crate::training::export_path(SystemClock.now().0);
    veil_os::files::atomic_write(&path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

fn now() -> Millis {
    SystemClock.now()
}

fn bounded_id(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 128 {
        return Err("invalid id".into());
    }
    Ok(())
}

fn check_setting(key: &str, value: Option<&Value>) -> Result<(), String> {
    if schema::spec(key).is_none() {
        return Err(format!(
            "unknown setting `{}`",
            key.chars().take(64).collect::<String>()
        ));
    }
    if let Some(Value::Text(t)) = value {
        if t.len() > 4096 {
            return Err(format!("the value for `{key}` is too long"));
        }
    }
    Ok(())
}
