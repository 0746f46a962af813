//! `EcsClient`: signs and sends RPC requests, retries what may succeed, decodes answers.
//! Auto Scaling (ESS) is a product of its own with its own endpoint and version; the same
//! client reaches it through [`EcsClient::ess`], with the same key, clock and retries.

mod backoff;
pub mod clock;
mod endpoint;
mod ess;
mod limits;
pub mod pace;
mod paging;
mod regions;
mod transport;
mod usage_reads;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

pub use super::tls::CaBundle;
pub use endpoint::{check_region, Endpoint};
pub use ess::{ess_url, EssClient};
use limits::check_params;
pub use limits::{MAX_BODY_BYTES, MAX_PARAM_CHARS};
pub use paging::{Listing, ListingEnd};
pub use regions::REGIONS_AT_ONCE;

use super::credentials::{AccessKey, Credentials};
use super::error::{ApiError, AuthProblem, ErrorKind};
use super::model::{
    FamilyImageResponse, Image, ImagePage, ImageQuery, ImageStatus, Region, RegionsResponse,
    RequestIdOnly,
};
use super::sign::{self, Params};
use super::{ECS_API_VERSION, ESS_API_VERSION};

/// GET puts every parameter in the query; POST sends the API parameters as a form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub region: String,
    pub endpoint: Endpoint,
    pub method: HttpMethod,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Retries after the first attempt (at most 3).
    pub max_retries: u32,
    /// The first backoff step; later steps double, with jitter.
    pub retry_base: Duration,
    /// The most pages of one listing in flight at once; how many really are is decided by
    /// the answers (see `pace`).
    pub page_concurrency: usize,
    /// Auto Scaling's endpoint (`--ess-endpoint`). `None` follows `endpoint`: public goes
    /// to ESS's own host for the region, vpc to `ess-vpc.<region>`, and a custom endpoint
    /// serves Auto Scaling too — never a public host nobody named.
    pub ess_endpoint: Option<String>,
    /// CA certificates trusted besides the bundled and the system's roots (`--ca-bundle`).
    pub ca_bundle: Option<CaBundle>,
}

impl ClientConfig {
    /// Sensible defaults: 5 s to connect, 20 s to read, 3 retries from 200 ms, at most 16
    /// pages at once.
    pub fn new(region: impl Into<String>, endpoint: Endpoint) -> ClientConfig {
        ClientConfig {
            region: region.into(),
            endpoint,
            method: HttpMethod::Get,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(20),
            max_retries: 3,
            retry_base: Duration::from_millis(200),
            page_concurrency: pace::DEFAULT_CEILING,
            ess_endpoint: None,
            ca_bundle: None,
        }
    }
}

/// What a change ECS accepted returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyOutcome {
    pub request_id: String,
    /// `DryRun=true` was sent and ECS answered `DryRunOperation`.
    pub dry_run: bool,
}

/// A retry about to happen, so a screen can say "throttled; retrying in 2 s".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    pub action: String,
    /// The code of the failure being retried.
    pub code: String,
    /// The failed attempt's RequestId, when ECS answered at all.
    pub request_id: Option<String>,
    /// 1 for the first retry.
    pub retry: u32,
    pub max_retries: u32,
    pub wait: Duration,
}

/// Called before each retry's wait.
pub type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// A signed request, as it would go on the wire (for `--dry-run`).
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub method: HttpMethod,
    pub url: String,
    /// Every signed parameter plus `Signature`.
    pub params: Params,
}

#[derive(Clone)]
pub struct EcsClient {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    config: ClientConfig,
    /// Parsed once; every request goes to exactly this URL.
    url: reqwest::Url,
    /// Where Auto Scaling's requests go, parsed once too.
    ess_url: reqwest::Url,
    /// The API version every request of this client is signed with.
    version: &'static str,
    credentials: Credentials,
    http: reqwest::Client,
    /// Seconds to add to this host's clock so timestamps match the server's; learnt from
    /// the `Date` header when ECS answers `InvalidTimeStamp.Expired`.
    clock_offset: Arc<AtomicI64>,
    retry_observer: Option<RetryObserver>,
    /// ECS's per-minute rate, counted for the whole account (every region's client).
    budgets: Arc<paging::Budgets>,
}

impl std::fmt::Debug for EcsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcsClient")
            .field("region", &self.inner.config.region)
            .field("url", &self.inner.url)
            .finish_non_exhaustive()
    }
}

