//! Whom TLS trusts, and what a refused certificate is called.
//!
//! Three sets of roots, all at once: the web roots bundled in the binary (so a bare container
//! works), this system's certificate store (so a corporate CA installed on a jump host works;
//! `SSL_CERT_FILE` and `SSL_CERT_DIR` are read as OpenSSL reads them), and a CA bundle named
//! with `--ca-bundle` or `ca_bundle` (for a TLS-inspecting proxy whose CA is nowhere else).
//! There is no way to trust less or to turn the check off: the signed request and the STS
//! token go only to a host whose certificate checks out.
//!
//! A refused certificate is said in plain words with what to do, and is not retried: another
//! attempt meets the same certificate. Nothing was sent then — the handshake comes first.
//!
//! Both HTTPS clients use it: the ECS client, and STS for a RamRoleArn profile.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::ApiError;

/// The certificates of a CA bundle file, checked when it is loaded.
#[derive(Clone)]
pub struct CaBundle {
    inner: Arc<Loaded>,
}

struct Loaded {
    path: PathBuf,
    certs: Vec<reqwest::Certificate>,
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaBundle")
            .field("path", &self.inner.path)
            .field("certificates", &self.inner.certs.len())
            .finish()
    }
}

impl PartialEq for CaBundle {
    fn eq(&self, other: &CaBundle) -> bool {
        self.inner.path == other.inner.path && self.inner.certs.len() == other.inner.certs.len()
    }
}

impl CaBundle {
    /// Reads the PEM file at `path`: one or more `BEGIN CERTIFICATE` blocks, each a CA
    /// certificate rustls accepts as a root. The error says what is wrong with the file and
    /// how to fix it (without naming the file: the caller knows where the path came from).
    pub fn load(path: &Path) -> Result<CaBundle, String> {
        let text = crate::textfile::read(path).map_err(|e| match e {
            crate::textfile::ReadError::NotUtf8 => "it is not PEM text (a DER file? convert it: \
                 openssl x509 -inform der -in FILE -out FILE.pem)"
                .to_string(),
            other => format!("cannot read it: {other}"),
        })?;
        Self::parse(&text).map(|certs| CaBundle {
            inner: Arc::new(Loaded {
                path: path.to_path_buf(),
                certs,
            }),
        })
    }

    fn parse(text: &str) -> Result<Vec<reqwest::Certificate>, String> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::CertificateDer;
        let mut roots = rustls::RootCertStore::empty();
        let mut certs = Vec::new();
        for (n, der) in CertificateDer::pem_slice_iter(text.as_bytes()).enumerate() {
            let der = der.map_err(|e| {
                format!(
                    "certificate {} is not valid PEM ({e}): each must be a whole -----BEGIN \
                     CERTIFICATE----- … -----END CERTIFICATE----- block",
                    n + 1
                )
            })?;
            roots.add(der.clone()).map_err(|e| {
                format!(
                    "certificate {} cannot be used as a CA ({e}): export the proxy's CA \
                     certificate again, in PEM",
                    n + 1
                )
            })?;
            certs.push(reqwest::Certificate::from_der(&der).map_err(|e| e.to_string())?);
        }
        if certs.is_empty() {
            return Err(
                "it holds no certificate: it must hold at least one -----BEGIN \
                 CERTIFICATE----- block (the CA of the proxy that inspects TLS)"
                    .to_string(),
            );
        }
        Ok(certs)
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// How many certificates it holds.
    pub fn len(&self) -> usize {
        self.inner.certs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.certs.is_empty()
    }
}

/// The client's trust: the bundled roots and this system's always, plus `extra`.
pub(crate) fn trust(
    mut builder: reqwest::ClientBuilder,
    extra: Option<&CaBundle>,
    plain_http: bool,
) -> reqwest::ClientBuilder {
    if plain_http {
        // No TLS happens on a plain-http (loopback) endpoint: skip reading the system store.
        builder = builder.tls_built_in_native_certs(false);
    }
    for cert in extra.map(|b| b.inner.certs.as_slice()).unwrap_or_default() {
        builder = builder.add_root_certificate(cert.clone());
    }
    builder
}

/// The certificate problem behind a failed request, if that is what it was: the error's
/// code (`TlsCertificate.UnknownIssuer`, …, or `TlsHandshake`) and rustls's own words.
pub(crate) fn refused(error: &(dyn std::error::Error + 'static)) -> Option<(String, String)> {
    let found = rustls_error(error)?;
    let reason = match found {
        rustls::Error::InvalidCertificate(cert) => {
            use rustls::CertificateError as C;
            match cert {
                C::UnknownIssuer => "UnknownIssuer",
                C::Expired | C::ExpiredContext { .. } => "Expired",
                C::NotValidYet | C::NotValidYetContext { .. } => "NotValidYet",
                C::NotValidForName | C::NotValidForNameContext { .. } => "NotValidForName",
                C::Revoked => "Revoked",
                C::InvalidPurpose | C::InvalidPurposeContext { .. } => "InvalidPurpose",
                _ => "Other",
            }
        }
        rustls::Error::NoCertificatesPresented => "None",
        _ => return Some(("TlsHandshake".to_string(), found.to_string())),
    };
    Some((format!("TlsCertificate.{reason}"), found.to_string()))
}

/// A refused certificate in plain words and rustls's own (for errors that are not an
/// `ApiError`: STS); `None` when `error` is something else.
pub(crate) fn refusal_words(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let (code, detail) = refused(error)?;
    Some(format!(
        "{} ({detail})",
        refused_error(code, &detail, "").meaning()
    ))
}

/// The rustls error in `error`'s chain. An `io::Error` hides the error it wraps from
/// `source()` (it answers the wrapped error's source), so its `get_ref` is followed instead;
/// hyper wraps rustls's error in two of them.
fn rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

/// A transport error for a refused certificate: not ambiguous (the request never left).
pub(crate) fn refused_error(code: String, detail: &str, endpoint: &str) -> ApiError {
    let mut err = ApiError::transport(format!("{endpoint}: {detail}"), false);
    err.code = code;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_a_certificate_says_what_it_must_hold() {
        let err = CaBundle::parse("not a certificate\n").unwrap_err();
        assert!(err.contains("holds no certificate"), "{err}");
        let err = CaBundle::parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert!(
            err.contains("certificate 1 cannot be used as a CA"),
            "{err}"
        );
    }
}
