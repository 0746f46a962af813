//! The client over real HTTP on 127.0.0.1 against a scripted server: signing on the wire,
//! decoding, error kinds, retries, clock skew, paging order.

use std::time::Duration;

use crate::support::scripted::{Received, Reply, ScriptedServer};
use ecsimg::change::ImageChanges;
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint, HttpMethod};
use ecsimg::ecs::credentials::{AccessKey, Credentials, Secret};
use ecsimg::ecs::error::{AuthProblem, ErrorKind};
use ecsimg::ecs::model::{ImageQuery, ImageStatus};
use ecsimg::ecs::sign;

const KEY_ID: &str = "LTAI5tTestKeyId0001";
const SECRET: &str = "test-secret-value-1234";
const TOKEN: &str = "sts-token-value-5678";

fn client(server: &ScriptedServer, method: HttpMethod) -> EcsClient {
    client_with(server, |c| c.method = method)
}

fn client_with(server: &ScriptedServer, tweak: impl FnOnce(&mut ClientConfig)) -> EcsClient {
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(server.endpoint()));
    config.retry_base = Duration::from_millis(1);
    tweak(&mut config);
    let mut key = AccessKey::new(KEY_ID, SECRET);
    key.security_token = Some(Secret::new(TOKEN));
    EcsClient::new(config, Credentials::fixed(key)).unwrap()
}

fn assert_signed(r: &Received) {
    let mut params = r.params.clone();
    let sig = params.remove("Signature").expect("Signature sent");
    assert_eq!(
        sig,
        sign::signature(&r.method, &params, SECRET),
        "signature over what was sent"
    );
    assert_eq!(params["Format"], "JSON");
    assert_eq!(params["SignatureMethod"], "HMAC-SHA1");
    assert_eq!(params["SignatureVersion"], "1.0");
    assert_eq!(params["Version"], "2014-05-26");
    assert_eq!(params["AccessKeyId"], KEY_ID);
    assert_eq!(params["SecurityToken"], TOKEN);
    assert_eq!(params["RegionId"], "cn-hangzhou");
}

const REGIONS: &str = r#"{"RequestId":"R1","Regions":{"Region":[
  {"RegionId":"cn-hangzhou","RegionEndpoint":"ecs.aliyuncs.com","LocalName":"China (Hangzhou)","Status":"available"},
  {"RegionId":"cn-shanghai","RegionEndpoint":"ecs.cn-shanghai.aliyuncs.com","LocalName":"China (Shanghai)","Status":"available"}]}}"#;

#[tokio::test]
async fn get_requests_are_signed_and_decoded() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(REGIONS));
    let regions = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[1].local_name, "China (Shanghai)");
    let r = &server.received()[0];
    assert_eq!(r.method, "GET");
    assert!(r.body.is_empty());
    assert_eq!(r.params["Action"], "DescribeRegions");
    assert_signed(r);
}

#[tokio::test]
async fn post_puts_api_parameters_in_a_signed_form_body() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(r#"{"RequestId":"M1"}"#));
    let changes = ImageChanges {
        image_name: Some("web 镜像*~".into()),
        ..ImageChanges::default()
    };
    let out = client(&server, HttpMethod::Post)
        .modify_image_attribute("m-1", changes.params(), false)
        .await
        .unwrap();
    assert_eq!(out.request_id, "M1");
    let r = &server.received()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        r.body.contains("ImageName=web%20%E9%95%9C%E5%83%8F%2A~"),
        "{}",
        r.body
    );
    assert!(r.query.contains("Signature="), "{}", r.query);
    assert!(
        !r.query.contains("ImageName"),
        "API params stay in the body: {}",
        r.query
    );
    assert_signed(r);
}

