//! Retried calls, made visible: the SDK retries throttling, HTTP 5xx and
//! connection errors silently (six attempts, seconds of backoff). A
//! [`RetryLog`] interceptor on the CloudFormation and S3 clients tells a
//! [`RetryObserver`] before each retry which call is retried, which attempt
//! this is and what the previous attempt got.

use aws_sdk_cloudformation::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use aws_smithy_types::retry::RetryConfig;
use std::fmt;
use std::sync::Arc;

/// One retry, announced before the attempt is sent.
///
/// ```
/// let n = cfn_deploy::RetryNotice {
///     operation: "CreateChangeSet".into(),
///     attempt: 2,
///     max_attempts: 6,
///     previous: "HTTP 500: Internal Server Error".into(),
/// };
/// assert_eq!(
///     n.to_string(),
///     "retrying CreateChangeSet (attempt 2 of 6): HTTP 500: Internal Server Error"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// The API operation (`CreateChangeSet`, `PutObject`, ...).
    pub operation: String,
    /// The attempt about to be sent (2 for the first retry).
    pub attempt: u32,
    /// The most attempts the retry settings allow.
    pub max_attempts: u32,
    /// What the previous attempt got: `HTTP 500: ...`, an AWS error code
    /// and message, or the connection error.
    pub previous: String,
}

impl fmt::Display for RetryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "retrying {} (attempt {} of {}): {}",
            self.operation, self.attempt, self.max_attempts, self.previous
        )
    }
}

/// Receives a [`RetryNotice`] before each retry. Any
/// `Fn(&RetryNotice) + Send + Sync` closure makes one.
///
/// ```
/// let o = cfn_deploy::RetryObserver::new(|n| eprintln!("{n}"));
/// let opts = cfn_deploy::ConnectOptions::new().on_retry(o);
/// assert!(opts.on_retry.is_some());
/// ```
#[derive(Clone)]
pub struct RetryObserver(Arc<dyn Fn(&RetryNotice) + Send + Sync>);

impl RetryObserver {
    /// Wraps a closure.
    pub fn new(f: impl Fn(&RetryNotice) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }
    fn notify(&self, n: &RetryNotice) {
        (self.0)(n)
    }
}

impl fmt::Debug for RetryObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RetryObserver(..)")
    }
}

/// The SDK interceptor that reports retries to a [`RetryObserver`].
/// [`crate::Deployer::connect`] registers it on its CloudFormation and S3
/// clients when [`crate::ConnectOptions::on_retry`] is set; for a client
/// built by hand, add it with the config builder's `interceptor`.
#[derive(Debug, Clone)]
pub struct RetryLog {
    observer: RetryObserver,
    max_attempts: u32,
}

impl RetryLog {
    /// Reports to `observer`; `max_attempts` is said when the request's own
    /// retry settings are not known.
    pub fn new(observer: RetryObserver, max_attempts: u32) -> Self {
        Self {
            observer,
            max_attempts,
        }
    }
}

/// What the last attempt of this request got (kept in the request's config bag).
#[derive(Debug, Clone)]
struct LastAttempt(String);

impl Storable for LastAttempt {
    type Storer = StoreReplace<Self>;
}

impl Intercept for RetryLog {
    fn name(&self) -> &'static str {
        "cfn_deploy::RetryLog"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
        if attempt > 1 {
            self.observer.notify(&RetryNotice {
                operation: cfg
                    .load::<Metadata>()
                    .map_or_else(|| "a call".to_owned(), |m| m.name().to_owned()),
                attempt,
                max_attempts: cfg
                    .load::<RetryConfig>()
                    .map_or(self.max_attempts, |r| r.max_attempts()),
                previous: cfg
                    .load::<LastAttempt>()
                    .map_or_else(|| "failed".to_owned(), |l| l.0.clone()),
            });
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let outcome = match context.response() {
            Some(r) if r.status().is_success() => return Ok(()),
            Some(r) => describe_response(r.status().as_u16(), r.body().bytes()),
            None => match context.output_or_error() {
                Some(Err(e)) => crate::sdk_error::chain(e),
                _ => "no response".to_owned(),
            },
        };
        cfg.interceptor_state().store_put(LastAttempt(outcome));
        Ok(())
    }
}

/// `HTTP 500: Code: Message` from an AWS XML or JSON error body, or the
/// page title of an HTML one.
fn describe_response(status: u16, body: Option<&[u8]>) -> String {
    let text = body.map(String::from_utf8_lossy).unwrap_or_default();
    let mut s = format!("HTTP {status}");
    let code = between(&text, "<Code>", "</Code>").or_else(|| json_field(&text, "__type"));
    let message = between(&text, "<Message>", "</Message>")
        .or_else(|| json_field(&text, "message"))
        .or_else(|| json_field(&text, "Message"))
        .or_else(|| between(&text, "<title>", "</title>"));
    for part in [code, message].into_iter().flatten() {
        s.push_str(": ");
        s.push_str(part.trim());
    }
    s
}

pub(crate) fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len]).filter(|s| !s.trim().is_empty())
}

fn json_field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let rest = &text[text.find(&format!("\"{key}\""))? + key.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_xml_json_and_html_error_bodies() {
        let xml = b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>";
        assert_eq!(
            describe_response(400, Some(xml)),
            "HTTP 400: Throttling: Rate exceeded"
        );
        let html = b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>";
        assert_eq!(
            describe_response(500, Some(html)),
            "HTTP 500: 500 Internal Server Error"
        );
        let json = br#"{"__type": "ServiceUnavailable", "message": "try later"}"#;
        assert_eq!(
            describe_response(503, Some(json)),
            "HTTP 503: ServiceUnavailable: try later"
        );
        assert_eq!(describe_response(502, None), "HTTP 502");
    }
}
