//! The CA bundle a session trusts besides the bundled and the system's roots: `--ca-bundle`,
//! else the config file's `ca_bundle`. A file that is not a CA bundle stops ecsimg before
//! anything is sent (exit 2), named by where it came from, with the fix.

use crate::config::{Config, ConfigError};
use crate::ecs::client::CaBundle;

use super::args::GlobalArgs;
use super::exit::CliError;

/// The bundle to add, loaded and checked; `None` when neither the flag nor the file names one.
pub fn ca_bundle(global: &GlobalArgs, config: &Config) -> Result<Option<CaBundle>, CliError> {
    if let Some(path) = &global.ca_bundle {
        return CaBundle::load(path).map(Some).map_err(|why| {
            CliError::invalid(format!(
                "--ca-bundle {}: {why}; fix: pass a PEM file of CA certificates",
                path.display()
            ))
        });
    }
    let Some(setting) = &config.ca_bundle else {
        return Ok(None);
    };
    CaBundle::load(&setting.path).map(Some).map_err(|why| {
        CliError::from(ConfigError {
            path: config.path.clone().unwrap_or_default(),
            line: Some(setting.line),
            message: format!("ca_bundle {}: {why}", setting.path.display()),
            fix: "point ca_bundle at a PEM file of CA certificates, or remove the line".to_string(),
        })
    })
}
