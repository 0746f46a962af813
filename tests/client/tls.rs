//! TLS as operators meet it: an endpoint whose certificate comes from a private CA (a
//! TLS-inspecting proxy) is refused in plain words and not retried, and trusted once its CA
//! is given; an expired certificate or one for another name says so.

use std::time::Duration;

use ecsimg::ecs::client::{CaBundle, ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::error::ErrorKind;
use ecsimg::sim::{self, SimConfig};

use crate::support::tls::{backend_of, Front, Leaf};

fn client(endpoint: String, ca: Option<CaBundle>) -> EcsClient {
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(endpoint));
    config.retry_base = Duration::from_millis(1);
    config.ca_bundle = ca;
    EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap()
}

#[tokio::test]
async fn a_private_ca_is_refused_in_plain_words_not_retried_and_nothing_reaches_ecs() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let front = Front::start(backend_of(&sim.endpoint()), Leaf::Good).await;
    let err = client(front.endpoint(), None)
        .describe_regions()
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transport);
    assert_eq!(err.code, "TlsCertificate.UnknownIssuer", "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains(
            "the endpoint's certificate is not trusted (unknown issuer): if a proxy inspects \
             TLS here, pass its CA with --ca-bundle"
        ),
        "{shown}"
    );
    assert!(!shown.contains("no answer from the endpoint"), "{shown}");
    assert!(!err.is_retryable() && !err.ambiguous, "{err:?}");
    assert_eq!(sim.faults().calls(), 0, "nothing passed the handshake");
}

#[tokio::test]
async fn the_same_endpoint_is_trusted_once_its_ca_is_given() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let front = Front::start(backend_of(&sim.endpoint()), Leaf::Good).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = CaBundle::load(&front.write_ca(dir.path(), "proxy-ca.pem")).unwrap();
    assert_eq!(ca.len(), 1);
    for endpoint in [front.endpoint(), front.endpoint_by_name()] {
        let regions = client(endpoint.clone(), Some(ca.clone()))
            .describe_regions()
            .await
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        assert!(regions.iter().any(|r| r.region_id == "cn-hangzhou"));
    }
}

#[tokio::test]
async fn an_expired_certificate_or_one_for_another_name_says_which() {
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (leaf, code, words) in [
        (
            Leaf::Expired,
            "TlsCertificate.Expired",
            "the endpoint's certificate has expired",
        ),
        (
            Leaf::OtherName,
            "TlsCertificate.NotValidForName",
            "the endpoint's certificate is for another host name",
        ),
    ] {
        let front = Front::start(backend_of(&sim.endpoint()), leaf).await;
        let ca = CaBundle::load(&front.write_ca(dir.path(), "ca.pem")).unwrap();
        let err = client(front.endpoint(), Some(ca))
            .describe_regions()
            .await
            .unwrap_err();
        assert_eq!(err.code, code, "{leaf:?}: {err}");
        assert!(err.to_string().contains(words), "{leaf:?}: {err}");
    }
}

#[test]
fn a_file_that_is_not_a_ca_bundle_says_what_is_wrong_and_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let cases: [(std::path::PathBuf, &str); 4] = [
        (write("empty.pem", b""), "holds no certificate"),
        (
            write(
                "key.pem",
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            ),
            "holds no certificate",
        ),
        (
            write("ca.der", &[0x30, 0x82, 0xff, 0xfe, 0x00]),
            "openssl x509 -inform der",
        ),
        (dir.path().join("missing.pem"), "does not exist"),
    ];
    for (path, words) in cases {
        let err = CaBundle::load(&path).unwrap_err();
        assert!(err.contains(words), "{}: {err}", path.display());
    }
}

#[tokio::test]
async fn sts_behind_the_same_proxy_is_refused_in_the_same_words_and_trusted_with_the_same_ca() {
    use ecsimg::ecs::credentials::{self, EnvSnapshot, ResolveOptions};
    let sim = sim::start(SimConfig::demo()).await.unwrap();
    let front = Front::start(backend_of(&sim.endpoint()), Leaf::Good).await;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".aliyun");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.json"),
        format!(
            r#"{{"current":"p","profiles":[{{"name":"p","mode":"RamRoleArn","access_key_id":"{}","access_key_secret":"{}","ram_role_arn":"acs:ram::1234567890123456:role/image-admin","ram_session_name":"ecsimg-test","region_id":"cn-hangzhou","sts_endpoint":"{}"}}]}}"#,
            sim::DEMO_ACCESS_KEY_ID,
            sim::DEMO_ACCESS_KEY_SECRET,
            front.endpoint()
        ),
    )
    .unwrap();
    let key = |ca: Option<CaBundle>| {
        let mut options = ResolveOptions::with_env(EnvSnapshot::empty());
        options.home = Some(home.path().to_path_buf());
        options.ca_bundle = ca;
        let resolved = credentials::resolve(&options).unwrap();
        async move { resolved.credentials.access_key().await }
    };
    let err = key(None).await.unwrap_err();
    assert!(
        err.0
            .contains("the endpoint's certificate is not trusted (unknown issuer)")
            && err.0.contains("--ca-bundle"),
        "{err}"
    );
    assert_eq!(sim.action_count("AssumeRole"), 0);
    let ca = CaBundle::load(&front.write_ca(home.path(), "ca.pem")).unwrap();
    let got = key(Some(ca)).await.unwrap();
    assert!(got.id.starts_with("STS."), "{}", got.id);
    assert_eq!(sim.action_count("AssumeRole"), 1);
}
