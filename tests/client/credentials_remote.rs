//! EcsRamRole and RamRoleArn over real HTTP on 127.0.0.1: the metadata service with and
//! without IMDSv2, STS AssumeRole with a checked signature, caching and refresh.

use crate::support::credentials::{ak_profile, config, Behaviour, FakeCloud, Home, IMDS_TOKEN};
use ecsimg::ecs::credentials::{resolve, ResolveOptions};
use ecsimg::ecs::sign::{signature, signatures_equal};

const CREDS: &str = "/latest/meta-data/ram/security-credentials/";

fn ecs_profile(role: Option<&str>) -> String {
    match role {
        Some(role) => {
            format!(r#"{{"name":"default","mode":"EcsRamRole","ram_role_name":"{role}"}}"#)
        }
        None => r#"{"name":"default","mode":"EcsRamRole"}"#.to_string(),
    }
}

fn arn_profile(name: &str, id: &str, secret: &str) -> String {
    format!(
        r#"{{"name":"{name}","mode":"RamRoleArn","access_key_id":"{id}","access_key_secret":"{secret}",
            "ram_role_arn":"acs:ram::1234:role/ops","ram_session_name":"ecsimg-test","expired_seconds":1800}}"#
    )
}

fn with_metadata(home: &Home, cloud: &FakeCloud) -> ResolveOptions {
    let mut opts = home.opts(&[]);
    opts.metadata_base = Some(cloud.url.clone());
    opts
}

fn with_sts(home: &Home, cloud: &FakeCloud) -> ResolveOptions {
    let mut opts = home.opts(&[]);
    opts.sts_endpoint = Some(cloud.url.clone());
    opts
}

fn sts_accepting(id: &str, secret: &str) -> Behaviour {
    let mut b = Behaviour::default();
    b.sts_keys.insert(id.to_string(), secret.to_string());
    b
}

#[tokio::test]
async fn ecs_ram_role_with_imds_v2_discovers_the_role() {
    let cloud = FakeCloud::start(Behaviour::default()).await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(None)]));
    let resolved = resolve(&with_metadata(&home, &cloud)).unwrap();
    assert!(
        cloud.seen().is_empty(),
        "resolve must not touch the network"
    );

    let key = resolved.credentials.access_key().await.unwrap();
    assert_eq!(key.id, "STS.meta-1");
    assert_eq!(key.secret.expose(), "meta-secret-1");
    assert_eq!(key.security_token.unwrap().expose(), "meta-token-1");

    let puts = cloud.seen_at("PUT", "/latest/api/token");
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0]
            .headers
            .get("x-aliyun-ecs-metadata-token-ttl-seconds")
            .map(String::as_str),
        Some("21600")
    );
    for path in [CREDS.to_string(), format!("{CREDS}web-role")] {
        let gets = cloud.seen_at("GET", &path);
        assert_eq!(gets.len(), 1, "{path}");
        assert_eq!(
            gets[0]
                .headers
                .get("x-aliyun-ecs-metadata-token")
                .map(String::as_str),
            Some(IMDS_TOKEN)
        );
    }
}

#[tokio::test]
async fn ecs_ram_role_falls_back_to_imds_v1_when_no_token_is_given() {
    let cloud = FakeCloud::start(Behaviour {
        imds_v2: false,
        ..Behaviour::default()
    })
    .await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let resolved = resolve(&with_metadata(&home, &cloud)).unwrap();
    let key = resolved.credentials.access_key().await.unwrap();
    assert_eq!(key.id, "STS.meta-1");
    assert_eq!(cloud.seen_at("PUT", "/latest/api/token").len(), 1);
    assert!(
        cloud.seen_at("GET", CREDS).is_empty(),
        "a named role needs no discovery"
    );
    let gets = cloud.seen_at("GET", &format!("{CREDS}web-role"));
    assert_eq!(gets.len(), 1);
    assert!(!gets[0].headers.contains_key("x-aliyun-ecs-metadata-token"));
}

#[tokio::test]
async fn imds_v1_disabled_refuses_the_token_less_fallback() {
    let cloud = FakeCloud::start(Behaviour {
        imds_v2: false,
        ..Behaviour::default()
    })
    .await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let mut opts = home.opts(&[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]);
    opts.metadata_base = Some(cloud.url.clone());
    let err = resolve(&opts)
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("no IMDSv2 token"), "{err}");
    assert!(cloud.seen_at("GET", &format!("{CREDS}web-role")).is_empty());
}

#[tokio::test]
async fn metadata_endpoint_variable_is_honoured() {
    let cloud = FakeCloud::start(Behaviour::default()).await;
    let home = Home::new();
    let opts = home.opts(&[
        ("ALIBABA_CLOUD_ECS_METADATA", "web-role"),
        ("ECSIMG_ECS_METADATA_ENDPOINT", &format!("{}/", cloud.url)),
    ]);
    let key = resolve(&opts)
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap();
    assert_eq!(key.id, "STS.meta-1");
}

