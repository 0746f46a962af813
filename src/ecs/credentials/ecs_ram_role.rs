//! EcsRamRole: the temporary key of the RAM role attached to this ECS instance, from the
//! instance metadata service (IMDSv2 token first, then without one).

use serde::Deserialize;

use super::expiring::{parse_expiration, Temporary};
use super::http::{metadata_client, snippet};
use super::{AccessKey, CredentialError};
use crate::ecs::sign::percent_encode;

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// Six hours, as the official SDKs ask.
const TOKEN_TTL_SECS: &str = "21600";

pub(crate) struct EcsRamRole {
    base: String,
    role_name: Option<String>,
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED`: fail instead of asking without a token.
    require_token: bool,
    http: reqwest::Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataCredentials {
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl EcsRamRole {
    pub fn new(
        base: String,
        role_name: Option<String>,
        require_token: bool,
    ) -> Result<EcsRamRole, CredentialError> {
        Ok(EcsRamRole {
            base,
            role_name,
            require_token,
            http: metadata_client()?,
        })
    }

    pub async fn fetch(&self) -> Result<Temporary, CredentialError> {
        let token = self.token().await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => self.discover_role(token.as_deref()).await?,
        };
        let body = self
            .get(
                &format!("{CREDENTIALS_PATH}{}", percent_encode(&role)),
                token.as_deref(),
            )
            .await?;
        let answer: MetadataCredentials = serde_json::from_str(&body).map_err(|e| {
            self.fail(&format!(
                "the answer for role {role} is not the expected JSON ({e})"
            ))
        })?;
        if answer.code.as_deref() != Some("Success") {
            return Err(self.fail(&format!(
                "the answer for role {role} has Code {:?}, not \"Success\"",
                answer.code.unwrap_or_default()
            )));
        }
        let (Some(id), Some(secret), Some(token)) = (
            answer.access_key_id,
            answer.access_key_secret,
            answer.security_token,
        ) else {
            return Err(self.fail(&format!(
                "the answer for role {role} lacks the key or token"
            )));
        };
        let expiration = answer
            .expiration
            .as_deref()
            .and_then(parse_expiration)
            .ok_or_else(|| {
                self.fail(&format!(
                    "the answer for role {role} has no valid Expiration"
                ))
            })?;
        Ok(Temporary {
            key: AccessKey::new(id, secret).with_token(token),
            expiration,
        })
    }

    /// The IMDSv2 session token, or `None` when the service does not hand one out.
    async fn token(&self) -> Result<Option<String>, CredentialError> {
        let sent = self
            .http
            .put(format!("{}{TOKEN_PATH}", self.base))
            .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECS)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            // Nothing answers at all: this is not an ECS instance, and the token-less
            // request would only wait for the same timeout again.
            Err(e) if e.is_connect() || e.is_timeout() => {
                return Err(self.fail(&format!("nothing answered ({})", error_chain(&e))))
            }
            Err(e) if self.require_token => {
                return Err(self.fail(&format!("no IMDSv2 token ({})", error_chain(&e))))
            }
            Err(_) => return Ok(None),
        };
        let status = response.status();
        if status.is_success() {
            if let Ok(text) = response.text().await {
                let text = text.trim().to_string();
                if !text.is_empty() {
                    return Ok(Some(text));
                }
            }
        }
        if self.require_token {
            return Err(self.fail(&format!(
                "no IMDSv2 token (HTTP {status}) and ALIBABA_CLOUD_IMDSV1_DISABLED forbids asking without one"
            )));
        }
        Ok(None)
    }

    async fn discover_role(&self, token: Option<&str>) -> Result<String, CredentialError> {
        let body = self.get(CREDENTIALS_PATH, token).await?;
        body.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                self.fail(
                "no RAM role is attached to this instance; attach one in the ECS console, or name \
                 it with ram_role_name in the profile",
            )
            })
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<String, CredentialError> {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.fail(&format!("GET {path}: {}", error_chain(&e))))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| self.fail(&format!("GET {path}: {}", error_chain(&e))))?;
        if !status.is_success() {
            let hint = if status.as_u16() == 404 {
                " (is the role name right?)"
            } else {
                ""
            };
            return Err(self.fail(&format!(
                "GET {path} answered HTTP {status}{hint}: {}",
                snippet(&body)
            )));
        }
        Ok(body)
    }

    fn fail(&self, what: &str) -> CredentialError {
        CredentialError::new(format!(
            "cannot get the ECS RAM role's key from the instance metadata service at {}: {what}. \
             EcsRamRole works only on an ECS instance with a RAM role attached.",
            self.base
        ))
    }
}

/// reqwest's Display stops at the outermost error; the cause is usually the useful part.
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    if let Some(words) = crate::ecs::tls::refusal_words(e) {
        return words;
    }
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
