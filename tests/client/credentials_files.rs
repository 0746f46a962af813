//! What each credential file may say: every aliyun CLI mode, every INI type, the modes
//! ecsimg refuses, malformed files, loose permissions.

use crate::support::credentials::{ak_profile, config, set_mode, Home};
use ecsimg::ecs::credentials::{resolve, AccessKey, CredentialError, Resolved};

fn resolve_default(home: &Home, profile: &str) -> Result<Resolved, CredentialError> {
    home.config_json(&config("", &[profile.to_string()]));
    resolve(&home.opts(&[]))
}

fn key_of(resolved: &Resolved) -> AccessKey {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(resolved.credentials.access_key())
        .unwrap()
}

#[test]
fn ak_mode() {
    let home = Home::new();
    let resolved = resolve_default(&home, &ak_profile("default", "ak-id", "ak-secret")).unwrap();
    let key = key_of(&resolved);
    assert_eq!(
        (key.id.as_str(), key.secret.expose()),
        ("ak-id", "ak-secret")
    );
    assert!(key.security_token.is_none());
    assert_eq!(
        resolved.source,
        "profile default (AK) from ~/.aliyun/config.json"
    );
}

#[test]
fn sts_token_mode_matched_case_insensitively() {
    let home = Home::new();
    let resolved = resolve_default(
        &home,
        r#"{"name":"default","mode":"ststoken","access_key_id":"STS.id","access_key_secret":"s","sts_token":"tok"}"#,
    )
    .unwrap();
    let key = key_of(&resolved);
    assert_eq!(key.security_token.unwrap().expose(), "tok");
    assert_eq!(
        resolved.source,
        "profile default (StsToken) from ~/.aliyun/config.json"
    );
}

#[test]
fn ecs_ram_role_mode_resolves_without_network() {
    let home = Home::new();
    let resolved = resolve_default(
        &home,
        r#"{"name":"default","mode":"EcsRamRole","ram_role_name":"web-role"}"#,
    )
    .unwrap();
    assert_eq!(
        resolved.source,
        "profile default (EcsRamRole, role web-role) from ~/.aliyun/config.json"
    );
    let resolved = resolve_default(&home, r#"{"name":"default","mode":"EcsRamRole"}"#).unwrap();
    assert_eq!(
        resolved.source,
        "profile default (EcsRamRole) from ~/.aliyun/config.json"
    );
}

#[test]
fn ram_role_arn_mode_resolves_without_network() {
    let home = Home::new();
    let resolved = resolve_default(
        &home,
        r#"{"name":"default","mode":"RamRoleArn","access_key_id":"src","access_key_secret":"s",
            "ram_role_arn":"acs:ram::123:role/ops","ram_session_name":"me","sts_region":"cn-shanghai",
            "region_id":"cn-shanghai"}"#,
    )
    .unwrap();
    assert_eq!(
        resolved.source,
        "profile default (RamRoleArn, role acs:ram::123:role/ops) from ~/.aliyun/config.json"
    );
    assert_eq!(resolved.region.as_deref(), Some("cn-shanghai"));
}

#[test]
fn ram_role_arn_needs_the_role_and_source_key() {
    let home = Home::new();
    let err = resolve_default(
        &home,
        r#"{"name":"default","mode":"RamRoleArn","access_key_id":"src","access_key_secret":"s"}"#,
    )
    .unwrap_err();
    assert!(err.0.contains("profile default (RamRoleArn)"), "{err}");
    assert!(err.0.contains("has no ram_role_arn"), "{err}");
    assert!(
        err.0
            .contains("aliyun configure --profile default --mode RamRoleArn"),
        "{err}"
    );
}

#[test]
fn ram_role_arn_refuses_plain_http_sts_off_loopback_and_short_sessions() {
    let home = Home::new();
    let err = resolve_default(
        &home,
        r#"{"name":"default","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"s",
            "ram_role_arn":"acs:ram::1:role/r","sts_endpoint":"http://sts.example.com"}"#,
    )
    .unwrap_err();
    assert!(err.0.contains("profile default's sts_endpoint"), "{err}");
    assert!(err.0.contains("https://"), "{err}");
    home.config_json(&config(
        "",
        &[
            r#"{"name":"default","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"s",
               "ram_role_arn":"acs:ram::1:role/r"}"#
                .to_string(),
        ],
    ));
    let err =
        resolve(&home.opts(&[("ALIBABA_CLOUD_STS_ENDPOINT", "http://10.0.0.1/")])).unwrap_err();
    assert!(err.0.contains("ALIBABA_CLOUD_STS_ENDPOINT"), "{err}");
    let err = resolve_default(
        &home,
        r#"{"name":"default","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"s",
            "ram_role_arn":"acs:ram::1:role/r","expired_seconds":300}"#,
    )
    .unwrap_err();
    assert!(err.0.contains("at least 900"), "{err}");
}