#[tokio::test]
async fn ecs_ram_role_is_cached_across_calls_and_clones() {
    let cloud = FakeCloud::start(Behaviour::default()).await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let credentials = resolve(&with_metadata(&home, &cloud)).unwrap().credentials;
    let clone = credentials.clone();
    let first = credentials.access_key().await.unwrap();
    let second = clone.access_key().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(cloud.seen_at("GET", &format!("{CREDS}web-role")).len(), 1);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_fetch() {
    let cloud = FakeCloud::start(Behaviour::default()).await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let credentials = resolve(&with_metadata(&home, &cloud)).unwrap().credentials;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = credentials.clone();
            tokio::spawn(async move { c.access_key().await.unwrap().id })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "STS.meta-1");
    }
    assert_eq!(cloud.seen_at("GET", &format!("{CREDS}web-role")).len(), 1);
}

#[tokio::test]
async fn ecs_ram_role_refreshes_a_key_inside_the_refresh_margin() {
    // 60 s left is inside the 3-minute margin: the next call fetches again.
    let cloud = FakeCloud::start(Behaviour {
        expires_in: 60,
        ..Behaviour::default()
    })
    .await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let credentials = resolve(&with_metadata(&home, &cloud)).unwrap().credentials;
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.meta-1");
    cloud.set(|b| b.expires_in = 3600);
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.meta-2");
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.meta-2");
    assert_eq!(cloud.seen_at("GET", &format!("{CREDS}web-role")).len(), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_key_that_still_works() {
    let cloud = FakeCloud::start(Behaviour {
        expires_in: 60,
        ..Behaviour::default()
    })
    .await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let credentials = resolve(&with_metadata(&home, &cloud)).unwrap().credentials;
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.meta-1");
    cloud.set(|b| b.role = "another-role".into());
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.meta-1");
    assert_eq!(cloud.seen_at("GET", &format!("{CREDS}web-role")).len(), 2);
}

#[tokio::test]
async fn metadata_errors_say_what_went_wrong() {
    let cloud = FakeCloud::start(Behaviour {
        metadata_code: "Failure".into(),
        ..Behaviour::default()
    })
    .await;
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(Some("web-role"))]));
    let err = resolve(&with_metadata(&home, &cloud))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("Code \"Failure\""), "{err}");
    assert!(err.0.contains(&cloud.url), "{err}");
    assert!(!err.0.contains("meta-secret"), "{err}");

    home.config_json(&config("", &[ecs_profile(Some("wrong-role"))]));
    let err = resolve(&with_metadata(&home, &cloud))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("404"), "{err}");
    assert!(err.0.contains("role name"), "{err}");
}

#[tokio::test]
async fn no_metadata_service_fails_fast_with_a_hint() {
    // A port that was just free: nothing listens, the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = Home::new();
    home.config_json(&config("", &[ecs_profile(None)]));
    let mut opts = home.opts(&[]);
    opts.metadata_base = Some(format!("http://127.0.0.1:{port}"));
    let err = resolve(&opts)
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("instance metadata service"), "{err}");
    assert!(err.0.contains("nothing answered"), "{err}");
    assert!(err.0.contains("ECS instance with a RAM role"), "{err}");
}

