//! Every vector computed with Alibaba Cloud's own SDK must reproduce byte for byte.

use ecsimg::ecs::sign::{self, Params};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("../fixtures/sign_vectors.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

fn params_of(v: &Value) -> Params {
    v["params"]
        .as_object()
        .expect("params object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_string()))
        .collect()
}

#[test]
fn every_vector_reproduces_string_to_sign_and_signature() {
    let all = vectors();
    assert!(all.len() >= 20, "fixture holds {} vectors", all.len());
    for v in &all {
        let name = v["name"].as_str().unwrap();
        let method = v["method"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let params = params_of(v);
        assert_eq!(
            sign::string_to_sign(method, &params),
            v["string_to_sign"].as_str().unwrap(),
            "string to sign of {name}"
        );
        assert_eq!(
            sign::signature(method, &params, secret),
            v["signature"].as_str().unwrap(),
            "signature of {name}"
        );
    }
}

#[test]
fn documented_signatures_match() {
    for v in vectors() {
        if let Some(doc) = v["documented_signature"].as_str() {
            let params = params_of(&v);
            let sig = sign::signature(
                v["method"].as_str().unwrap(),
                &params,
                v["secret"].as_str().unwrap(),
            );
            assert_eq!(sig, doc, "{}", v["name"]);
        }
    }
}

#[test]
fn wire_queries_decode_to_the_signed_parameters() {
    for v in vectors() {
        let Some(wire) = v["wire_query"].as_str() else {
            continue;
        };
        let mut decoded = sign::parse_query(wire).expect("wire query decodes");
        let sig = decoded
            .remove("Signature")
            .expect("wire query carries Signature");
        assert_eq!(decoded, params_of(&v), "{}", v["name"]);
        assert_eq!(sig, v["signature"].as_str().unwrap(), "{}", v["name"]);
    }
}

mod generated {
    //! The signer on any input (proptest): encoding round-trips, the canonical query is
    //! what the simulator reads back, and a request with any Unicode in its values, sent by
    //! GET or POST, is accepted by the simulator's own signature check over HTTP.

    use std::time::Duration;

    use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint, HttpMethod};
    use ecsimg::ecs::credentials::Credentials;
    use ecsimg::ecs::sign::{self, Params};
    use ecsimg::sim::{self, SimConfig};
    use proptest::prelude::*;

    use crate::support::props;

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ -~]{0,64}",
            "[\u{4e00}-\u{9fa5} %+*~&=]{0,32}",
            Just("a+b c*d~e%20f&g=h/i".to_string()),
        ]
    }

    #[test]
    fn encoding_round_trips_and_is_only_unreserved_or_escapes() {
        proptest!(props::config(256), |(s in any::<String>(), params in prop::collection::btree_map("[A-Za-z][A-Za-z0-9.]{0,16}", value(), 0..8))| {
            let encoded = sign::percent_encode(&s);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)), "{}", encoded);
            prop_assert_eq!(sign::percent_decode(&encoded), Some(s.clone()));
            let params: Params = params.into_iter().collect();
            prop_assert_eq!(sign::parse_query(&sign::canonical_query(&params)), Some(params.clone()));
            let a = sign::signature("GET", &params, "secret");
            prop_assert_eq!(&a, &sign::signature("get", &params, "secret"));
            prop_assert_ne!(&a, &sign::signature("GET", &params, "secret2"));
        });
    }

    #[test]
    fn any_value_signed_by_get_or_post_passes_the_simulators_check() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sim = rt.block_on(sim::start(SimConfig::demo())).unwrap();
        let client = |method| {
            let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Custom(sim.endpoint()));
            config.method = method;
            config.retry_base = Duration::from_millis(1);
            EcsClient::new(config, Credentials::fixed(sim::demo_access_key())).unwrap()
        };
        let (get, post) = (client(HttpMethod::Get), client(HttpMethod::Post));
        proptest!(props::config(64), |(name in value(), extra in "[A-Z][A-Za-z0-9]{0,12}", extra_value in value(), by_post in any::<bool>())| {
            let mut params = Params::new();
            params.insert("ImageName".into(), name);
            params.insert(extra, extra_value);
            let client = if by_post { &post } else { &get };
            if let Err(e) = rt.block_on(client.call("DescribeImages", params)) {
                prop_assert!(
                    !matches!(e.code.as_str(), "SignatureDoesNotMatch" | "IncompleteSignature" | "InvalidParameter"),
                    "{}", e
                );
            }
        });
    }
}
