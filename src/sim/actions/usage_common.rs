//! What the usage reads share: page parameters with each API's cap, `Name.N` lists, the
//! `Forbidden.RAM` answer, and Auto Scaling's two list shapes.

use serde_json::{json, Value};

use super::describe_images::number;
use super::Ctx;
use crate::ecs::ESS_API_VERSION;
use crate::sim::reply::SimError;

/// What a page size above the cap gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverCap {
    /// Served at the cap (the launch template APIs: their maximum is not documented).
    Clamp,
    /// 400 `InvalidParameter` (documented maxima: Auto Scaling's 50, shares' 100).
    Refuse,
}

/// `(PageNumber, PageSize)`, 1-based, default size `default`, at most `cap`.
pub fn page(ctx: &Ctx<'_>, default: u64, cap: u64, over: OverCap) -> Result<(u64, u64), SimError> {
    let page_number = number(ctx, "PageNumber", 1, 1..=u32::MAX as u64)?;
    let size = number(ctx, "PageSize", default, 1..=u64::MAX)?;
    let size = match (size > cap, over) {
        (false, _) => size,
        (true, OverCap::Clamp) => cap,
        (true, OverCap::Refuse) => return Err(SimError::invalid("PageSize")),
    };
    Ok((page_number, size))
}

/// The items of page `number` of `size`.
pub fn slice<T: Clone>(items: &[T], number: u64, size: u64) -> Vec<T> {
    items
        .iter()
        .skip((number.saturating_sub(1)).saturating_mul(size) as usize)
        .take(size as usize)
        .cloned()
        .collect()
}

/// `Name.1`, `Name.2`, … as the request has them.
pub fn repeated(ctx: &Ctx<'_>, name: &str) -> Vec<String> {
    (1..=100)
        .map_while(|n| ctx.optional(&format!("{name}.{n}")).map(str::to_string))
        .collect()
}

/// What a RAM identity without permission for `action` is answered.
pub fn forbidden() -> SimError {
    SimError::new(
        403,
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    )
}

/// Auto Scaling 2014-08-28 wraps lists (`{"ScalingGroup": [...]}`); 2022-02-22 sends them
/// bare.
pub fn ess_list(ctx: &Ctx<'_>, member: &str, items: Vec<Value>) -> Value {
    if ctx.params.get("Version").map(String::as_str) == Some(ESS_API_VERSION) {
        json!({ member: items })
    } else {
        Value::Array(items)
    }
}