#[tokio::test]
async fn ram_role_arn_sends_a_signed_assume_role() {
    let cloud = FakeCloud::start(sts_accepting("LTAIsource0001", "source-secret")).await;
    let home = Home::new();
    home.config_json(&config(
        "",
        &[arn_profile("default", "LTAIsource0001", "source-secret")],
    ));
    let resolved = resolve(&with_sts(&home, &cloud)).unwrap();
    assert!(
        cloud.seen().is_empty(),
        "resolve must not touch the network"
    );
    let key = resolved.credentials.access_key().await.unwrap();
    assert_eq!(key.id, "STS.arn-1");
    assert_eq!(key.secret.expose(), "arn-secret-1");
    assert_eq!(key.security_token.unwrap().expose(), "arn-token-1");

    let seen = cloud.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    let params = request.params();
    for (name, value) in [
        ("Action", "AssumeRole"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
        ("AccessKeyId", "LTAIsource0001"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("RoleArn", "acs:ram::1234:role/ops"),
        ("RoleSessionName", "ecsimg-test"),
        ("DurationSeconds", "1800"),
    ] {
        assert_eq!(params.get(name).map(String::as_str), Some(value), "{name}");
    }
    assert!(!params.contains_key("SecurityToken"));
    assert!(params["SignatureNonce"].len() >= 16);
    assert!(request.form.contains_key("RoleArn") && request.query.contains_key("Signature"));
    let mut unsigned = params.clone();
    let sig = unsigned.remove("Signature").unwrap();
    assert!(signatures_equal(
        &sig,
        &signature("POST", &unsigned, "source-secret")
    ));
}

#[tokio::test]
async fn ram_role_arn_is_cached_then_refreshed_inside_the_margin() {
    let cloud = FakeCloud::start(sts_accepting("src", "src-secret")).await;
    let home = Home::new();
    home.config_json(&config("", &[arn_profile("default", "src", "src-secret")]));
    let credentials = resolve(&with_sts(&home, &cloud)).unwrap().credentials;
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.arn-1");
    assert_eq!(credentials.access_key().await.unwrap().id, "STS.arn-1");
    assert_eq!(cloud.seen().len(), 1);

    cloud.set(|b| b.expires_in = 100);
    let short_lived = resolve(&with_sts(&home, &cloud)).unwrap().credentials;
    assert_eq!(short_lived.access_key().await.unwrap().id, "STS.arn-2");
    assert_eq!(short_lived.access_key().await.unwrap().id, "STS.arn-3");
    assert_eq!(cloud.seen().len(), 3);
    let nonces: Vec<String> = cloud
        .seen()
        .iter()
        .map(|s| s.params()["SignatureNonce"].clone())
        .collect();
    assert!(
        nonces[1] != nonces[2],
        "each AssumeRole needs a fresh nonce"
    );
}

#[tokio::test]
async fn sts_endpoint_from_profile_and_environment() {
    let cloud = FakeCloud::start(sts_accepting("src", "src-secret")).await;
    let home = Home::new();
    let with_endpoint = arn_profile("default", "src", "src-secret").replace(
        "\"expired_seconds\":1800",
        &format!(
            "\"expired_seconds\":1800,\"sts_endpoint\":\"{}\"",
            cloud.url
        ),
    );
    home.config_json(&config("", &[with_endpoint]));
    let key = resolve(&home.opts(&[]))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap();
    assert_eq!(key.id, "STS.arn-1");

    home.config_json(&config("", &[arn_profile("default", "src", "src-secret")]));
    let opts = home.opts(&[("ALIBABA_CLOUD_STS_ENDPOINT", &cloud.url)]);
    let key = resolve(&opts)
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap();
    assert_eq!(key.id, "STS.arn-2");
}

#[tokio::test]
async fn sts_errors_carry_the_code_request_id_and_a_hint() {
    let mut behaviour = sts_accepting("src", "src-secret");
    behaviour.sts_error = Some((403, "NoPermission".into()));
    let cloud = FakeCloud::start(behaviour).await;
    let home = Home::new();
    home.config_json(&config("", &[arn_profile("default", "src", "src-secret")]));
    let err = resolve(&with_sts(&home, &cloud))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("acs:ram::1234:role/ops"), "{err}");
    assert!(err.0.contains("NoPermission"), "{err}");
    assert!(err.0.contains("REQ-1"), "{err}");
    assert!(err.0.contains("trust policy"), "{err}");
    assert!(!err.0.contains("src-secret"), "{err}");

    home.config_json(&config(
        "",
        &[arn_profile("default", "src", "wrong-secret")],
    ));
    let err = resolve(&with_sts(&home, &cloud))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap_err();
    assert!(err.0.contains("SignatureDoesNotMatch"), "{err}");
    assert!(err.0.contains("access_key_secret"), "{err}");
    assert!(!err.0.contains("wrong-secret"), "{err}");
}

#[tokio::test]
async fn chainable_role_signs_with_the_source_profiles_sts_token() {
    let cloud = FakeCloud::start(sts_accepting("STS.base", "base-secret")).await;
    let home = Home::new();
    home.config_json(&config(
        "chain",
        &[
            r#"{"name":"chain","mode":"ChainableRamRoleArn","ram_role_arn":"acs:ram::1234:role/ops","source_profile":"base"}"#
                .to_string(),
            r#"{"name":"base","mode":"StsToken","access_key_id":"STS.base","access_key_secret":"base-secret","sts_token":"base-token"}"#
                .to_string(),
            ak_profile("default", "unused", "unused"),
        ],
    ));
    let resolved = resolve(&with_sts(&home, &cloud)).unwrap();
    assert_eq!(resolved.profile_name, "chain");
    assert_eq!(
        resolved.credentials.access_key().await.unwrap().id,
        "STS.arn-1"
    );
    let params = cloud.seen()[0].params();
    assert_eq!(params["AccessKeyId"], "STS.base");
    assert_eq!(params["SecurityToken"], "base-token");
    assert!(
        params["RoleSessionName"].starts_with("ecsimg-"),
        "{}",
        params["RoleSessionName"]
    );
    assert_eq!(params["DurationSeconds"], "3600");
}

#[tokio::test]
async fn ini_ram_role_arn_over_http() {
    let cloud = FakeCloud::start(sts_accepting("foo", "bar")).await;
    let home = Home::new();
    home.credentials_ini(
        "[default]\ntype = ram_role_arn\naccess_key_id = foo\naccess_key_secret = bar\n\
         role_arn = acs:ram::1:role/x\nrole_session_name = session_name\npolicy = {\"Version\":\"1\"}\n",
    );
    let key = resolve(&with_sts(&home, &cloud))
        .unwrap()
        .credentials
        .access_key()
        .await
        .unwrap();
    assert_eq!(key.id, "STS.arn-1");
    let params = cloud.seen()[0].params();
    assert_eq!(params["RoleSessionName"], "session_name");
    assert_eq!(params["Policy"], "{\"Version\":\"1\"}");
}
