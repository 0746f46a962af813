//! The credential chain's order: environment aliases, profile selection, region, and the
//! errors when nothing is found. Every test has its own HOME and environment map.

use std::time::Duration;

use crate::support::credentials::{ak_profile, config, Home};
use ecsimg::ecs::credentials::{resolve, AccessKey, Credentials, Resolved};

fn key_of(resolved: &Resolved) -> AccessKey {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(resolved.credentials.access_key())
        .expect("a static key needs no network")
}

#[test]
fn environment_keys_with_token() {
    let home = Home::new();
    let resolved = resolve(&home.opts(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvkey0001"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
    ]))
    .unwrap();
    let key = key_of(&resolved);
    assert_eq!(key.id, "LTAIenvkey0001");
    assert_eq!(key.secret.expose(), "env-secret");
    assert_eq!(
        key.security_token.as_ref().map(|t| t.expose()),
        Some("env-token")
    );
    assert_eq!(resolved.profile_name, "env");
    assert!(
        resolved.source.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{}",
        resolved.source
    );
    assert!(
        resolved.source.contains("ALIBABA_CLOUD_SECURITY_TOKEN"),
        "{}",
        resolved.source
    );
}

#[test]
fn each_environment_alias_works_alone() {
    for prefix in ["ALIBABA_CLOUD", "ALIBABACLOUD", "ALICLOUD"] {
        let home = Home::new();
        let id_var = format!("{prefix}_ACCESS_KEY_ID");
        let secret_var = format!("{prefix}_ACCESS_KEY_SECRET");
        let token_var = format!("{prefix}_SECURITY_TOKEN");
        let resolved = resolve(&home.opts(&[
            (&id_var, "id-from-alias"),
            (&secret_var, "secret-from-alias"),
            (&token_var, "token-from-alias"),
        ]))
        .unwrap_or_else(|e| panic!("{prefix}: {e}"));
        let key = key_of(&resolved);
        assert_eq!(key.id, "id-from-alias", "{prefix}");
        assert_eq!(key.secret.expose(), "secret-from-alias", "{prefix}");
        assert_eq!(
            key.security_token.unwrap().expose(),
            "token-from-alias",
            "{prefix}"
        );
        assert!(resolved.source.contains(&id_var), "{}", resolved.source);
    }
}

#[test]
fn environment_aliases_in_spec_order() {
    let home = Home::new();
    let all = [
        ("ALICLOUD_ACCESS_KEY_ID", "third"),
        ("ALICLOUD_ACCESS_KEY_SECRET", "third-s"),
        ("ALIBABACLOUD_ACCESS_KEY_ID", "second"),
        ("ALIBABACLOUD_ACCESS_KEY_SECRET", "second-s"),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "first"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "first-s"),
    ];
    let key = key_of(&resolve(&home.opts(&all)).unwrap());
    assert_eq!((key.id.as_str(), key.secret.expose()), ("first", "first-s"));
    let key = key_of(&resolve(&home.opts(&all[..4])).unwrap());
    assert_eq!(
        (key.id.as_str(), key.secret.expose()),
        ("second", "second-s")
    );
    // An empty value counts as unset.
    let mut with_empty = all[..4].to_vec();
    with_empty.push(("ALIBABA_CLOUD_ACCESS_KEY_ID", ""));
    with_empty.push(("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""));
    let key = key_of(&resolve(&home.opts(&with_empty)).unwrap());
    assert_eq!(key.id, "second");
}

#[test]
fn an_id_without_a_secret_is_an_error_naming_both() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[ak_profile("default", "file-id", "file-secret")],
    ));
    let err = resolve(&home.opts(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "half")])).unwrap_err();
    assert!(
        err.0.contains("ALIBABA_CLOUD_ACCESS_KEY_ID is set"),
        "{err}"
    );
    assert!(
        err.0.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"),
        "{err}"
    );
}

