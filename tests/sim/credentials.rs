//! Temporary credentials end to end: STS AssumeRole, the instance metadata service, and
//! what the gateway says about missing, foreign and expired security tokens.

use std::time::Duration;

use crate::support::sim::{demo, Rpc};
use ecsimg::ecs::credentials::{AccessKey, Secret};
use ecsimg::sim::{self, SimConfig, SimHandle, METADATA_TOKEN_HEADER, METADATA_TOKEN_TTL_HEADER};
use serde_json::Value;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

const ROLE_ARN: &str = "acs:ram::1234567890123456:role/ecsimg-operator";

fn key_from(credentials: &Value) -> AccessKey {
    let mut key = AccessKey::new(
        credentials["AccessKeyId"].as_str().unwrap(),
        credentials["AccessKeySecret"].as_str().unwrap(),
    );
    key.security_token = Some(Secret::new(credentials["SecurityToken"].as_str().unwrap()));
    key
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn metadata_get(sim: &SimHandle, path: &str, token: Option<&str>) -> (u16, String) {
    let mut request = http().get(format!("{}latest/meta-data/{path}", sim.endpoint()));
    if let Some(token) = token {
        request = request.header(METADATA_TOKEN_HEADER, token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn assume_role_mints_keys_that_work_for_ecs() {
    let (sim, rpc) = demo().await;
    let answer = rpc
        .sts(
            "AssumeRole",
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "ecsimg-test"),
                ("DurationSeconds", "900"),
            ],
        )
        .await;
    let date = OffsetDateTime::parse(answer.header("date").unwrap(), &Rfc2822).unwrap();
    let body = answer.ok();
    assert!(body["RequestId"].is_string());
    assert_eq!(
        body["AssumedRoleUser"]["Arn"],
        "acs:ram::1234567890123456:role/ecsimg-operator/ecsimg-test"
    );
    assert!(body["AssumedRoleUser"]["AssumedRoleId"]
        .as_str()
        .unwrap()
        .ends_with(":ecsimg-test"));
    let credentials = &body["Credentials"];
    assert!(credentials["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("STS."));
    let expiration = credentials["Expiration"].as_str().unwrap();
    assert_eq!(
        expiration.len(),
        "2025-01-01T00:00:00Z".len(),
        "{expiration}"
    );
    let lifetime = (OffsetDateTime::parse(expiration, &Rfc3339).unwrap() - date).whole_seconds();
    assert!((840..=960).contains(&lifetime), "{lifetime}");

    let temporary = rpc.clone().with_key(key_from(credentials));
    let regions = temporary.ecs("DescribeRegions", &[]).await.ok();
    assert!(regions["Regions"]["Region"].as_array().unwrap().len() > 1);
    temporary
        .ecs(
            "ModifyImageAttribute",
            &[
                ("RegionId", "cn-hangzhou"),
                ("ImageId", "m-bp1goldenbase0000001"),
                ("Description", "via STS"),
            ],
        )
        .await
        .ok();
    assert_eq!(
        sim.image("cn-hangzhou", "m-bp1goldenbase0000001")
            .unwrap()
            .description,
        "via STS"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn assume_role_checks_its_parameters() {
    let (sim, rpc) = demo().await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("RoleSessionName", "s1")], "MissingParameter"),
        (&[("RoleArn", ROLE_ARN)], "MissingParameter"),
        (
            &[
                ("RoleArn", "arn:aws:iam::1:role/x"),
                ("RoleSessionName", "s1"),
            ],
            "InvalidParameter.RoleArn",
        ),
        (
            &[("RoleArn", ROLE_ARN), ("RoleSessionName", "bad name!")],
            "InvalidParameter.RoleSessionName",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", "899"),
            ],
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("DurationSeconds", "43201"),
            ],
            "InvalidParameter.DurationSeconds",
        ),
        (
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("Policy", "{not json"),
            ],
            "InvalidParameter.PolicyGrammar",
        ),
    ];
    for (params, code) in cases {
        let answer = rpc.sts("AssumeRole", params).await;
        answer.expect_error(400, code);
        assert_eq!(answer.body["HostId"], "sts.aliyuncs.com");
        assert!(answer.body["Recommend"]
            .as_str()
            .unwrap()
            .contains("product=Sts"));
    }
    let with_policy = rpc
        .sts(
            "AssumeRole",
            &[
                ("RoleArn", ROLE_ARN),
                ("RoleSessionName", "s1"),
                ("Policy", r#"{"Version":"1","Statement":[]}"#),
                ("ExternalId", "abc"),
            ],
        )
        .await;
    with_policy.ok();
    sim.shutdown().await;
}

#[tokio::test]
async fn sts_keys_need_their_own_unexpired_token() {
    let (sim, rpc) = demo().await;
    let key = sim.issue_sts(Duration::from_secs(3600));
    let other = sim.issue_sts(Duration::from_secs(3600));

    rpc.clone()
        .with_key(key.clone())
        .ecs("DescribeRegions", &[])
        .await
        .ok();

    let mut no_token = key.clone();
    no_token.security_token = None;
    rpc.clone()
        .with_key(no_token)
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.Malformed");

    let mut garbage = key.clone();
    garbage.security_token = Some(Secret::new("not-a-token"));
    rpc.clone()
        .with_key(garbage)
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.Malformed");

    let mut foreign = key.clone();
    foreign.security_token = other.security_token.clone();
    rpc.clone()
        .with_key(foreign)
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.MismatchWithAccessKey");

    let expired = sim.issue_sts(Duration::ZERO);
    rpc.clone()
        .with_key(expired)
        .ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.Expired");

    // A key that expires while in use: the server clock moves past its expiry.
    let short = sim.issue_sts(Duration::from_secs(120));
    let user = rpc.clone().with_key(short);
    user.ecs("DescribeRegions", &[]).await.ok();
    sim.set_clock_offset(180);
    user.ecs("DescribeRegions", &[])
        .await
        .expect_error(400, "InvalidSecurityToken.Expired");
    sim.shutdown().await;
}

#[tokio::test]
async fn metadata_hands_out_role_credentials_that_work() {
    let (sim, rpc) = demo().await;
    let (status, role) = metadata_get(&sim, "ram/security-credentials/", None).await;
    assert_eq!((status, role.as_str()), (200, sim::DEMO_ROLE_NAME));

    let (status, text) =
        metadata_get(&sim, &format!("ram/security-credentials/{role}"), None).await;
    assert_eq!(status, 200, "{text}");
    let credentials: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(credentials["Code"], "Success");
    for field in [
        "AccessKeyId",
        "AccessKeySecret",
        "SecurityToken",
        "Expiration",
        "LastUpdated",
    ] {
        assert!(
            credentials[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field}"
        );
    }
    OffsetDateTime::parse(credentials["Expiration"].as_str().unwrap(), &Rfc3339).unwrap();

    let key = key_from(&credentials);
    rpc.clone()
        .with_key(key.clone())
        .ecs("DescribeRegions", &[])
        .await
        .ok();
    // The same credentials are served again until they near expiry.
    let (_, again) = metadata_get(&sim, &format!("ram/security-credentials/{role}"), None).await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["AccessKeyId"], credentials["AccessKeyId"]);

    let (status, _) = metadata_get(&sim, "ram/security-credentials/SomeOtherRole", None).await;
    assert_eq!(status, 404);
    let (status, region) = metadata_get(&sim, "region-id", None).await;
    assert_eq!((status, region.as_str()), (200, "cn-hangzhou"));
    sim.shutdown().await;
}

