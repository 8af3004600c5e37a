//! Turning SDK errors into this crate's [`Error`], by kind and AWS code.

use crate::deploy::Deployer;
use crate::error::Error;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};

impl Deployer {
    /// Turns an SDK error into this crate's error, by kind and AWS code.
    pub(crate) fn api_error<E>(
        &self,
        operation: &'static str,
        stack: &str,
        err: SdkError<E, aws_sdk_cloudformation::config::http::HttpResponse>,
    ) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let detail = chain(&err);
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                if detail.contains("credentials") || detail.contains("identity") {
                    return Error::NoCredentials { detail };
                }
                return Error::Unreachable {
                    operation,
                    endpoint: self.endpoint.clone(),
                    detail,
                };
            }
            SdkError::ConstructionFailure(_) => {
                if detail.contains("credentials") || detail.contains("identity") {
                    return Error::NoCredentials { detail };
                }
                return Error::Api {
                    operation,
                    code: "request".into(),
                    message: detail,
                };
            }
            _ => {}
        }
        let raw = match &err {
            SdkError::ServiceError(ctx) => Some(ctx.raw()),
            SdkError::ResponseError(ctx) => Some(ctx.raw()),
            _ => None,
        };
        let status = raw.map(|r| r.status().as_u16());
        // an error body the SDK could not read (moto's auth errors wrap
        // `<Error>` in `<Errors>`): its code and message, read plainly
        let body = raw
            .and_then(|r| r.body().bytes())
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let code = err
            .code()
            .map(str::to_owned)
            .or_else(|| crate::retry_log::between(&body, "<Code>", "</Code>").map(str::to_owned));
        let message = err
            .message()
            .map(str::to_owned)
            .or_else(|| {
                crate::retry_log::between(&body, "<Message>", "</Message>").map(str::to_owned)
            })
            .unwrap_or_else(|| detail.clone());
        classify(operation, stack, code, status, message, self.max_attempts)
    }
}

/// Maps an API error by its code and message. Kept apart to be unit-tested.
fn classify(
    operation: &'static str,
    stack: &str,
    code: Option<String>,
    status: Option<u16>,
    message: String,
    attempts: u32,
) -> Error {
    let stack = stack.to_owned();
    let code_str = code.as_deref().unwrap_or("");
    match code_str {
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "RequestThrottled" => {
            return Error::Throttled {
                operation,
                attempts,
                message,
            }
        }
        "AccessDenied"
        | "AccessDeniedException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "UnrecognizedClientException"
        | "MissingAuthenticationToken"
        | "IncompleteSignature"
        | "AuthFailure" => {
            return Error::AccessDenied {
                operation,
                code: code_str.to_owned(),
                message,
            }
        }
        "InsufficientCapabilitiesException" => {
            return Error::MissingCapabilities { stack, message }
        }
        // refused for who is asking, whatever the code says
        "" if matches!(status, Some(401 | 403)) => {
            return Error::AccessDenied {
                operation,
                code: format!("HTTP {}", status.unwrap_or(403)),
                message,
            }
        }
        _ => {}
    }
    if operation == "ValidateTemplate" && code_str == "ValidationError" {
        // (moto wraps cfn-lint's message in "Stack with id ... does not exist".)
        return Error::InvalidTemplate { stack, message };
    }
    if message.starts_with("Stack with id ") && message.ends_with(" does not exist") {
        return Error::StackNotFound { stack };
    }
    if message.contains("Requires capabilities") {
        return Error::MissingCapabilities { stack, message };
    }
    if message.contains("Template format error") || message.contains("Template error") {
        return Error::InvalidTemplate { stack, message };
    }
    if message.contains("TerminationProtection is enabled") {
        return Error::TerminationProtected { stack };
    }
    Error::Api {
        operation,
        code: code.unwrap_or_else(|| match status {
            Some(s) => format!("HTTP {s}"),
            None => "unknown".into(),
        }),
        message,
    }
}

pub(crate) fn change_set_failure(stack: &str, reason: String) -> Error {
    if reason.contains("Template format error") || reason.contains("Template error") {
        Error::InvalidTemplate {
            stack: stack.to_owned(),
            message: reason,
        }
    } else if reason.contains("Requires capabilities") {
        Error::MissingCapabilities {
            stack: stack.to_owned(),
            message: reason,
        }
    } else {
        Error::ChangeSetFailed {
            stack: stack.to_owned(),
            reason,
        }
    }
}

/// An error and its causes, `: `-joined, each said once.
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !t.is_empty() && !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_api_errors() {
        let c = |code: &str, msg: &str| {
            classify(
                "CreateChangeSet",
                "s",
                Some(code.into()),
                Some(400),
                msg.into(),
                6,
            )
        };
        assert!(matches!(
            c("Throttling", "Rate exceeded"),
            Error::Throttled { attempts: 6, .. }
        ));
        assert!(matches!(
            c("ExpiredToken", "expired"),
            Error::AccessDenied { .. }
        ));
        assert!(matches!(
            c("ValidationError", "Stack with id s does not exist"),
            Error::StackNotFound { .. }
        ));
        assert!(matches!(
            c(
                "InsufficientCapabilitiesException",
                "Requires capabilities : [CAPABILITY_IAM]"
            ),
            Error::MissingCapabilities { .. }
        ));
        assert!(matches!(
            c(
                "ValidationError",
                "Template format error: Unresolved resource dependencies [X]"
            ),
            Error::InvalidTemplate { .. }
        ));
        assert!(matches!(
            c(
                "ValidationError",
                "Stack [s] cannot be deleted while TerminationProtection is enabled"
            ),
            Error::TerminationProtected { .. }
        ));
        assert!(matches!(
            classify(
                "ValidateTemplate",
                "s",
                Some("ValidationError".into()),
                Some(400),
                "Unresolved resource dependencies".into(),
                6
            ),
            Error::InvalidTemplate { .. }
        ));
        let e = classify("GetTemplate", "s", None, Some(403), "no".into(), 6);
        assert_eq!(e.to_string(), "GetTemplate was denied: HTTP 403: no; check that the credentials are valid and not expired, and that they allow cloudformation:GetTemplate");
        let e = classify("GetTemplate", "s", None, Some(500), "boom".into(), 6);
        assert_eq!(e.to_string(), "GetTemplate failed: HTTP 500: boom");
        let e = c("Throttling", "Rate exceeded");
        assert_eq!(e.to_string(), "CloudFormation throttled CreateChangeSet after 6 attempts (Rate exceeded); wait a minute and try again, or raise the retry attempts");
    }

    #[test]
    fn change_set_failures_are_classified() {
        assert!(matches!(
            change_set_failure("s", "Template format error: bad".into()),
            Error::InvalidTemplate { .. }
        ));
        assert!(matches!(
            change_set_failure("s", "Something else".into()),
            Error::ChangeSetFailed { .. }
        ));
    }
}