#[test]
fn environment_wins_over_the_default_profile() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[ak_profile("default", "file-id", "file-secret")],
    ));
    let resolved = resolve(&home.opts(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]))
    .unwrap();
    assert_eq!(key_of(&resolved).id, "env-id");
}

#[test]
fn profile_flag_uses_that_profile_even_with_environment_keys() {
    let home = Home::new();
    home.config_json(&config(
        "default",
        &[
            ak_profile("default", "d-id", "d-secret"),
            ak_profile("prod", "prod-id", "prod-secret"),
        ],
    ));
    let mut opts = home.opts(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_PROFILE", "default"),
    ]);
    opts.profile = Some("prod".into());
    let resolved = resolve(&opts).unwrap();
    assert_eq!(key_of(&resolved).id, "prod-id");
    assert_eq!(resolved.profile_name, "prod");
    assert_eq!(
        resolved.source,
        "profile prod (AK) from ~/.aliyun/config.json"
    );
    assert_eq!(resolved.credentials.describe(), resolved.source);
}

#[test]
fn profile_flag_naming_a_missing_profile_lists_what_exists() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[
            ak_profile("default", "d", "s"),
            ak_profile("staging", "x", "y"),
        ],
    ));
    let mut opts = home.opts(&[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ]);
    opts.profile = Some("prod".into());
    let err = resolve(&opts).unwrap_err();
    assert!(err.0.contains("--profile names profile \"prod\""), "{err}");
    assert!(err.0.contains("default, staging"), "{err}");
    assert!(
        err.0.contains("~/.alibabacloud/credentials: no such file"),
        "{err}"
    );
}

#[test]
fn profile_environment_variable_beats_current() {
    let home = Home::new();
    home.config_json(&config(
        "cur",
        &[
            ak_profile("cur", "cur-id", "s"),
            ak_profile("fromenv", "env-prof-id", "s"),
            ak_profile("default", "def-id", "s"),
        ],
    ));
    let resolved = resolve(&home.opts(&[("ALIBABA_CLOUD_PROFILE", "fromenv")])).unwrap();
    assert_eq!(key_of(&resolved).id, "env-prof-id");
    assert_eq!(resolved.profile_name, "fromenv");
    let resolved = resolve(&home.opts(&[])).unwrap();
    assert_eq!(key_of(&resolved).id, "cur-id");
    assert_eq!(resolved.profile_name, "cur");
}

#[test]
fn profile_environment_aliases_in_spec_order() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[
            ak_profile("a", "a-id", "s"),
            ak_profile("b", "b-id", "s"),
            ak_profile("c", "c-id", "s"),
        ],
    ));
    let all = [
        ("ALICLOUD_PROFILE", "c"),
        ("ALIBABA_CLOUD_PROFILE", "b"),
        ("ALIBABACLOUD_PROFILE", "a"),
    ];
    assert_eq!(key_of(&resolve(&home.opts(&all)).unwrap()).id, "a-id");
    assert_eq!(key_of(&resolve(&home.opts(&all[..2])).unwrap()).id, "b-id");
    assert_eq!(key_of(&resolve(&home.opts(&all[..1])).unwrap()).id, "c-id");
}

#[test]
fn a_profile_variable_naming_nothing_is_an_error() {
    let home = Home::new();
    home.config_json(&config("", &[ak_profile("default", "d", "s")]));
    let err = resolve(&home.opts(&[("ALIBABA_CLOUD_PROFILE", "ghost")])).unwrap_err();
    assert!(
        err.0
            .contains("ALIBABA_CLOUD_PROFILE names profile \"ghost\""),
        "{err}"
    );
    assert!(err.0.contains("unset ALIBABA_CLOUD_PROFILE"), "{err}");
}

#[test]
fn default_profile_when_current_is_empty() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[
            ak_profile("other", "o", "s"),
            ak_profile("default", "def-id", "s"),
        ],
    ));
    let resolved = resolve(&home.opts(&[])).unwrap();
    assert_eq!(key_of(&resolved).id, "def-id");
    assert_eq!(resolved.profile_name, "default");
}

