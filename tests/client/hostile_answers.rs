//! Hostile answers, generated (proptest): whatever comes back from an endpoint — random
//! bytes as the whole HTTP response or as the body of a 200 or a 500, random JSON, JSON
//! nested ten thousand deep, strings of megabytes — the client never panics, and says what
//! it got in words a person can act on, with an exit code a script can branch on.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ecsimg::cli::Exit;
use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::Credentials;
use ecsimg::ecs::error::{ApiError, ErrorKind};
use ecsimg::ecs::model::ImageQuery;
use ecsimg::ecs::sign::Params;
use ecsimg::sim;
use proptest::prelude::*;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::props;

/// A server that writes back, for every request, exactly the bytes it is given.
struct Raw {
    addr: SocketAddr,
    next: Arc<Mutex<Vec<u8>>>,
}

impl Raw {
    async fn start() -> Raw {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let next = Arc::new(Mutex::new(Vec::new()));
        let answer = next.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let bytes = answer.lock().unwrap().clone();
                tokio::spawn(async move {
                    // Read the request head; what it asks does not matter.
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Raw { addr, next }
    }

    fn answer(&self, bytes: Vec<u8>) {
        *self.next.lock().unwrap() = bytes;
    }

    fn answer_http(&self, status: u16, body: &[u8]) {
        let mut bytes = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        self.answer(bytes);
    }

    fn client(&self) -> EcsClient {
        let mut config = ClientConfig::new(
            "cn-hangzhou",
            Endpoint::Custom(format!("http://{}/", self.addr)),
        );
        config.retry_base = Duration::from_millis(1);
        config.max_retries = 0;
        config.read_timeout = Duration::from_secs(5);
        EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// What a failure must be, whatever the answer: a kind, words, an exit code that is not
/// "invalid input" (nothing was wrong with what was sent).
fn sane(error: &ApiError) {
    let shown = error.to_string();
    assert!(
        !shown.is_empty() && !error.meaning().is_empty(),
        "{error:?}"
    );
    let exit = Exit::for_api(error);
    assert!(
        matches!(exit, Exit::Api | Exit::Network | Exit::Credentials),
        "{exit:?} for {error:?}"
    );
}

/// Both reads and a change, against whatever the server answers now.
async fn every_call(client: &EcsClient) {
    let query = ImageQuery::default();
    for result in [
        client.describe_images_page(&query, 1).await.map(|_| ()),
        client.describe_image_from_family("web").await.map(|_| ()),
        client.describe_regions().await.map(|_| ()),
        client
            .modify_image_attribute("m-1", Params::new(), false)
            .await
            .map(|_| ()),
    ] {
        if let Err(e) = result {
            sane(&e);
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        // Keys the decoders look for, so the random JSON sometimes almost fits.
        prop::sample::select(vec![
            "Images",
            "Image",
            "TotalCount",
            "Code",
            "Message",
            "RequestId",
            "ImageId",
            "Regions",
            "Region",
            "PageNumber",
        ])
        .prop_map(|k| Value::String(k.to_string())),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "Images",
                    "Image",
                    "TotalCount",
                    "PageSize",
                    "PageNumber",
                    "Code",
                    "Message",
                    "RequestId",
                    "ImageId",
                    "ImageName",
                    "Status",
                    "Regions",
                    "Region",
                    "RegionId",
                    "x"
                ])
                .prop_map(str::to_string),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn random_bytes_as_the_whole_response_or_its_body() {
    let rt = runtime();
    let server = rt.block_on(Raw::start());
    let client = server.client();
    proptest!(props::config(64), |(bytes in prop::collection::vec(any::<u8>(), 0..4096),
                                    status in prop::sample::select(vec![200u16, 400, 500, 502]),
                                    whole in any::<bool>())| {
        if whole {
            server.answer(bytes);
        } else {
            server.answer_http(status, &bytes);
        }
        rt.block_on(every_call(&client));
    });
}

#[test]
fn random_json_in_a_200_or_an_error() {
    let rt = runtime();
    let server = rt.block_on(Raw::start());
    let client = server.client();
    proptest!(props::config(64), |(value in json_value(),
                                    status in prop::sample::select(vec![200u16, 400, 403, 503]))| {
        server.answer_http(status, value.to_string().as_bytes());
        rt.block_on(every_call(&client));
    });
}

#[test]
fn json_nested_ten_thousand_deep_is_refused_not_a_stack_overflow() {
    let rt = runtime();
    let server = rt.block_on(Raw::start());
    let client = server.client();
    proptest!(props::config(16), |(depth in 100usize..20_000, object in any::<bool>())| {
        let body = if object {
            format!("{}1{}", r#"{"Images":"#.repeat(depth), "}".repeat(depth))
        } else {
            format!("{}{}", "[".repeat(depth), "]".repeat(depth))
        };
        server.answer_http(200, body.as_bytes());
        let err = rt
            .block_on(client.describe_images_page(&ImageQuery::default(), 1))
            .unwrap_err();
        prop_assert_eq!(err.kind.clone(), ErrorKind::Decode);
        prop_assert!(err.to_string().contains("is the endpoint right"), "{}", err);
    });
}

#[test]
fn strings_of_megabytes_are_read_whole_or_refused_at_the_cap() {
    let rt = runtime();
    let server = rt.block_on(Raw::start());
    let client = server.client();
    proptest!(props::config(6), |(megabytes in prop::sample::select(vec![1usize, 10, 31, 33]),
                                   c in prop::sample::select(vec!['x', '镜', '\u{202e}', '\u{1b}']))| {
        let name: String = std::iter::repeat_n(c, megabytes * 1024 * 1024 / c.len_utf8()).collect();
        let body = serde_json::json!({
            "RequestId": "R",
            "TotalCount": 1,
            "PageNumber": 1,
            "PageSize": 10,
            "Images": {"Image": [{"ImageId": "m-1", "ImageName": name}]}
        })
        .to_string();
        server.answer_http(200, body.as_bytes());
        match rt.block_on(client.describe_images_page(&ImageQuery::default(), 1)) {
            Ok(page) => {
                prop_assert!(body.len() <= ecsimg::ecs::client::MAX_BODY_BYTES);
                prop_assert_eq!(page.images.image[0].image_name.chars().count(),
                                name.chars().count());
            }
            Err(e) => {
                prop_assert!(body.len() > ecsimg::ecs::client::MAX_BODY_BYTES, "{}", e);
                prop_assert_eq!(e.code.as_str(), "ResponseTooLarge");
            }
        }
    });
}

#[test]
fn a_200_that_is_not_an_ecs_answer_is_never_an_empty_list() {
    let rt = runtime();
    let server = rt.block_on(Raw::start());
    let client = server.client();
    for body in [
        "{}",
        "[]",
        r#"{"status":"ok"}"#,
        r#"{"RequestId":""}"#,
        r#"["R-1"]"#,
    ] {
        server.answer_http(200, body.as_bytes());
        let err = rt
            .block_on(client.describe_all_images(&ImageQuery::default()))
            .expect_err(body);
        assert_eq!(err.kind, ErrorKind::Decode, "{body}: {err}");
        assert_eq!(Exit::for_api(&err), Exit::Api, "{body}");
        assert!(err.to_string().contains("no RequestId"), "{body}: {err}");
    }
    server.answer_http(200, br#"{"RequestId":"R-1","TotalCount":0}"#);
    let none = rt.block_on(client.describe_all_images(&ImageQuery::default()));
    assert_eq!(
        none.unwrap(),
        vec![],
        "an ECS answer with no images is an empty list"
    );
}
