//! What an RPC call answers: a JSON body with a status, or an error in the gateway's shape
//! (`RequestId`, `HostId`, `Code`, `Message`, `Recommend`).

use serde_json::{json, Value};

/// An error answer, with the HTTP status the spec gives for its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Extra response headers (`x-acs-retry-after` on throttling).
    pub headers: Vec<(&'static str, String)>,
}

impl SimError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> SimError {
        SimError {
            status,
            code: code.to_string(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// 400 `MissingParameter` naming `param`.
    pub fn missing(param: &str) -> SimError {
        SimError::new(
            400,
            "MissingParameter",
            format!("The input parameter \"{param}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// 400 `InvalidParameter` naming `param`.
    pub fn invalid(param: &str) -> SimError {
        SimError::new(
            400,
            "InvalidParameter",
            format!("The specified parameter \"{param}\" is not valid."),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> SimError {
        self.headers.push((name, value.into()));
        self
    }
}

/// The product an action belongs to: it names the `HostId` and the `Recommend` link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Ecs,
    Sts,
    Ess,
}

impl Product {
    pub fn host_id(self) -> &'static str {
        match self {
            Product::Ecs => "ecs.aliyuncs.com",
            Product::Sts => "sts.aliyuncs.com",
            Product::Ess => "ess.aliyuncs.com",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Product::Ecs => "Ecs",
            Product::Sts => "Sts",
            Product::Ess => "Ess",
        }
    }
}

/// One answer ready to be written: status, JSON body and extra headers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: 200,
            body,
            headers: Vec::new(),
        }
    }

    pub fn error(err: SimError, request_id: &str, product: Product) -> Reply {
        let recommend = format!(
            "https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={}",
            err.code,
            product.name(),
            request_id
        );
        Reply {
            status: err.status,
            body: json!({
                "RequestId": request_id,
                "HostId": product.host_id(),
                "Code": err.code,
                "Message": err.message,
                "Recommend": recommend,
            }),
            headers: err.headers,
        }
    }
}

/// A fresh RequestId in the gateway's format: `8-4-4-4-12` uppercase hex.
pub fn new_request_id() -> String {
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(fastrand::u32(..16), 16).unwrap_or('0'))
            .collect::<String>()
            .to_ascii_uppercase()
    };
    format!("{}-{}-{}-{}-{}", hex(8), hex(4), hex(4), hex(4), hex(12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_gateway_shape() {
        let reply = Reply::error(SimError::missing("RegionId"), "RID-1", Product::Ecs);
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body["Code"], "MissingParameter");
        assert_eq!(reply.body["HostId"], "ecs.aliyuncs.com");
        assert_eq!(
            reply.body["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=MissingParameter&product=Ecs&requestId=RID-1"
        );
        assert!(reply.body["Message"]
            .as_str()
            .unwrap()
            .contains("\"RegionId\""));
    }

    #[test]
    fn request_ids_look_like_the_gateway_s() {
        let id = new_request_id();
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
