//! What a refused TLS certificate means, in plain words with what to do: the codes
//! `ecs::client` gives a handshake rustls refused (`TlsCertificate.REASON`, `TlsHandshake`).

/// The meaning of a TLS code, or `None` for any other code.
pub(super) fn meaning(code: &str) -> Option<&'static str> {
    let reason =
        match code.strip_prefix("TlsCertificate.") {
            Some(reason) => reason,
            None if code == "TlsHandshake" => return Some(
                "the TLS handshake with the endpoint failed: check --endpoint, and HTTPS_PROXY \
                 if a proxy is in the way (nothing was sent)",
            ),
            None => return None,
        };
    Some(match reason {
        "UnknownIssuer" => {
            "the endpoint's certificate is not trusted (unknown issuer): if a proxy inspects \
             TLS here, pass its CA with --ca-bundle (or install it in this system's store)"
        }
        "Expired" => {
            "the endpoint's certificate has expired (or this host's clock is ahead): check \
             the clock, then the endpoint or proxy"
        }
        "NotValidYet" => {
            "the endpoint's certificate is not valid yet: this host's clock is probably \
             behind; sync it (NTP)"
        }
        "NotValidForName" => {
            "the endpoint's certificate is for another host name: check --endpoint (or the \
             proxy that answered in its place)"
        }
        "Revoked" => "the endpoint's certificate has been revoked: do not use this endpoint",
        "InvalidPurpose" => "the endpoint's certificate is not one for a TLS server",
        "None" => "the endpoint sent no certificate",
        _ => {
            "the endpoint's certificate was refused: check --endpoint, or pass the CA of a \
             proxy that inspects TLS with --ca-bundle"
        }
    })
}
