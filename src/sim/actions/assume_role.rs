//! STS AssumeRole (2015-04-01): mints temporary credentials the simulator then accepts.

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::Ctx;
use crate::sim::clock::format_timestamp;
use crate::sim::reply::SimError;

const DEFAULT_DURATION: i64 = 3600;

pub fn run(ctx: &Ctx<'_>) -> Result<Value, SimError> {
    let arn = ctx.required("RoleArn")?;
    let (account, role) = parse_role_arn(arn).ok_or_else(|| {
        SimError::new(
            400,
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrongly formed.",
        )
    })?;
    let session = ctx.required("RoleSessionName")?;
    let session_ok = (2..=64).contains(&session.chars().count())
        && session
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_'));
    if !session_ok {
        return Err(SimError::new(
            400,
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrongly formed.",
        ));
    }
    let duration = match ctx.optional("DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|d| (900..=43_200).contains(d))
            .ok_or_else(|| {
                SimError::new(
                    400,
                    "InvalidParameter.DurationSeconds",
                    "The Min/Max value of DurationSeconds is 15min/12hr.",
                )
            })?,
    };
    if let Some(policy) = ctx.optional("Policy") {
        if !serde_json::from_str::<Value>(policy).is_ok_and(|v| v.is_object()) {
            return Err(SimError::new(
                400,
                "InvalidParameter.PolicyGrammar",
                "The parameter Policy has not passed grammar check.",
            ));
        }
    }

    let now = ctx.shared.clock.now_unix();
    let key = ctx.shared.keys.mint(now, duration);
    let expiration = OffsetDateTime::from_unix_timestamp(key.expires_at)
        .map(format_timestamp)
        .unwrap_or_default();
    let role_id: String = (0..17).map(|_| fastrand::digit(10)).collect();
    Ok(json!({
        "AssumedRoleUser": {
            "AssumedRoleId": format!("3{role_id}:{session}"),
            "Arn": format!("acs:ram::{account}:role/{role}/{session}"),
        },
        "Credentials": {
            "AccessKeyId": key.id,
            "AccessKeySecret": key.secret,
            "SecurityToken": key.token,
            "Expiration": expiration,
        },
    }))
}

/// `acs:ram::<account id>:role/<role name>` → (account id, role name).
fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("acs:ram::")?;
    let (account, role) = rest.split_once(':')?;
    let role = role
        .strip_prefix("role/")
        .or_else(|| role.strip_prefix("Role/"))?;
    let valid =
        !account.is_empty() && account.chars().all(|c| c.is_ascii_digit()) && !role.is_empty();
    valid.then_some((account, role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        assert_eq!(
            parse_role_arn("acs:ram::1234567890123456:role/ecs-admin"),
            Some(("1234567890123456", "ecs-admin"))
        );
        assert_eq!(parse_role_arn("acs:ram::abc:role/x"), None);
        assert_eq!(parse_role_arn("arn:aws:iam::1:role/x"), None);
        assert_eq!(parse_role_arn("acs:ram::1:role/"), None);
    }
}