#[test]
fn current_naming_a_missing_profile_is_an_error() {
    let home = Home::new();
    home.config_json(&config("gone", &[ak_profile("default", "d", "s")]));
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("\"current\""), "{err}");
    assert!(err.0.contains("\"gone\""), "{err}");
    assert!(err.0.contains("aliyun configure switch"), "{err}");
}

#[test]
fn config_json_without_default_falls_through_to_the_ini_file() {
    let home = Home::new();
    home.config_json(&config("", &[ak_profile("other", "o", "s")]));
    home.credentials_ini(
        "[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n",
    );
    let resolved = resolve(&home.opts(&[])).unwrap();
    assert_eq!(key_of(&resolved).id, "ini-id");
    assert_eq!(
        resolved.source,
        "profile default (access_key) from ~/.alibabacloud/credentials"
    );
}

#[test]
fn profile_flag_finds_an_ini_section() {
    let home = Home::new();
    home.config_json(&config("", &[ak_profile("default", "d", "s")]));
    home.credentials_ini(
        "[ci]\ntype = access_key\naccess_key_id = ci-id\naccess_key_secret = ci-secret\n",
    );
    let mut opts = home.opts(&[]);
    opts.profile = Some("ci".into());
    assert_eq!(key_of(&resolve(&opts).unwrap()).id, "ci-id");
}

#[test]
fn file_path_overrides() {
    let home = Home::new();
    let elsewhere = home.write(
        "elsewhere/cfg.json",
        &config("", &[ak_profile("default", "moved-id", "s")]),
    );
    let ini = home.write(
        "elsewhere/creds",
        "[default]\ntype = access_key\naccess_key_id = ini-moved\naccess_key_secret = s\n",
    );
    home.config_json(&config("", &[ak_profile("default", "home-id", "s")]));
    let resolved =
        resolve(&home.opts(&[("ALIBABA_CLOUD_CONFIG_FILE", elsewhere.to_str().unwrap())])).unwrap();
    assert_eq!(key_of(&resolved).id, "moved-id");
    assert!(
        resolved.source.contains("ALIBABA_CLOUD_CONFIG_FILE"),
        "{}",
        resolved.source
    );
    let resolved = resolve(&home.opts(&[
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", ini.to_str().unwrap()),
    ]))
    .unwrap();
    assert_eq!(key_of(&resolved).id, "ini-moved");
}

