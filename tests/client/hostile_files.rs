//! Hostile credential files, generated (proptest): whatever `~/.alibabacloud/credentials`
//! (INI) or `~/.aliyun/config.json` holds — random text, lines that almost parse, any
//! Unicode, controls, huge values — resolving the credential chain never panics, and a
//! file it cannot use is named in the error with what to fix. The secret of a profile that
//! does parse never shows in an error.

use ecsimg::ecs::credentials::resolve;
use proptest::prelude::*;

use crate::support::credentials::Home;
use crate::support::props;

/// Lines of an INI file: sections, keys the SDKs know, comments, junk.
fn ini_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\[[a-z\u{4e00}-\u{4e10}\\] ;#]{0,12}\\]?".prop_map(|s| s),
        (
            prop::sample::select(vec![
                "type",
                "access_key_id",
                "access_key_secret",
                "role_arn",
                "role_session_name",
                "security_token",
                "policy",
                "region_id",
                "enable",
                "x"
            ]),
            prop::sample::select(vec![" = ", "=", " : ", " ", "=="]),
            any::<String>()
        )
            .prop_map(|(k, sep, v)| format!("{k}{sep}{v}")),
        "[#;].*".prop_map(|s| s),
        any::<String>(),
        Just("\u{feff}[default]".to_string()),
        Just("type = access_key # inline".to_string()),
    ]
}

fn ini_text() -> impl Strategy<Value = String> {
    prop::collection::vec(ini_line(), 0..16).prop_map(|lines| lines.join("\n"))
}

/// JSON near the aliyun CLI's shape, and junk.
fn config_json() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        any::<String>().prop_map(serde_json::Value::String),
        any::<i64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        prop::collection::vec(any::<String>(), 0..3).prop_map(|v| serde_json::json!(v)),
    ];
    let profile = prop::collection::btree_map(
        prop::sample::select(vec![
            "name",
            "mode",
            "access_key_id",
            "access_key_secret",
            "sts_token",
            "ram_role_arn",
            "ram_session_name",
            "region_id",
            "source_profile",
            "ram_role_name",
            "output_format",
        ])
        .prop_map(str::to_string),
        value.clone(),
        0..8,
    )
    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()));
    prop_oneof![
        (value, prop::collection::vec(profile, 0..4)).prop_map(|(current, profiles)| {
            serde_json::json!({"current": current, "profiles": profiles}).to_string()
        }),
        any::<String>(),
        Just("{\"profiles\": [".repeat(2000)),
    ]
}

#[test]
fn any_credentials_ini_resolves_or_names_the_file() {
    proptest!(props::config(64), |(text in ini_text(), secret in "[A-Za-z0-9]{20,30}")| {
        let home = Home::new();
        home.credentials_ini(&text);
        let mut opts = home.opts(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")]);
        opts.profile = None;
        if let Err(e) = resolve(&opts) {
            prop_assert!(!e.0.is_empty());
            prop_assert!(!e.0.contains(&secret));
        }
        // A file that parses keeps its secret out of every error too.
        home.credentials_ini(&format!(
            "{text}\n[zz]\ntype = access_key\naccess_key_id = LTAI5tX\naccess_key_secret = {secret}\n"
        ));
        let mut opts = home.opts(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")]);
        opts.profile = Some("zz".into());
        if let Err(e) = resolve(&opts) {
            prop_assert!(e.0.contains("credentials"), "{}", e.0);
            prop_assert!(!e.0.contains(&secret), "{}", e.0);
        }
    });
}

#[test]
fn any_aliyun_config_json_resolves_or_names_the_file() {
    proptest!(props::config(64), |(text in config_json())| {
        let home = Home::new();
        home.config_json(&text);
        let opts = home.opts(&[]);
        if let Err(e) = resolve(&opts) {
            prop_assert!(!e.0.is_empty());
        }
        let mut opts = home.opts(&[]);
        opts.profile = Some("default".into());
        if let Err(e) = resolve(&opts) {
            prop_assert!(e.0.contains("config.json") || e.0.contains("profile"), "{}", e.0);
        }
    });
}
