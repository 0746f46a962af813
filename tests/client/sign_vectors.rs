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