#[test]
fn chainable_ram_role_arn_needs_an_existing_source_profile() {
    let home = Home::new();
    home.config_json(&config(
        "",
        &[r#"{"name":"default","mode":"ChainableRamRoleArn","ram_role_arn":"acs:ram::1:role/r","source_profile":"base"}"#
            .to_string()],
    ));
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("source_profile base"), "{err}");
    home.config_json(&config(
        "",
        &[
            r#"{"name":"default","mode":"ChainableRamRoleArn","ram_role_arn":"acs:ram::1:role/r","source_profile":"default"}"#
                .to_string(),
        ],
    ));
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("a loop?"), "{err}");
}

#[test]
fn unsupported_modes_are_named_with_the_supported_ones() {
    for mode in [
        "CloudSSO",
        "OAuth",
        "OIDC",
        "External",
        "CredentialsURI",
        "RsaKeyPair",
        "BearerToken",
        "cloudsso",
    ] {
        let home = Home::new();
        let err = resolve_default(&home, &format!(r#"{{"name":"default","mode":"{mode}"}}"#))
            .unwrap_err();
        let canonical = if mode == "cloudsso" { "CloudSSO" } else { mode };
        assert!(
            err.0.contains(&format!(
                "uses mode {canonical}, which ecsimg does not support"
            )),
            "{err}"
        );
        assert!(
            err.0.contains("profile default in ~/.aliyun/config.json"),
            "{err}"
        );
        assert!(
            err.0
                .contains("Supported modes: AK, StsToken, EcsRamRole, RamRoleArn"),
            "{err}"
        );
        assert!(err.0.contains("--profile"), "{err}");
    }
    let home = Home::new();
    let err = resolve_default(&home, r#"{"name":"default","mode":"Telepathy"}"#).unwrap_err();
    assert!(
        err.0.contains("\"Telepathy\", which ecsimg does not know"),
        "{err}"
    );
    let err = resolve_default(&home, r#"{"name":"default","access_key_id":"x"}"#).unwrap_err();
    assert!(err.0.contains("has no mode"), "{err}");
}

#[test]
fn malformed_json_names_the_file_and_line() {
    let home = Home::new();
    home.config_json("{\n  \"current\": \"default\",\n  \"profiles\": [\n    {\"name\": \"default\" \"mode\": \"AK\"}\n  ]\n}\n");
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(
        err.0.contains("~/.aliyun/config.json is not valid JSON"),
        "{err}"
    );
    assert!(err.0.contains("line 4"), "{err}");
    assert!(err.0.contains("Fix"), "{err}");
}

#[test]
fn wrong_field_types_name_the_profile_and_key() {
    let home = Home::new();
    let err = resolve_default(
        &home,
        r#"{"name":"default","mode":"AK","access_key_id":12345,"access_key_secret":"s"}"#,
    )
    .unwrap_err();
    assert!(err.0.contains("profile default"), "{err}");
    assert!(
        err.0.contains("\"access_key_id\" should be a string"),
        "{err}"
    );
}

#[test]
fn ini_access_key_and_sts() {
    let home = Home::new();
    home.credentials_ini(
        "[default]\nenable = true\ntype = access_key\naccess_key_id = foo\naccess_key_secret = bar\n\n\
         [temp]\ntype = sts\naccess_key_id = STS.x\naccess_key_secret = y\nsecurity_token = z\n",
    );
    let key = key_of(&resolve(&home.opts(&[])).unwrap());
    assert_eq!((key.id.as_str(), key.secret.expose()), ("foo", "bar"));
    let resolved = resolve(&home.opts(&[("ALIBABA_CLOUD_PROFILE", "temp")])).unwrap();
    assert_eq!(key_of(&resolved).security_token.unwrap().expose(), "z");
    assert_eq!(
        resolved.source,
        "profile temp (sts) from ~/.alibabacloud/credentials"
    );
    assert_eq!(resolved.profile_name, "temp");
}

#[test]
fn ini_ecs_ram_role_and_ram_role_arn() {
    let home = Home::new();
    home.credentials_ini(
        "[ecs]\ntype = ecs_ram_role\nrole_name = EcsRamRoleTest\n\n\
         [ram]\ntype = ram_role_arn\naccess_key_id = foo\naccess_key_secret = bar\nrole_arn = acs:ram::1:role/x\nrole_session_name = session_name\n",
    );
    let mut opts = home.opts(&[]);
    opts.profile = Some("ecs".into());
    assert_eq!(
        resolve(&opts).unwrap().source,
        "profile ecs (ecs_ram_role, role EcsRamRoleTest) from ~/.alibabacloud/credentials"
    );
    opts.profile = Some("ram".into());
    assert_eq!(
        resolve(&opts).unwrap().source,
        "profile ram (ram_role_arn, role acs:ram::1:role/x) from ~/.alibabacloud/credentials"
    );
}

#[test]
fn ini_unsupported_and_missing_types() {
    let home = Home::new();
    home.credentials_ini("[default]\ntype = rsa_key_pair\npublic_key_id = x\n\n[b]\ntype = bearer\n\n[c]\naccess_key_id = x\n");
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(
        err.0
            .contains("section [default] of ~/.alibabacloud/credentials has type rsa_key_pair"),
        "{err}"
    );
    assert!(
        err.0
            .contains("Supported types: access_key, sts, ecs_ram_role, ram_role_arn"),
        "{err}"
    );
    let err = resolve(&home.opts(&[("ALIBABA_CLOUD_PROFILE", "b")])).unwrap_err();
    assert!(err.0.contains("has type bearer"), "{err}");
    let err = resolve(&home.opts(&[("ALIBABA_CLOUD_PROFILE", "c")])).unwrap_err();
    assert!(err.0.contains("has no `type`"), "{err}");
}

#[test]
fn ini_missing_key_names_the_section_and_key() {
    let home = Home::new();
    home.credentials_ini("[default]\ntype = access_key\naccess_key_id = foo\n");
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(
        err.0.contains("section [default] (type access_key)"),
        "{err}"
    );
    assert!(err.0.contains("has no access_key_secret"), "{err}");
}

#[test]
fn malformed_ini_names_the_file_and_line() {
    let home = Home::new();
    home.credentials_ini("# mine\n[default]\ntype = access_key\naccess_key_id foo\n");
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(
        err.0.contains("~/.alibabacloud/credentials line 4"),
        "{err}"
    );
    assert!(err.0.contains("Fix that line"), "{err}");
}

#[cfg(unix)]
#[test]
fn loose_permissions_are_warned_about_with_the_fix() {
    let home = Home::new();
    let path = home.config_json(&config("", &[ak_profile("default", "i", "s")]));
    set_mode(&path, 0o644);
    let resolved = resolve(&home.opts(&[])).unwrap();
    assert_eq!(resolved.warnings.len(), 1, "{:?}", resolved.warnings);
    let warning = &resolved.warnings[0];
    assert!(warning.contains("~/.aliyun/config.json"), "{warning}");
    assert!(warning.contains("644"), "{warning}");
    assert!(
        warning.contains("chmod 600 ~/.aliyun/config.json"),
        "{warning}"
    );

    set_mode(&path, 0o640);
    assert_eq!(resolve(&home.opts(&[])).unwrap().warnings.len(), 1);
    set_mode(&path, 0o600);
    assert!(resolve(&home.opts(&[])).unwrap().warnings.is_empty());

    let ini = home.credentials_ini(
        "[default]\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n",
    );
    set_mode(&ini, 0o604);
    let mut opts = home.opts(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")]);
    opts.profile = None;
    let warnings = resolve(&opts).unwrap().warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("chmod 600 ~/.alibabacloud/credentials"),
        "{}",
        warnings[0]
    );
}

#[test]
fn ecs_metadata_variable_names_a_role_and_can_be_disabled() {
    let home = Home::new();
    let resolved = resolve(&home.opts(&[("ALIBABA_CLOUD_ECS_METADATA", "app-role")])).unwrap();
    assert_eq!(resolved.profile_name, "ecs-ram-role");
    assert!(
        resolved.source.contains("role app-role"),
        "{}",
        resolved.source
    );
    home.config_json(&config(
        "",
        &[r#"{"name":"default","mode":"EcsRamRole"}"#.to_string()],
    ));
    let err = resolve(&home.opts(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")])).unwrap_err();
    assert!(
        err.0.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"),
        "{err}"
    );
}

#[test]
fn ini_as_the_official_readers_take_it_bom_comments_and_inline_comments() {
    let home = Home::new();
    home.credentials_ini(
        "\u{feff}; written by hand\n[default] ; the usual one\ntype = access_key # c\n\
         access_key_id = foo ; id\naccess_key_secret = bar\n",
    );
    let key = key_of(&resolve(&home.opts(&[])).unwrap());
    assert_eq!((key.id.as_str(), key.secret.expose()), ("foo", "bar"));
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_in_place_of_a_file_is_a_clear_error_not_a_hang() {
    let home = Home::new();
    let fifo = home.path().join(".aliyun/config.json");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("~/.aliyun/config.json"), "{err}");
    assert!(err.0.contains("FIFO"), "{err}");

    let home = Home::new();
    let ini = home.path().join(".alibabacloud/credentials");
    std::fs::create_dir_all(ini.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &ini).unwrap();
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("a device, not a regular file"), "{err}");
}

#[test]
fn a_file_of_many_megabytes_is_refused_unread() {
    let home = Home::new();
    let path = home.config_json("");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(5 * 1024 * 1024)
        .unwrap();
    let err = resolve(&home.opts(&[])).unwrap_err();
    assert!(err.0.contains("larger than 4 MB"), "{err}");
}