impl EcsClient {
    /// A client for one region. Fails on a region or an endpoint it refuses (see
    /// `endpoint`), or a TLS setup error; nothing is sent then.
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<EcsClient, ApiError> {
        let url = config.endpoint.url(&config.region)?;
        let ess_url = ess_url(&config, &config.region)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .user_agent(concat!("ecsimg/", env!("CARGO_PKG_VERSION")));
        if endpoint::is_loopback(&url) {
            // HTTPS_PROXY must not capture the simulator on this machine.
            builder = builder.no_proxy();
        }
        builder = super::tls::trust(builder, config.ca_bundle.as_ref(), url.scheme() == "http");
        let http = builder
            .build()
            .map_err(|e| ApiError::transport(format!("cannot set up HTTPS: {e}"), false))?;
        Ok(EcsClient {
            inner: Arc::new(Inner {
                config,
                url,
                ess_url,
                version: ECS_API_VERSION,
                credentials,
                http,
                clock_offset: Arc::new(AtomicI64::new(0)),
                retry_observer: None,
                budgets: Arc::default(),
            }),
        })
    }

    /// The same account and settings in another region.
    pub fn with_region(&self, region: &str) -> Result<EcsClient, ApiError> {
        let mut inner = (*self.inner).clone();
        inner.config.region = region.to_string();
        inner.url = inner.config.endpoint.url(region)?;
        inner.ess_url = ess_url(&inner.config, region)?;
        Ok(EcsClient {
            inner: Arc::new(inner),
        })
    }

    /// The same client with at most `retries` retries after the first attempt: a batch
    /// decides itself what to send again, each time through its rate limiter.
    pub fn with_max_retries(&self, retries: u32) -> EcsClient {
        let mut inner = (*self.inner).clone();
        inner.config.max_retries = retries;
        EcsClient {
            inner: Arc::new(inner),
        }
    }

    /// The same account, key, clock and retries, talking to Auto Scaling (ESS 2014-08-28).
    pub fn ess(&self) -> EssClient {
        let mut inner = (*self.inner).clone();
        inner.url = inner.ess_url.clone();
        inner.version = ESS_API_VERSION;
        EssClient::of(EcsClient {
            inner: Arc::new(inner),
        })
    }

    /// The same client, telling `observer` before each retry.
    pub fn with_retry_observer(&self, observer: RetryObserver) -> EcsClient {
        let mut inner = (*self.inner).clone();
        inner.retry_observer = Some(observer);
        EcsClient {
            inner: Arc::new(inner),
        }
    }

    pub fn region(&self) -> &str {
        &self.inner.config.region
    }

