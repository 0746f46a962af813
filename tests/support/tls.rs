//! HTTPS in front of the simulator: a TLS server on 127.0.0.1 with a certificate issued for
//! the test by a CA made for the test (rcgen, in memory, nothing checked in), passing every
//! byte on to a plain-HTTP backend — what a TLS-inspecting proxy with a private CA looks
//! like to ecsimg.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls;

/// The certificate the front presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// For `localhost` and `127.0.0.1`, valid now.
    Good,
    /// For the right names, expired in 2001.
    Expired,
    /// Valid now, for `ecs.example.com` only.
    OtherName,
}

/// A CA made for one test, and the front that presents a certificate it issued.
pub struct Front {
    addr: SocketAddr,
    ca_pem: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Front {
    /// Starts a TLS front on 127.0.0.1 for the plain-HTTP `backend` (a simulator's address).
    pub async fn start(backend: SocketAddr, leaf: Leaf) -> Front {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "ecsimg test proxy CA");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

        let names = match leaf {
            Leaf::OtherName => vec!["ecs.example.com".to_string()],
            _ => vec!["localhost".to_string(), "127.0.0.1".to_string()],
        };
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "ecsimg test endpoint");
        if leaf == Leaf::Expired {
            params.not_before = time::macros::datetime!(2000-01-01 0:00 UTC);
            params.not_after = time::macros::datetime!(2001-01-01 0:00 UTC);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &*ca).unwrap();

        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone(), ca.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to pass on.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let Ok(mut plain) = TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        Front {
            addr,
            ca_pem: ca.pem(),
            task,
        }
    }

    /// `https://127.0.0.1:PORT/`.
    pub fn endpoint(&self) -> String {
        format!("https://127.0.0.1:{}/", self.addr.port())
    }

    /// `https://localhost:PORT/`.
    pub fn endpoint_by_name(&self) -> String {
        format!("https://localhost:{}/", self.addr.port())
    }

    /// The test CA's certificate, PEM.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes the test CA to `dir/name` and returns the path.
    pub fn write_ca(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, &self.ca_pem).unwrap();
        path
    }
}

/// The simulator's address, from its endpoint URL.
pub fn backend_of(endpoint: &str) -> SocketAddr {
    let url = reqwest::Url::parse(endpoint).unwrap();
    SocketAddr::from(([127, 0, 0, 1], url.port().unwrap()))
}
