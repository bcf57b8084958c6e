//! Settings and managed policy.

#[cfg(test)]
mod admx;
pub mod config;
pub mod edit;
pub mod effective;
pub mod layer;
pub mod managed;
pub mod policy_source;
pub mod records;
pub mod schema;
pub mod value;

pub use config::{Config, ConfigChange, FileRead, FileState, FileStatus, PolicyRead};
pub use effective::{Appearance, Effective, Entry, KeyFallback, Settings, Source};
pub use layer::{FileError, Layer, Origin};
pub use value::Value;
