//! A temporary key as a fetcher (EcsRamRole, RamRoleArn) hands it back: the key and when it
//! stops working. Below both fetchers and the cache in [`super::temporary`], so none of them
//! needs another to name what a fetch returns.

use time::OffsetDateTime;

use super::AccessKey;

pub(super) use crate::ecs::timefmt::{
    format_timestamp as rpc_timestamp, parse_timestamp as parse_expiration,
};

/// One fetched key and when it stops working.
pub(crate) struct Temporary {
    pub key: AccessKey,
    pub expiration: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sts_expiration_format() {
        let t = parse_expiration("2015-04-09T11:52:19Z").unwrap();
        assert_eq!(rpc_timestamp(t), "2015-04-09T11:52:19Z");
        assert!(parse_expiration("tomorrow").is_none());
    }
}
