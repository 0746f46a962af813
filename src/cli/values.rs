//! The values a flag takes when they are few (`--status`, `--boot-mode`, `--imds` …), for
//! completion scripts and help — while ecsimg itself checks what is given, with the code
//! ECS would answer and every problem listed.

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

/// Any text, which ecsimg checks itself (with the code ECS would answer, every problem
/// listed), while completion scripts and help offer the values there are.
#[derive(Debug, Clone)]
pub struct Suggest(Vec<&'static str>);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(|v| PossibleValue::new(*v))))
    }
}

/// The values `field` takes in `images modify`.
pub fn field_values(field: crate::rules::Field) -> Suggest {
    Suggest(crate::rules::choices(field).to_vec())
}

/// The statuses `images list --status` takes.
pub fn statuses() -> Suggest {
    Suggest(
        crate::ecs::model::ImageStatus::BROWSE
            .iter()
            .map(|s| s.as_str())
            .collect(),
    )
}
