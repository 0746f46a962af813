//! HTTPS_PROXY is honoured: a jump host often reaches ECS only through a proxy. A proxy on
//! 127.0.0.1 records the CONNECT; nothing leaves this machine. Proxy settings are read from
//! the process environment, so the client runs in a child process (this same test binary,
//! started with HTTPS_PROXY set) and no test changes the environment other tests share.

use std::io::{Read, Write};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::{AccessKey, Credentials};

use crate::support::patience::scaled;

/// Set in the child: it is the one that sends the request.
const CHILD: &str = "ECSIMG_TEST_PROXY_CHILD";
const NAME: &str = "https_requests_go_through_the_configured_proxy";

#[test]
fn https_requests_go_through_the_configured_proxy() {
    if std::env::var_os(CHILD).is_some() {
        return send_through_the_environments_proxy();
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let (tx, seen) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 1024];
        let n = stream.read(&mut buf).unwrap();
        // Refuse the tunnel: the test only needs to see where the client wanted to go.
        let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        let _ = tx.send(String::from_utf8_lossy(&buf[..n]).to_string());
    });
    let child = Command::new(std::env::current_exe().unwrap())
        .args([NAME, "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .env("HTTPS_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&child.stdout);
    let err = String::from_utf8_lossy(&child.stderr);
    assert!(child.status.success(), "the child failed:\n{out}\n{err}");
    // A filter that matched nothing would pass too: the child must have run this one test.
    assert!(out.contains("1 passed"), "the child ran no test:\n{out}");
    // The child has exited, so whatever it sent the proxy is already there.
    let request = seen
        .recv_timeout(scaled(Duration::from_secs(5)))
        .expect("the client never reached the proxy");
    assert!(
        request.starts_with("CONNECT ecs.cn-hangzhou.aliyuncs.com:443"),
        "proxy saw: {request}"
    );
}

/// The child's part: a request to the public endpoint fails at the refused tunnel.
fn send_through_the_environments_proxy() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Public);
    config.max_retries = 0;
    config.connect_timeout = Duration::from_secs(5);
    let client = EcsClient::new(
        config,
        Credentials::fixed(AccessKey::new("id-123456789", "s")),
    )
    .unwrap();
    let err = runtime.block_on(client.describe_regions()).unwrap_err();
    assert_eq!(err.kind, ecsimg::ecs::error::ErrorKind::Transport);
}