#[tokio::test]
async fn modify_sends_only_the_fields_that_change() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(r#"{"RequestId":"M2"}"#));
    let changes = ImageChanges {
        status: Some(ImageStatus::Deprecated),
        imds_support: Some("v2".into()),
        ..ImageChanges::default()
    };
    client(&server, HttpMethod::Get)
        .modify_image_attribute("m-9", changes.params(), false)
        .await
        .unwrap();
    let p = &server.received()[0].params;
    assert_eq!(p["Status"], "Deprecated");
    assert_eq!(p["Features.ImdsSupport"], "v2");
    assert_eq!(p["ImageId"], "m-9");
    for absent in [
        "ImageName",
        "Description",
        "ImageFamily",
        "BootMode",
        "DryRun",
    ] {
        assert!(!p.contains_key(absent), "{absent} sent");
    }
}

#[tokio::test]
async fn dry_run_operation_counts_as_success() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    ));
    let changes = ImageChanges {
        description: Some("hello".into()),
        ..ImageChanges::default()
    };
    let out = client(&server, HttpMethod::Get)
        .modify_image_attribute("m-1", changes.params(), true)
        .await
        .unwrap();
    assert!(out.dry_run);
    assert_eq!(server.received()[0].params["DryRun"], "true");
}

#[tokio::test]
async fn every_error_kind_is_decided_by_code() {
    let cases: &[(u16, &str, ErrorKind)] = &[
        (400, "Throttling.User", ErrorKind::Throttled),
        (
            404,
            "InvalidAccessKeyId.NotFound",
            ErrorKind::Auth(AuthProblem::Key),
        ),
        (
            400,
            "SignatureDoesNotMatch",
            ErrorKind::Auth(AuthProblem::Signature),
        ),
        (
            403,
            "InvalidSecurityToken.Expired",
            ErrorKind::Auth(AuthProblem::Token),
        ),
        (403, "Forbidden.RAM", ErrorKind::Forbidden),
        (
            400,
            "InvalidImageName.Malformed",
            ErrorKind::InvalidInput {
                field: Some("ImageName".into()),
            },
        ),
        (404, "InvalidImageId.NotFound", ErrorKind::NotFound),
        (409, "OperationConflict", ErrorKind::Conflict),
        (500, "InternalError", ErrorKind::Server),
    ];
    for (status, code, kind) in cases {
        let server = ScriptedServer::start().await;
        server.respond_with({
            let code = code.to_string();
            let status = *status;
            move |_| Some(Reply::error(status, &code, "scripted"))
        });
        let c = client_with(&server, |c| c.max_retries = 0);
        let err = c.describe_regions().await.unwrap_err();
        assert_eq!(&err.kind, kind, "{code}");
        assert_eq!(err.code, *code);
        assert_eq!(
            err.request_id.as_deref(),
            Some(format!("REQ-{code}").as_str())
        );
        assert!(err.recommend.as_deref().unwrap_or("").contains(code));
        assert_eq!(err.http_status, Some(*status));
    }
}

#[tokio::test]
async fn unreadable_answers_are_decode_errors() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok("<html>captive portal</html>"));
    let err = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(err.to_string().contains("not an ECS response"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(format!("http://{addr}/")));
    config.max_retries = 1;
    config.retry_base = Duration::from_millis(1);
    let key = AccessKey::new(KEY_ID, SECRET).with_token(TOKEN);
    let c = EcsClient::new(config, Credentials::fixed(key)).unwrap();
    let err = c.describe_regions().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transport);
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("could not connect"), "{shown}");
    assert!(
        shown.contains(&addr.to_string()),
        "names the endpoint: {shown}"
    );
    for leak in [KEY_ID, TOKEN, SECRET, "Signature="] {
        assert!(!shown.contains(leak), "{leak} in {shown}");
    }
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(REGIONS).delayed(Duration::from_secs(3)));
    let c = client_with(&server, |c| {
        c.read_timeout = Duration::from_millis(200);
        c.max_retries = 0;
    });
    let err = c.describe_regions().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transport);
    assert_eq!(err.code, "Timeout");
}

