//! HTTPS_PROXY is honoured: a jump host often reaches ECS only through a proxy. A proxy on
//! 127.0.0.1 records the CONNECT; nothing leaves this machine. One test in its own binary,
//! because proxy settings are read from the process environment.

use std::time::Duration;

use ecsimg::ecs::client::{ClientConfig, EcsClient, Endpoint};
use ecsimg::ecs::credentials::{AccessKey, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn https_requests_go_through_the_configured_proxy() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let seen = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 1024];
        let n = stream.read(&mut buf).await.unwrap();
        // Refuse the tunnel: the test only needs to see where the client wanted to go.
        let _ = stream
            .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
            .await;
        String::from_utf8_lossy(&buf[..n]).to_string()
    });
    // This binary holds only this test, so nothing reads the environment concurrently.
    unsafe {
        std::env::set_var("HTTPS_PROXY", &proxy);
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let mut config = ClientConfig::new("cn-hangzhou", Endpoint::Public);
    config.max_retries = 0;
    config.connect_timeout = Duration::from_secs(5);
    let client = EcsClient::new(
        config,
        Credentials::fixed(AccessKey::new("id-123456789", "s")),
    )
    .unwrap();
    let err = client.describe_regions().await.unwrap_err();
    let request = seen.await.unwrap();
    assert!(
        request.starts_with("CONNECT ecs.cn-hangzhou.aliyuncs.com:443"),
        "proxy saw: {request}"
    );
    assert_eq!(err.kind, ecsimg::ecs::error::ErrorKind::Transport);
}