#[tokio::test]
async fn metadata_tokens_are_checked_and_can_be_required() {
    let sim = sim::start(SimConfig::demo().with_metadata_token_required(true))
        .await
        .unwrap();
    let (status, _) = metadata_get(&sim, "ram/security-credentials/", None).await;
    assert_eq!(status, 401, "a token is required");

    let no_ttl = http()
        .put(format!("{}latest/api/token", sim.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(no_ttl.status().as_u16(), 400);

    let response = http()
        .put(format!("{}latest/api/token", sim.endpoint()))
        .header(METADATA_TOKEN_TTL_HEADER, "21600")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let token = response.text().await.unwrap();
    assert!(!token.is_empty());

    let (status, role) = metadata_get(&sim, "ram/security-credentials/", Some(&token)).await;
    assert_eq!((status, role.as_str()), (200, sim::DEMO_ROLE_NAME));
    let (status, text) = metadata_get(
        &sim,
        &format!("ram/security-credentials/{role}"),
        Some(&token),
    )
    .await;
    assert_eq!(status, 200);
    let key = key_from(&serde_json::from_str(&text).unwrap());
    Rpc::new(&sim)
        .with_key(key)
        .ecs("DescribeRegions", &[])
        .await
        .ok();

    let (status, _) = metadata_get(&sim, "ram/security-credentials/", Some("forged")).await;
    assert_eq!(status, 401);
    sim.shutdown().await;
}