#[tokio::test]
async fn retries_then_succeeds_with_fresh_nonces() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(503, "ServiceUnavailable", "busy"));
    server.push(Reply::error(400, "Throttling.User", "slow down").header("x-acs-retry-after", "5"));
    server.push(Reply::error(500, "InternalError", "oops"));
    server.push(Reply::ok(REGIONS));
    let regions = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap();
    assert_eq!(regions.len(), 2);
    let received = server.received();
    assert_eq!(received.len(), 4);
    let nonces: std::collections::HashSet<_> = received
        .iter()
        .map(|r| r.params["SignatureNonce"].clone())
        .collect();
    assert_eq!(
        nonces.len(),
        4,
        "each attempt is re-signed with a fresh nonce"
    );
    received.iter().for_each(assert_signed);
}

#[tokio::test]
async fn gives_up_after_three_retries() {
    let server = ScriptedServer::start().await;
    server.respond_with(|_| Some(Reply::error(503, "ServiceUnavailable", "down")));
    let err = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn never_retries_validation_or_credential_errors() {
    for code in [
        "InvalidImageName.Malformed",
        "SignatureDoesNotMatch",
        "Forbidden.RAM",
        "InvalidAccessKeyId.NotFound",
    ] {
        let server = ScriptedServer::start().await;
        server.respond_with({
            let code = code.to_string();
            move |_| Some(Reply::error(400, &code, "no"))
        });
        let changes = ImageChanges {
            image_name: Some("ok-name".into()),
            ..ImageChanges::default()
        };
        let err = client(&server, HttpMethod::Get)
            .modify_image_attribute("m-1", changes.params(), false)
            .await
            .unwrap_err();
        assert_eq!(err.code, code);
        assert_eq!(server.received().len(), 1, "{code} was retried");
    }
}

#[tokio::test]
async fn corrects_a_skewed_clock_once_and_reports_it() {
    let server = ScriptedServer::start().await;
    let server_time = time::OffsetDateTime::now_utc() + time::Duration::minutes(17);
    let date = ecsimg::ecs::client::clock::format_http_date(server_time);
    server.push(Reply::error(400, "InvalidTimeStamp.Expired", "expired").header("Date", &date));
    server.push(Reply::ok(REGIONS));
    let c = client(&server, HttpMethod::Get);
    c.describe_regions().await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    let sent =
        ecsimg::ecs::client::clock::parse_timestamp(&received[1].params["Timestamp"]).unwrap();
    let off_by = (sent - server_time).whole_seconds().abs();
    assert!(
        off_by < 60,
        "corrected timestamp is {off_by} s from the server's clock"
    );
    let skew = c.clock_skew_secs().unwrap();
    assert!(
        (skew + 17 * 60).abs() < 60,
        "host is ~17 min behind, got {skew}"
    );
}

#[tokio::test]
async fn a_persisting_skew_is_said_in_minutes() {
    let server = ScriptedServer::start().await;
    let date = ecsimg::ecs::client::clock::format_http_date(
        time::OffsetDateTime::now_utc() - time::Duration::minutes(40),
    );
    server.respond_with(move |_| {
        Some(Reply::error(400, "InvalidTimeStamp.Expired", "expired").header("Date", &date))
    });
    let err = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 2, "one corrected retry, no more");
    assert!(err.to_string().contains("ahead of"), "{err}");
}

