//! Auto Scaling (ESS, version 2014-08-28): where its requests go, and the two reads usage
//! needs — every scaling group and every scaling configuration of the region.
//!
//! ESS has no `ess.<region>` host for the mainland core regions: those are served by the
//! central `ess.aliyuncs.com` (the regions the endpoint docs list); every other region by
//! `ess.<region>.aliyuncs.com`, and from a VPC by `ess-vpc.<region>.aliyuncs.com`. A custom
//! ECS endpoint (a simulator, a gateway) serves Auto Scaling too unless `--ess-endpoint`
//! names another: a signed request never goes to a public host the person did not name.

use reqwest::Url;

use super::endpoint::Endpoint;
use super::{ClientConfig, EcsClient};
use crate::ecs::error::{ApiError, ErrorKind};
use crate::ecs::model::{
    ScalingConfiguration, ScalingConfigurationPage, ScalingGroup, ScalingGroupPage,
};
use crate::ecs::sign::Params;

/// The regions Auto Scaling serves from `ess.aliyuncs.com` (its endpoint docs, 2026).
pub const CENTRAL_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-nanjing",
];

/// ESS pages hold at most 50.
const PAGE_SIZE: u64 = 50;

/// Where Auto Scaling's requests for `region` go, for `config`.
pub fn ess_url(config: &ClientConfig, region: &str) -> Result<Url, ApiError> {
    let named = |raw: &str| {
        Endpoint::Custom(raw.to_string())
            .url(region)
            .map_err(|mut e| {
                if e.field() == Some("endpoint") {
                    e.kind = ErrorKind::InvalidInput {
                        field: Some("ess_endpoint".into()),
                    };
                    e.message =
                        format!("the Auto Scaling endpoint (--ess-endpoint): {}", e.message);
                }
                e
            })
    };
    if let Some(raw) = &config.ess_endpoint {
        return named(raw);
    }
    // The region is checked before it becomes part of a host name.
    Endpoint::Public.url(region)?;
    let fixed = |text: String| {
        Url::parse(&text).map_err(|e| ApiError::from_code("InvalidRegion", &e.to_string(), None))
    };
    match &config.endpoint {
        Endpoint::Public if CENTRAL_REGIONS.contains(&region) => {
            fixed("https://ess.aliyuncs.com/".to_string())
        }
        Endpoint::Public => fixed(format!("https://ess.{region}.aliyuncs.com/")),
        Endpoint::Vpc => fixed(format!("https://ess-vpc.{region}.aliyuncs.com/")),
        Endpoint::Custom(_) => config.endpoint.url(region),
    }
}

/// The Auto Scaling reads. Made by [`EcsClient::ess`]; it shares that client's key, clock
/// correction, retries and answer cap.
#[derive(Debug, Clone)]
pub struct EssClient {
    client: EcsClient,
}

impl EssClient {
    pub(super) fn of(client: EcsClient) -> EssClient {
        EssClient { client }
    }

    /// The URL Auto Scaling's requests go to.
    pub fn endpoint_url(&self) -> &str {
        self.client.endpoint_url()
    }

    /// Every scaling group of the region (ECS groups: ECI groups launch no images).
    pub async fn describe_scaling_groups(&self) -> Result<Vec<ScalingGroup>, ApiError> {
        let mut params = Params::new();
        params.insert("GroupType".into(), "ECS".into());
        self.client
            .all_pages::<ScalingGroupPage>("DescribeScalingGroups", params, PAGE_SIZE)
            .await
    }

    /// Every scaling configuration of the region, Active and Inactive: no
    /// `ScalingGroupId`, so one listing covers every group.
    pub async fn describe_scaling_configurations(
        &self,
    ) -> Result<Vec<ScalingConfiguration>, ApiError> {
        self.client
            .all_pages::<ScalingConfigurationPage>(
                "DescribeScalingConfigurations",
                Params::new(),
                PAGE_SIZE,
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(endpoint: Endpoint, ess: Option<&str>, region: &str) -> Result<String, ApiError> {
        let config = ClientConfig {
            ess_endpoint: ess.map(str::to_string),
            ..ClientConfig::new(region, endpoint)
        };
        ess_url(&config, region).map(String::from)
    }

    #[test]
    fn the_core_regions_use_the_central_host_the_rest_their_own() {
        assert_eq!(
            url(Endpoint::Public, None, "cn-hangzhou").unwrap(),
            "https://ess.aliyuncs.com/"
        );
        assert_eq!(
            url(Endpoint::Public, None, "cn-zhangjiakou").unwrap(),
            "https://ess.cn-zhangjiakou.aliyuncs.com/"
        );
        assert_eq!(
            url(Endpoint::Vpc, None, "cn-hangzhou").unwrap(),
            "https://ess-vpc.cn-hangzhou.aliyuncs.com/"
        );
    }

    #[test]
    fn a_custom_endpoint_serves_auto_scaling_unless_another_is_named() {
        let sim = Endpoint::Custom("http://127.0.0.1:8080".into());
        assert_eq!(
            url(sim.clone(), None, "cn-hangzhou").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            url(sim, Some("https://ess.example.com/gw"), "cn-hangzhou").unwrap(),
            "https://ess.example.com/gw/"
        );
        let err = url(Endpoint::Public, Some("http://10.0.0.1/"), "cn-hangzhou").unwrap_err();
        assert_eq!(err.field(), Some("ess_endpoint"));
        assert!(err.message.contains("--ess-endpoint"), "{err}");
        assert!(url(Endpoint::Public, None, "x.evil/#").is_err());
    }
}
