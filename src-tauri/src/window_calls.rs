//! The tray app's answers to calls from the windows (passed on by the
//! window process over the control channel). Thin: check the input, ask
//! the actor. The input is checked here, where the state is changed, not
//! only in the window process.

use serde_json::Value as Json;
use tauri::{AppHandle, Manager};
use veil_core::clock::{Clock, Millis, SystemClock};
use veil_core::control::WindowCall;
use veil_core::settings::{schema, Value};
use veil_core::state::{Actor as Who, Event};

use crate::actor::{Actor, Command};
use crate::mic_check::MicCheck;
use crate::shield::ShieldHandle;

pub async fn answer(app: &AppHandle, actor: &Actor, call: WindowCall) -> Result<Json, String> {
    let done = |r: Result<(), String>| r.map(|()| Json::Null);
    match call {
        WindowCall::GetSnapshot => to_json(&*actor.snapshot()),
        WindowCall::GetTraining => to_json(&actor.training_overview().await?),
        WindowCall::SetPrivacyMode { on } => done(
            actor
                .request(Command::Event(Event::SetPrivacy {
                    on,
                    actor: Who::Agent,
                }))
                .await,
        ),
        WindowCall::SetSetting { key, value } => {
            check_setting(&key, value.as_ref())?;
            done(actor.request(Command::SetSetting { key, value }).await)
        }
        WindowCall::ReadLesson { module } => {
            bounded_id(&module)?;
            done(event(actor, Event::LessonRead { module, at: now() }).await)
        }
        WindowCall::AnswerQuestion {
            question,
            chosen,
            took_ms,
        } => {
            bounded_id(&question)?;
            if chosen.len() > 26 || chosen.iter().any(|c| c.len() > 2) {
                return Err("invalid answer".into());
            }
            done(
                event(
                    actor,
                    Event::QuizAnswer {
                        question,
                        chosen,
                        took_ms,
                        at: now(),
                    },
                )
                .await,
            )
        }
        WindowCall::QuizClosed { later } => {
            done(event(actor, Event::QuizClosed { later, at: now() }).await)
        }
        WindowCall::Practice { module } => {
            if let Some(m) = &module {
                bounded_id(m)?;
            }
            done(event(actor, Event::Practice { module, at: now() }).await)
        }
        WindowCall::ShieldNow => {
            app.state::<ShieldHandle>().shield_now();
            Ok(Json::Null)
        }
        WindowCall::StartMicCheck => {
            app.state::<MicCheck>().start(app);
            Ok(Json::Null)
        }
        WindowCall::StopMicCheck => {
            app.state::<MicCheck>().stop();
            Ok(Json::Null)
        }
    }
}

async fn event(actor: &Actor, event: Event) -> Result<(), String> {
    actor.request(Command::Event(event)).await
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Json, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
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