fn page_body(page: u32, per_page: u32, total: u32) -> String {
    let first = (page - 1) * per_page;
    let images: Vec<String> = (first..(first + per_page).min(total))
        .map(|i| format!(r#"{{"ImageId":"m-{i:04}","ImageName":"img-{i}","Status":"Available"}}"#))
        .collect();
    format!(
        r#"{{"RequestId":"P{page}","TotalCount":{total},"PageNumber":{page},"PageSize":{per_page},"Images":{{"Image":[{}]}}}}"#,
        images.join(",")
    )
}

#[tokio::test]
async fn concurrent_paging_keeps_order() {
    let server = ScriptedServer::start().await;
    server.respond_with(|r| {
        let page: u32 = r.params["PageNumber"].parse().unwrap();
        let size: u32 = r.params["PageSize"].parse().unwrap();
        // Early pages answer last, so arrival order is the reverse of page order.
        let delay = Duration::from_millis(u64::from(8 - page.min(8)) * 30);
        Some(Reply::ok(&page_body(page, size, 730)).delayed(delay))
    });
    let c = client(&server, HttpMethod::Get);
    let query = ImageQuery::default();
    let mut order = Vec::new();
    c.describe_all_images_with(&query, |p| order.push(p.page_number))
        .await
        .unwrap();
    assert_eq!(order, (1..=8).collect::<Vec<_>>());
    let all = c.describe_all_images(&query).await.unwrap();
    assert_eq!(all.len(), 730);
    assert!(
        all.windows(2).all(|w| w[0].image_id < w[1].image_id),
        "images in page order"
    );
    let statuses = &server.received()[0].params["Status"];
    assert!(
        statuses.contains("Deprecated") && statuses.contains("Available"),
        "{statuses}"
    );
}

#[tokio::test]
async fn family_with_no_available_image_is_none() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(r#"{"RequestId":"F1"}"#));
    server.push(Reply::ok(r#"{"RequestId":"F2","Image":{}}"#));
    server.push(Reply::ok(
        r#"{"RequestId":"F3","Image":{"ImageId":"m-7","ImageFamily":"web","Status":"Available"}}"#,
    ));
    let c = client(&server, HttpMethod::Get);
    assert_eq!(c.describe_image_from_family("web").await.unwrap(), None);
    assert_eq!(c.describe_image_from_family("web").await.unwrap(), None);
    assert_eq!(
        c.describe_image_from_family("web")
            .await
            .unwrap()
            .unwrap()
            .image_id,
        "m-7"
    );
    assert_eq!(server.received()[0].params["ImageFamily"], "web");
}

#[tokio::test]
async fn an_ambiguous_failure_is_reported_as_such_and_the_client_does_not_reread() {
    let server = ScriptedServer::start().await;
    server.respond_with(|r| {
        Some(match r.params["Action"].as_str() {
            "ModifyImageAttribute" => Reply::error(503, "ServiceUnavailable", "lost"),
            _ => Reply::ok(r#"{"RequestId":"D","TotalCount":0,"Images":{"Image":[]}}"#),
        })
    });
    let c = client_with(&server, |c| c.max_retries = 0);
    let changes = ImageChanges {
        image_name: Some("renamed".into()),
        ..ImageChanges::default()
    };
    let err = c
        .modify_image_attribute("m-1", changes.params(), false)
        .await
        .unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert!(err.ambiguous, "a 5xx may have acted");
    let actions: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.params["Action"].clone())
        .collect();
    assert_eq!(
        actions,
        ["ModifyImageAttribute"],
        "whether it landed is the executor's question, asked once"
    );
}

#[tokio::test]
async fn a_success_status_with_an_unreadable_body_is_ambiguous() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok("{\"RequestId\":\"473469C7"));
    let c = client(&server, HttpMethod::Get);
    let changes = ImageChanges {
        description: Some("cut short".into()),
        ..ImageChanges::default()
    };
    let err = c
        .modify_image_attribute("m-1", changes.params(), false)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(err.ambiguous, "ECS answered 200: it acted on the request");
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(
        400,
        "SignatureDoesNotMatch",
        &format!("Specified signature is not matched with our calculation. server string to sign is:GET&%2F&SecurityToken%3D{TOKEN}"),
    ));
    let c = client(&server, HttpMethod::Get);
    let err = c.describe_regions().await.unwrap_err();
    for shown in [
        format!("{c:?}"),
        err.to_string(),
        format!("{:?}", c.credentials()),
    ] {
        assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
    }
}

#[test]
fn plain_http_off_loopback_is_refused() {
    let config = ClientConfig::new(
        "cn-hangzhou",
        Endpoint::Custom("http://ecs.example.com/".into()),
    );
    let err =
        EcsClient::new(config, Credentials::fixed(AccessKey::new(KEY_ID, SECRET))).unwrap_err();
    assert!(
        err.to_string().contains("only allowed for loopback"),
        "{err}"
    );
}

#[tokio::test]
async fn a_region_from_anywhere_is_checked_before_a_url_is_built() {
    let server = ScriptedServer::start().await;
    server.push(Reply::ok(REGIONS));
    let c = client(&server, HttpMethod::Get);
    // A region picked in the TUI (or answered by a hostile DescribeRegions) reaches the
    // client only through with_region; the public endpoint would become
    // https://ecs.x@127.0.0.1:PORT/#.aliyuncs.com/.
    let trick = format!("x@{}/#", server.addr);
    let err = c.with_region(&trick).unwrap_err();
    assert_eq!(err.field(), Some("region"), "{err}");
    let err = EcsClient::new(
        ClientConfig::new(trick.as_str(), Endpoint::Public),
        Credentials::fixed(AccessKey::new(KEY_ID, SECRET)),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    assert!(server.received().is_empty());
    // The good region still works, on the URL parsed once.
    assert_eq!(
        c.with_region("cn-shanghai").unwrap().region(),
        "cn-shanghai"
    );
}

#[tokio::test]
async fn an_answer_over_32_mb_is_cut_off_said_so_and_not_retried() {
    let server = ScriptedServer::start().await;
    let huge = format!(
        r#"{{"RequestId":"R","Pad":"{}"}}"#,
        "x".repeat(40 * 1024 * 1024)
    );
    server.respond_with(move |_| Some(Reply::ok(&huge)));
    let err = client(&server, HttpMethod::Get)
        .describe_regions()
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode, "{err}");
    assert_eq!(err.code, "ResponseTooLarge", "{err}");
    assert!(err.message.contains("larger than 32 MB"), "{err}");
    assert_eq!(
        server.received().len(),
        1,
        "a too-large answer is not asked for again"
    );
    assert_eq!(
        ecsimg::cli::CliError::from(err).exit,
        ecsimg::cli::Exit::Api
    );
}

#[tokio::test]
async fn a_parameter_no_api_takes_is_refused_before_sending() {
    let server = ScriptedServer::start().await;
    let c = client(&server, HttpMethod::Get);
    let query = ImageQuery {
        family: Some("f".repeat(100_000)),
        ..ImageQuery::default()
    };
    let err = c.describe_all_images(&query).await.unwrap_err();
    assert_eq!(err.http_status, None, "{err}");
    assert!(matches!(err.kind, ErrorKind::InvalidInput { .. }), "{err}");
    assert!(
        err.message.contains("ImageFamily is 100000 characters"),
        "{err}"
    );
    assert!(err.message.len() < 500, "the value is not echoed");
    let err = c.describe_image(&"m".repeat(100_000)).await.unwrap_err();
    assert!(
        err.message.contains("ImageId is 100000 characters"),
        "{err}"
    );
    assert!(server.received().is_empty());
    assert_eq!(
        ecsimg::cli::CliError::from(err).exit,
        ecsimg::cli::Exit::Invalid
    );
}

#[tokio::test]
async fn a_chunked_answer_over_32_mb_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // No Content-Length to refuse up front: only counting what arrives can stop it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 8192];
        let _ = stream.read(&mut request).await;
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Transfer-Encoding: chunked\r\n\r\n";
        let chunk = vec![b'x'; 1024 * 1024];
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        let _ = stream.write_all(head).await;
        for _ in 0..48 {
            if stream.write_all(&frame).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(format!("http://{addr}/")));
    config.max_retries = 0;
    let c = EcsClient::new(config, Credentials::fixed(AccessKey::new(KEY_ID, SECRET))).unwrap();
    let err = c.describe_regions().await.unwrap_err();
    assert_eq!(err.code, "ResponseTooLarge", "{err}");
    assert!(
        err.ambiguous,
        "the request was answered: a change may have been made"
    );
}
