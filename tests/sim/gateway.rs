//! The simulator's gateway over real HTTP: signatures, timestamps, nonces, the error shape,
//! the Date header, and requests signed by Alibaba's own SDKs.

use crate::support::sim::{demo, params, timestamp, Rpc, Style};
use ecsimg::ecs::model::Image;
use ecsimg::ecs::sign::{self, Params};
use ecsimg::ecs::ECS_API_VERSION;
use ecsimg::sim::{self, SimConfig};
use serde_json::Value;
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

fn regions_of(body: &Value) -> Vec<String> {
    body["Regions"]["Region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["RegionId"].as_str().unwrap().to_string())
        .collect()
}

/// The server's clock per its `Date` header, minus the host's, in seconds.
fn date_skew(date: &str) -> i64 {
    let server = OffsetDateTime::parse(date, &Rfc2822).expect("Date is an IMF-fixdate");
    (server - OffsetDateTime::now_utc()).whole_seconds()
}

#[tokio::test]
async fn get_post_form_and_post_query_are_all_accepted() {
    let (sim, rpc) = demo().await;
    for style in [Style::Get, Style::PostForm, Style::PostQuery] {
        let rpc = rpc.clone().with_style(style);
        let answer = rpc.ecs("DescribeRegions", &[]).await;
        let request_id = answer.header("x-acs-request-id").unwrap().to_string();
        let body = answer.ok();
        assert!(
            regions_of(&body).contains(&"cn-hangzhou".to_string()),
            "{style:?}"
        );
        assert_eq!(body["RequestId"], request_id.as_str());
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn every_response_carries_a_date_header_from_the_server_clock() {
    let (sim, rpc) = demo().await;
    let ok = rpc.ecs("DescribeRegions", &[]).await;
    assert!(date_skew(ok.header("date").unwrap()).abs() < 60);
    let err = rpc.ecs("NoSuchAction", &[]).await;
    assert!(err.header("date").is_some());
    let metadata = reqwest::get(format!(
        "{}latest/meta-data/ram/security-credentials/",
        sim.endpoint()
    ))
    .await
    .unwrap();
    assert!(metadata.headers().get("date").is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_signature_parameters_are_an_incomplete_signature() {
    let (sim, rpc) = demo().await;
    for missing in [
        "Signature",
        "SignatureNonce",
        "AccessKeyId",
        "Timestamp",
        "SignatureMethod",
    ] {
        let mut p = rpc.sign("DescribeRegions", ECS_API_VERSION, &[]);
        p.remove(missing);
        rpc.send(&p).await.expect_error(400, "IncompleteSignature");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_access_key_is_not_found() {
    let (sim, rpc) = demo().await;
    let stranger = rpc.with_key(ecsimg::ecs::credentials::AccessKey::new(
        "LTAI5tNobody",
        "x",
    ));
    stranger
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(404, "InvalidAccessKeyId.NotFound");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_tampered_request_is_refused_with_the_server_string_to_sign() {
    let (sim, rpc) = demo().await;
    let mut p = rpc.sign(
        "DescribeImages",
        ECS_API_VERSION,
        &[("RegionId", "cn-hangzhou"), ("ImageOwnerAlias", "self")],
    );
    p.insert("ImageOwnerAlias".into(), "system".into());
    let answer = rpc.send(&p).await;
    answer.expect_error(400, "SignatureDoesNotMatch");
    let (_, echoed) = answer
        .message()
        .split_once("server string to sign is:")
        .expect("the message ends with the server's string to sign");
    assert_eq!(echoed, sign::string_to_sign("GET", &p));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_and_a_wrong_method_do_not_match() {
    let (sim, rpc) = demo().await;
    let wrong = rpc
        .clone()
        .with_key(ecsimg::ecs::credentials::AccessKey::new(
            sim::DEMO_ACCESS_KEY_ID,
            "not-the-secret",
        ));
    wrong
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "SignatureDoesNotMatch");
    // Signed for GET, sent as POST: the method is part of the string to sign.
    let p = rpc.sign("DescribeRegions", ECS_API_VERSION, &[]);
    rpc.send_as(Style::PostQuery, &p)
        .await
        .expect_error(400, "SignatureDoesNotMatch");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let (sim, rpc) = demo().await;
    let p = rpc.sign("DescribeRegions", ECS_API_VERSION, &[]);
    rpc.send(&p).await.ok();
    rpc.send(&p).await.expect_error(400, "SignatureNonceUsed");
    // A fresh nonce works again.
    rpc.ecs("DescribeRegions", &[]).await.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn replays_are_allowed_when_nonce_checking_is_off() {
    let sim = sim::start(SimConfig::demo().without_nonce_check())
        .await
        .unwrap();
    let rpc = Rpc::new(&sim);
    let p = rpc.sign("DescribeRegions", ECS_API_VERSION, &[]);
    rpc.send(&p).await.ok();
    rpc.send(&p).await.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn skew_beyond_fifteen_minutes_is_expired_and_the_date_header_shows_it() {
    let (sim, rpc) = demo().await;
    sim.set_clock_offset(16 * 60);
    let answer = rpc.ecs("DescribeRegions", &[]).await;
    answer.expect_error(400, "InvalidTimeStamp.Expired");
    let skew = date_skew(answer.header("date").unwrap());
    assert!((16 * 60 - 60..=16 * 60 + 60).contains(&skew), "{skew}");

    sim.set_clock_offset(-16 * 60);
    rpc.ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidTimeStamp.Expired");

    sim.set_clock_offset(14 * 60);
    rpc.ecs("DescribeRegions", &[]).await.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn timestamp_format_and_spelling() {
    let (sim, rpc) = demo().await;
    // The old docs' `TimeStamp` spelling is accepted.
    let mut p = params(&[
        ("Action", "DescribeRegions"),
        ("Version", ECS_API_VERSION),
        ("Format", "JSON"),
        ("AccessKeyId", sim::DEMO_ACCESS_KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &sign::new_nonce()),
        ("TimeStamp", &timestamp(0)),
    ]);
    resign(&mut p, "GET");
    rpc.send(&p).await.ok();

    p.remove("TimeStamp");
    p.insert("Timestamp".into(), "23/02/2016 12:46".into());
    p.insert("SignatureNonce".into(), sign::new_nonce());
    resign(&mut p, "GET");
    rpc.send(&p)
        .await
        .expect_error(400, "InvalidTimeStamp.Format");
    sim.shutdown().await;
}

fn resign(p: &mut Params, method: &str) {
    p.remove("Signature");
    let sig = sign::signature(method, p, sim::DEMO_ACCESS_KEY_SECRET);
    p.insert("Signature".into(), sig);
}

#[tokio::test]
async fn only_hmac_sha1_is_a_signature_method() {
    let (sim, rpc) = demo().await;
    let mut p = rpc.sign("DescribeRegions", ECS_API_VERSION, &[]);
    p.insert("SignatureMethod".into(), "HMAC-SHA256".into());
    resign(&mut p, "GET");
    rpc.send(&p)
        .await
        .expect_error(400, "InvalidSignatureMethod");
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_actions_versions_and_regions() {
    let (sim, rpc) = demo().await;
    rpc.ecs("DeleteEverything", &[])
        .await
        .expect_error(404, "InvalidApi.NotFound");
    let p = rpc.sign("DescribeRegions", "2099-01-01", &[]);
    rpc.send(&p).await.expect_error(400, "InvalidParameter");
    rpc.ecs("DescribeImages", &[])
        .await
        .expect_error(400, "MissingParameter");
    let answer = rpc.ecs("DescribeImages", &[]).await;
    assert!(answer.message().contains("\"RegionId\""), "{}", answer.text);
    rpc.ecs("DescribeImages", &[("RegionId", "mars-north-1")])
        .await
        .expect_error(404, "InvalidRegionId.NotFound");
    sim.shutdown().await;
}

#[tokio::test]
async fn sdk_signed_requests_are_accepted() {
    let vectors: Vec<Value> =
        serde_json::from_str(include_str!("../fixtures/sign_vectors.json")).unwrap();
    let mut replayed = 0;
    for v in &vectors {
        let Some(wire) = v["wire_query"].as_str() else {
            continue;
        };
        let name = v["name"].as_str().unwrap();
        let p = &v["params"];
        let ts = p["Timestamp"].as_str().or(p["TimeStamp"].as_str()).unwrap();
        let sent =
            OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339).unwrap();
        let offset = (sent - OffsetDateTime::now_utc()).whole_seconds();
        let id = v["access_key_id"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let mut config = SimConfig::empty().with_clock_offset(offset);
        // The image the vector modifies exists, so the request reaches validation.
        if let Some(image_id) = p["ImageId"].as_str() {
            let image = Image {
                image_id: image_id.to_string(),
                image_name: "before".into(),
                image_owner_alias: "self".into(),
                ..Image::default()
            };
            config = config.with_images("cn-hangzhou", vec![image]);
        }
        config = match p["SecurityToken"].as_str() {
            Some(token) => {
                let mut key = ecsimg::ecs::credentials::AccessKey::new(id, secret);
                key.security_token = Some(ecsimg::ecs::credentials::Secret::new(token));
                config.with_sts_key(key, std::time::Duration::from_secs(3600))
            }
            None => config.with_access_key(id, secret),
        };
        let sim = sim::start(config).await.unwrap();
        let answer = Rpc::new(&sim)
            .send_raw(v["method"].as_str().unwrap(), wire)
            .await;
        let code = answer.code();
        let auth_codes = [
            "IncompleteSignature",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
            "InvalidTimeStamp.Expired",
            "InvalidTimeStamp.Format",
            "SignatureNonceUsed",
            "InvalidSignatureMethod",
        ];
        assert!(
            !auth_codes.contains(&code) && !code.starts_with("InvalidSecurityToken"),
            "{name}: {}",
            answer.text
        );
        assert!(
            answer.status == 200 || code.contains("Malformed") || code.contains("NotSupport"),
            "{name}: {}",
            answer.text
        );
        replayed += 1;
        sim.shutdown().await;
    }
    assert!(replayed >= 20, "{replayed} vectors replayed");
}