#[test]
fn nothing_found_lists_every_place_and_every_fix() {
    let home = Home::new();
    let err = resolve(&home.opts(&[])).unwrap_err();
    for expected in [
        "no Alibaba Cloud credentials found",
        "environment: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "~/.aliyun/config.json: no such file",
        "~/.alibabacloud/credentials: no such file",
        "ALIBABA_CLOUD_ECS_METADATA: not set",
        "aliyun configure",
        "--profile",
        "--demo",
    ] {
        assert!(err.0.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn nothing_found_names_the_profiles_a_file_does_have() {
    let home = Home::new();
    home.config_json(&config("", &[ak_profile("prod", "p", "s")]));
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(
        err.0.contains("no profile \"default\" (it has: prod)"),
        "{err}"
    );
}

#[test]
fn region_flag_then_environment_aliases_then_profile() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[r#"{"name":"default","mode":"AK","access_key_id":"i","access_key_secret":"s","region_id":"cn-profile"}"#.to_string()],
    ));
    let chain = [
        ("REGION", "r-region"),
        ("REGION_ID", "r-region-id"),
        ("ALICLOUD_REGION_ID", "r-alicloud"),
        ("ALIBABACLOUD_REGION_ID", "r-alibabacloud"),
        ("ALIBABA_CLOUD_REGION_ID", "r-alibaba-cloud"),
    ];
    let region = |env: &[(&str, &str)], flag: Option<&str>| {
        let mut opts = home.opts(env);
        opts.region = flag.map(str::to_string);
        resolve(&opts).unwrap().region
    };
    assert_eq!(region(&chain, Some("cn-flag")).as_deref(), Some("cn-flag"));
    for n in (1..=chain.len()).rev() {
        assert_eq!(
            region(&chain[..n], None).as_deref(),
            Some(chain[n - 1].1),
            "with {n} set"
        );
    }
    assert_eq!(region(&[], None).as_deref(), Some("cn-profile"));
}

#[test]
fn profile_connection_settings_are_surfaced() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[
            r#"{"name":"default","mode":"AK","access_key_id":"i","access_key_secret":"s",
              "endpoint_type":"vpc","endpoint":"ecs-vpc.cn-shanghai.aliyuncs.com",
              "read_timeout":20,"connect_timeout":3}"#
                .to_string(),
        ],
    ));
    let resolved = resolve(&home.opts(&[])).unwrap();
    assert_eq!(resolved.endpoint_type.as_deref(), Some("vpc"));
    assert_eq!(
        resolved.endpoint.as_deref(),
        Some("ecs-vpc.cn-shanghai.aliyuncs.com")
    );
    assert_eq!(resolved.read_timeout, Some(Duration::from_secs(20)));
    assert_eq!(resolved.connect_timeout, Some(Duration::from_secs(3)));
    assert!(resolved.warnings.is_empty(), "{:?}", resolved.warnings);
}

#[test]
fn home_comes_from_the_environment_map() {
    let home = Home::new();
    home.config_json(&config("", &[ak_profile("default", "via-home-var", "s")]));
    let mut opts = home.opts(&[("HOME", home.path().to_str().unwrap())]);
    opts.home = None;
    assert_eq!(key_of(&resolve(&opts).unwrap()).id, "via-home-var");
}

#[test]
fn debug_and_display_never_show_secrets_or_tokens() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[r#"{"name":"default","mode":"StsToken","access_key_id":"STS.visible-id","access_key_secret":"SECRET-abc123","sts_token":"TOKEN-xyz789"}"#.to_string()],
    ));
    let resolved = resolve(&home.opts(&[])).unwrap();
    let key = key_of(&resolved);
    assert_eq!(key.secret.expose(), "SECRET-abc123");
    let shown = [
        format!("{resolved:?}"),
        format!("{resolved:#?}"),
        format!("{:?}", resolved.credentials),
        format!("{}", resolved.credentials),
        format!("{key:?}"),
        format!("{}", key.secret),
        format!("{:?}", key.security_token),
        resolved.source.clone(),
    ];
    for text in &shown {
        assert!(!text.contains("SECRET-abc123"), "secret leaked: {text}");
        assert!(!text.contains("TOKEN-xyz789"), "token leaked: {text}");
    }
    assert!(
        shown[0].contains("profile default (StsToken)"),
        "{}",
        shown[0]
    );

    let fixed = Credentials::fixed(
        AccessKey::new("LTAI1234567890ab", "SECRET-abc123").with_token("TOKEN-xyz789"),
    );
    let text = format!("{fixed:?} {fixed} {}", fixed.describe());
    assert!(
        !text.contains("SECRET-abc123") && !text.contains("TOKEN-xyz789"),
        "{text}"
    );
    assert!(text.contains("LTAI****90ab"), "{text}");
}

#[test]
fn errors_never_show_secrets() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[r#"{"name":"default","mode":"StsToken","access_key_id":"i","access_key_secret":"SECRET-abc123"}"#.to_string()],
    ));
    let env = [("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-env-456")];
    let err = resolve(&home.opts(&env)).unwrap_err();
    assert!(!err.0.contains("SECRET-env-456"), "{err}");
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("has no sts_token"), "{err}");
    assert!(!err.0.contains("SECRET-abc123"), "{err}");
}