    /// The URL requests go to.
    pub fn endpoint_url(&self) -> &str {
        self.inner.url.as_str()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// Seconds this host's clock is ahead of the server's, once a skew was detected and
    /// corrected (so the screen can say "this host's clock is N minutes off").
    pub fn clock_skew_secs(&self) -> Option<i64> {
        let offset = self.inner.clock_offset.load(Ordering::Relaxed);
        (offset != 0).then_some(-offset)
    }

    pub async fn describe_regions(&self) -> Result<Vec<Region>, ApiError> {
        let mut params = Params::new();
        params.insert("AcceptLanguage".into(), accept_language());
        let r: RegionsResponse = self.call_as("DescribeRegions", params).await?;
        Ok(r.regions.region)
    }

    /// One page (1-based) of DescribeImages; each image knows the region it came from.
    pub async fn describe_images_page(
        &self,
        query: &ImageQuery,
        page: u32,
    ) -> Result<ImagePage, ApiError> {
        let mut page: ImagePage = self.call_as("DescribeImages", query.params(page)).await?;
        for image in &mut page.images.image {
            image.region_id = self.region().to_string();
        }
        Ok(page)
    }

    /// One image by ID, whatever its status; `None` when ECS does not know it.
    pub async fn describe_image(&self, image_id: &str) -> Result<Option<Image>, ApiError> {
        let query = ImageQuery {
            owner_alias: None,
            image_ids: vec![image_id.to_string()],
            statuses: ImageStatus::BROWSE.to_vec(),
            page_size: 10,
            ..ImageQuery::default()
        };
        let page = self.describe_images_page(&query, 1).await?;
        Ok(page
            .images
            .image
            .into_iter()
            .find(|i| i.image_id == image_id))
    }

    /// What `family` resolves to today: its newest Available image, or `None`.
    pub async fn describe_image_from_family(
        &self,
        family: &str,
    ) -> Result<Option<Image>, ApiError> {
        let mut params = Params::new();
        params.insert("ImageFamily".into(), family.to_string());
        let r: FamilyImageResponse = self.call_as("DescribeImageFromFamily", params).await?;
        let image = r
            .image()
            .map_err(|e| ApiError::decode(200, format!("DescribeImageFromFamily: {e}")))?;
        Ok(image.map(|mut i| {
            i.region_id = self.region().to_string();
            i
        }))
    }

    /// Sets the attributes in `attributes` (ModifyImageAttribute's parameters, only those
    /// that change) on `image_id`. See [`EcsClient::send_change`].
    pub async fn modify_image_attribute(
        &self,
        image_id: &str,
        mut attributes: Params,
        dry_run: bool,
    ) -> Result<ModifyOutcome, ApiError> {
        attributes.insert("ImageId".into(), image_id.to_string());
        self.send_change("ModifyImageAttribute", attributes, dry_run)
            .await
    }

    /// Sends an action that changes something and answers only a RequestId. With
    /// `dry_run`, ECS only checks the request and `DryRunOperation` counts as success.
    ///
    /// A failure that may have reached ECS (a timeout, a 5xx, an answer cut off or not
    /// readable) comes back with `ambiguous` set; what became of the change is for the
    /// caller to find out — the client does not re-read.
    pub async fn send_change(
        &self,
        action: &str,
        mut params: Params,
        dry_run: bool,
    ) -> Result<ModifyOutcome, ApiError> {
        if dry_run {
            params.insert("DryRun".into(), "true".into());
        }
        match self.call_as::<RequestIdOnly>(action, params).await {
            Ok(r) => Ok(ModifyOutcome {
                request_id: r.request_id,
                dry_run,
            }),
            Err(e) if dry_run && e.code == "DryRunOperation" => Ok(ModifyOutcome {
                request_id: e.request_id.unwrap_or_default(),
                dry_run: true,
            }),
            Err(e) => Err(e),
        }
    }

    /// Signs `params` for `action` as it would be sent now, without sending it.
    pub async fn prepare(&self, action: &str, params: Params) -> Result<PreparedRequest, ApiError> {
        check_params(&params)?;
        let key = self.access_key().await?;
        let method = self.inner.config.method;
        let params = self.signed(action, params, &key, method);
        Ok(PreparedRequest {
            method,
            url: self.inner.url.to_string(),
            params,
        })
    }

    /// Calls any RPC action of ECS and returns its JSON.
    pub async fn call(&self, action: &str, params: Params) -> Result<serde_json::Value, ApiError> {
        self.call_as(action, params).await
    }

    async fn call_as<T: DeserializeOwned>(
        &self,
        action: &str,
        params: Params,
    ) -> Result<T, ApiError> {
        let raw = self.send_with_retries(action, params).await?;
        let undecodable = |why: String| {
            let mut err = ApiError::decode(raw.status, format!("{action}: {why}"));
            // A success status means the server acted on the request, whatever the body.
            err.ambiguous |= (200..300).contains(&raw.status);
            err
        };
        // Every ECS answer is an object with a RequestId: `{}`, `[]` or a proxy's own JSON
        // would otherwise decode (every field has a default) as an empty page of images.
        if !limits::is_ecs_answer(&raw.body) {
            return Err(undecodable(
                "the answer is not an ECS answer (no RequestId in a JSON object)".to_string(),
            ));
        }
        serde_json::from_str(&raw.body)
            .map_err(|e| undecodable(format!("the answer is not the expected JSON ({e})")))
    }

    async fn access_key(&self) -> Result<AccessKey, ApiError> {
        self.inner.credentials.access_key().await.map_err(|e| {
            let mut err = ApiError::from_code("Credentials", &e.to_string(), None);
            err.kind = ErrorKind::Auth(AuthProblem::Key);
            err
        })
    }

    /// The request parameters with region, common parameters and the signature.
    fn signed(
        &self,
        action: &str,
        mut params: Params,
        key: &AccessKey,
        method: HttpMethod,
    ) -> Params {
        params
            .entry("RegionId".into())
            .or_insert_with(|| self.inner.config.region.clone());
        let timestamp = clock::timestamp(self.inner.clock_offset.load(Ordering::Relaxed));
        let nonce = sign::new_nonce();
        let common = sign::Common {
            action,
            version: self.inner.version,
            access_key_id: &key.id,
            security_token: key.security_token.as_ref().map(|t| t.expose()),
            timestamp: &timestamp,
            nonce: &nonce,
        };
        sign::sign_request(method.as_str(), &mut params, &common, key.secret.expose());
        params
    }
}

/// `zh-CN` for a Chinese locale, else `en-US`: the region names shown in the picker.
fn accept_language() -> String {
    let lang = std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    if lang.starts_with("zh") {
        "zh-CN"
    } else {
        "en-US"
    }
    .to_string()
}
