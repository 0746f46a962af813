//! The profile picker (`P`): the credential profiles ecsimg can switch to.

/// The profile picker's state; the names are in `App::profiles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfilePicker {
    pub selected: usize,
    /// Why the last switch failed (the credential chain's words).
    pub error: Option<String>,
}

/// The names the picker offers: the current profile (it may come from the environment,
/// not a file), then every profile the credential files hold.
pub fn choices(current: &str, listed: &[String]) -> Vec<String> {
    let mut out = vec![current.to_string()];
    out.extend(listed.iter().filter(|n| *n != current).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_profile_comes_first_and_once() {
        let listed = vec!["dev".to_string(), "prod".to_string()];
        assert_eq!(choices("prod", &listed), ["prod", "dev"]);
        assert_eq!(choices("env", &listed), ["env", "dev", "prod"]);
    }
}
