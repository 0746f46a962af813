//! RamRoleArn: a temporary key from STS `AssumeRole` (2015-04-01), signed with RPC V1
//! exactly like the ECS calls.

use reqwest::Url;
use serde::Deserialize;
use time::OffsetDateTime;

use super::ecs_ram_role::error_chain;
use super::expiring::{parse_expiration, rpc_timestamp, Temporary};
use super::http::{snippet, sts_client};
use super::{AccessKey, CredentialError, Credentials};
use crate::ecs::error::ApiError;
use crate::ecs::sign::{new_nonce, percent_encode, sign_request, Common, Params};

pub(crate) const STS_API_VERSION: &str = "2015-04-01";

/// What `AssumeRole` is asked for.
pub(crate) struct AssumeRole {
    pub role_arn: String,
    pub session_name: String,
    pub duration_secs: u64,
    pub policy: Option<String>,
    pub external_id: Option<String>,
}

pub(crate) struct RamRoleArn {
    /// The key that signs the request (itself possibly temporary).
    source: Credentials,
    url: Url,
    request: AssumeRole,
    http: reqwest::Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleAnswer {
    credentials: Option<StsCredentials>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl RamRoleArn {
    pub fn new(
        source: Credentials,
        url: Url,
        request: AssumeRole,
        ca_bundle: Option<&crate::ecs::tls::CaBundle>,
    ) -> Result<RamRoleArn, CredentialError> {
        let http = sts_client(&url, ca_bundle)?;
        Ok(RamRoleArn {
            source,
            url,
            request,
            http,
        })
    }

    pub async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let key = self.source.access_key().await.map_err(|e| {
            CredentialError::new(format!(
                "cannot assume role {}: its source credentials failed: {e}",
                self.request.role_arn
            ))
        })?;
        let (query, body) = self.signed_request(&key, OffsetDateTime::now_utc(), &new_nonce());
        let url = format!("{}?{}", self.url, form_encode(&query));
        let response = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form_encode(&body))
            .send()
            .await
            .map_err(|e| self.fail(&error_chain(&e)))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| self.fail(&error_chain(&e)))?;
        if !status.is_success() {
            return Err(self.api_error(status.as_u16(), &text));
        }
        let answer: AssumeRoleAnswer = serde_json::from_str(&text)
            .map_err(|e| self.fail(&format!("the answer is not the expected JSON ({e})")))?;
        let Some(StsCredentials {
            access_key_id: Some(id),
            access_key_secret: Some(secret),
            security_token: Some(token),
            expiration,
        }) = answer.credentials
        else {
            return Err(self.fail("the answer has no Credentials with a key and token"));
        };
        let expiration = expiration
            .as_deref()
            .and_then(parse_expiration)
            .ok_or_else(|| self.fail("the answer has no valid Credentials.Expiration"))?;
        Ok(Temporary {
            key: AccessKey::new(id, secret).with_token(token),
            expiration,
        })
    }

    /// The common parameters and `Signature` go in the query, the role parameters in the
    /// form body; the signature covers both, as the official SDKs send it.
    fn signed_request(
        &self,
        key: &AccessKey,
        now: OffsetDateTime,
        nonce: &str,
    ) -> (Params, Params) {
        let r = &self.request;
        let mut body = Params::new();
        body.insert("RoleArn".into(), r.role_arn.clone());
        body.insert("RoleSessionName".into(), r.session_name.clone());
        body.insert("DurationSeconds".into(), r.duration_secs.to_string());
        if let Some(policy) = &r.policy {
            body.insert("Policy".into(), policy.clone());
        }
        if let Some(external_id) = &r.external_id {
            body.insert("ExternalId".into(), external_id.clone());
        }
        let mut all = body.clone();
        let timestamp = rpc_timestamp(now);
        let common = Common {
            action: "AssumeRole",
            version: STS_API_VERSION,
            access_key_id: &key.id,
            security_token: key.security_token.as_ref().map(|t| t.expose()),
            timestamp: &timestamp,
            nonce,
        };
        sign_request("POST", &mut all, &common, key.secret.expose());
        let query = all
            .into_iter()
            .filter(|(k, _)| !body.contains_key(k))
            .collect();
        (query, body)
    }

    fn api_error(&self, status: u16, text: &str) -> CredentialError {
        // STS errors have the body shape of every RPC gateway error.
        let Some(err) = ApiError::from_body(status, text) else {
            return self.fail(&format!("HTTP {status}: {}", snippet(text)));
        };
        let code = err.code;
        let hint = match code.as_str() {
            c if c.starts_with("NoPermission") || c.starts_with("Forbidden") => {
                " The source key may not assume this role: check the role's trust policy and \
                 the source user's sts:AssumeRole permission."
            }
            c if c.starts_with("InvalidAccessKeyId") || c.starts_with("SignatureDoesNotMatch") => {
                " The profile's access_key_id / access_key_secret are wrong."
            }
            c if c.starts_with("EntityNotExist.Role")
                || c.starts_with("InvalidParameter.RoleArn") =>
            {
                " Check ram_role_arn (acs:ram::<account id>:role/<role name>)."
            }
            _ => "",
        };
        let request_id = err
            .request_id
            .map(|id| format!(" (RequestId {id})"))
            .unwrap_or_default();
        self.fail(&format!(
            "{code}: {}{request_id}.{hint}",
            err.message.trim_end_matches('.')
        ))
    }

    fn fail(&self, what: &str) -> CredentialError {
        CredentialError::new(format!(
            "STS AssumeRole for {} at {} failed: {what}",
            self.request.role_arn, self.url
        ))
    }
}

/// `name=value&...` with the signer's encoding (space as `%20`, never `+`).
fn form_encode(params: &Params) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::sign::{signature, signatures_equal};

    #[test]
    fn signature_covers_query_and_body() {
        let arn = RamRoleArn::new(
            Credentials::fixed(AccessKey::new("akid", "secret")),
            Url::parse("https://sts.aliyuncs.com/").unwrap(),
            AssumeRole {
                role_arn: "acs:ram::1:role/x".into(),
                session_name: "s".into(),
                duration_secs: 3600,
                policy: None,
                external_id: Some("ext".into()),
            },
            None,
        )
        .unwrap();
        let (query, body) = arn.signed_request(
            &AccessKey::new("akid", "secret"),
            OffsetDateTime::UNIX_EPOCH,
            "n1",
        );
        assert_eq!(query["Action"], "AssumeRole");
        assert_eq!(query["Version"], "2015-04-01");
        assert_eq!(query["Timestamp"], "1970-01-01T00:00:00Z");
        assert!(!query.contains_key("RoleArn"));
        assert_eq!(body["ExternalId"], "ext");
        let mut all: Params = query.clone();
        all.extend(body);
        let sig = all.remove("Signature").unwrap();
        assert!(signatures_equal(&sig, &signature("POST", &all, "secret")));
    }
}
