//! An HTTP API (API Gateway v2) with Lambda routes and access logs.
//!
//! ```
//! use cfn_core::Template;
//! use cfn_patterns::http_api::{HttpApi, HttpApiProps};
//! use cfn_patterns::kms::{EncryptionKey, KeyProps, KeyUser};
//! use cfn_patterns::lambda::{Code, FunctionProps, LambdaFunction};
//! use cfn_patterns::Tags;
//! use cfn_resources::lambda::function::Runtime;
//! let (mut t, tags) = (Template::new(), Tags::new("shop", "dev"));
//! let key = EncryptionKey::new(&mut t, "Key", KeyProps::new("shop", &tags).user(KeyUser::CloudWatchLogs)).unwrap();
//! let code = Code::Inline("exports.handler = async () => ({ statusCode: 200 });".into());
//! let f = LambdaFunction::new(&mut t, "Items", &key, FunctionProps::new("items", Runtime::Nodejs22X, "index.handler", code, &tags)).unwrap();
//! let api = HttpApi::new(&mut t, "Api", &key, HttpApiProps::new("shop", &tags)).unwrap();
//! api.route(&mut t, "GetItem", "GET /items/{id}", &f).unwrap();
//! let json = t.synth(cfn_core::Format::Json).unwrap();
//! assert!(json.contains("${Api}/*/GET/items/*"));
//! ```

use crate::arns::ScopedArn;
use crate::kms::EncryptionKey;
use crate::lambda::LambdaFunction;
use crate::logs::encrypted_log_group;
use crate::tags::Tags;
use cfn_core::{fns, Error, ErrorKind, Handle, Result, Template, Value};
use cfn_resources::apigatewayv2::{stage, Api, Integration, Route, Stage};
use cfn_resources::lambda::Permission;
use cfn_resources::logs::LogGroup;
use indexmap::IndexMap;

/// Options of [`HttpApi`].
#[derive(Debug, Clone, PartialEq)]
pub struct HttpApiProps {
    /// The API's name (prefixed with the tags' prefix).
    pub name: String,
    /// Steady-state requests per second over all routes. Default 100.
    pub rate_limit: f64,
    /// Burst of requests over all routes. Default 200.
    pub burst_limit: i64,
    /// Days the access log group keeps logs. Default 90.
    pub access_log_retention_days: i64,
    /// Tags.
    pub tags: Tags,
}

impl HttpApiProps {
    /// An API `name` with the defaults above.
    pub fn new(name: &str, tags: &Tags) -> Self {
        HttpApiProps {
            name: name.to_owned(),
            rate_limit: 100.0,
            burst_limit: 200,
            access_log_retention_days: 90,
            tags: tags.clone(),
        }
    }
    /// Sets the throttling limits.
    pub fn throttle(mut self, rate_limit: f64, burst_limit: i64) -> Self {
        (self.rate_limit, self.burst_limit) = (rate_limit, burst_limit);
        self
    }
}

/// The JSON access-log line of every request.
pub const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}"#;

/// An HTTP API with its `$default` stage.
///
/// Defaults: protocol HTTP; the `$default` stage, deployed automatically on
/// every change; access logs of every request in JSON
/// ([`ACCESS_LOG_FORMAT`]) to `{id}AccessLogs`, encrypted with the key,
/// kept 90 days; throttling of 100 requests per second, bursts of 200;
/// routes without authorization unless you add an authorizer. Each route
/// has its own Lambda proxy integration (payload format 2.0) and its own
/// invoke permission, whose source ARN is the route's method and path on
/// this API.
pub struct HttpApi {
    /// The API.
    pub api: Handle<Api>,
    /// The `$default` stage.
    pub stage: Handle<Stage>,
    /// The access log group.
    pub access_logs: Handle<LogGroup>,
}

/// What [`HttpApi::route`] declares.
pub struct HttpRoute {
    /// The route.
    pub route: Handle<Route>,
    /// Its integration.
    pub integration: Handle<Integration>,
    /// The function's invoke permission.
    pub permission: Handle<Permission>,
}

impl HttpApi {
    /// Declares `{id}`, `{id}DefaultStage` and `{id}AccessLogs`. The key's
    /// policy must let CloudWatch Logs use it.
    pub fn new(
        t: &mut Template,
        id: &str,
        key: &EncryptionKey,
        props: HttpApiProps,
    ) -> Result<Self> {
        let tags = &props.tags;
        let tag_map = |name: &str| -> IndexMap<String, Value<String>> {
            tags.pairs(name, "api")
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect()
        };
        let api = t.add(
            id,
            Api::new()
                .name(format!("{}-{}", tags.prefix, props.name))
                .protocol_type("HTTP")
                .tags(tag_map(&props.name)),
        )?;
        let access_logs = encrypted_log_group(
            t,
            &format!("{id}AccessLogs"),
            key,
            props.access_log_retention_days,
            tags,
            "api",
        )?;
        let stage = t.add(
            &format!("{id}DefaultStage"),
            Stage::new(api.reference(), "$default")
                .auto_deploy(true)
                .access_log_settings(
                    stage::AccessLogSettings::new()
                        .destination_arn(access_logs.arn())
                        .format(ACCESS_LOG_FORMAT),
                )
                .default_route_settings(
                    stage::RouteSettings::new()
                        .throttling_rate_limit(props.rate_limit)
                        .throttling_burst_limit(props.burst_limit),
                )
                .tags(tag_map(&format!("{}-stage", props.name))),
        )?;
        Ok(HttpApi {
            api,
            stage,
            access_logs,
        })
    }

    /// The URL of the `$default` stage (`https://{api-id}.execute-api.{region}.amazonaws.com`).
    pub fn url(&self) -> Value<String> {
        self.api.api_endpoint()
    }

    /// Routes `route_key` (`GET /items/{id}`, `ANY /{proxy+}`,
    /// `$default`) to `function`: declares `{api}{name}Route`,
    /// `{api}{name}Integration` and `{api}{name}Permission`. The
    /// permission lets API Gateway invoke the function only for this
    /// method and path of this API (path parameters become `*`).
    pub fn route(
        &self,
        t: &mut Template,
        name: &str,
        route_key: &str,
        function: &LambdaFunction,
    ) -> Result<HttpRoute> {
        let id = self.api.id();
        let source = source_arn_path(route_key).ok_or_else(|| {
            Error::at(
                format!("Resources/{id}{name}Route/Properties/RouteKey"),
                ErrorKind::InvalidValue {
                    value: format!("{route_key:?}"),
                    hint: cfn_core::error::Hint::None,
                    reason: "a route key is `$default` or `METHOD /path` (`GET /items/{id}`)"
                        .into(),
                },
            )
        })?;
        let integration = t.add(
            &format!("{id}{name}Integration"),
            Integration::new(self.api.reference(), "AWS_PROXY")
                .integration_uri(Value::<String>::from(function.arn()))
                .payload_format_version("2.0"),
        )?;
        let route = t.add(
            &format!("{id}{name}Route"),
            Route::new(self.api.reference(), route_key)
                .target(fns::sub(format!("integrations/${{{}}}", integration.id()))),
        )?;
        let permission = t.add(
            &format!("{id}{name}Permission"),
            Permission::new(
                "lambda:InvokeFunction",
                function.arn(),
                "apigateway.amazonaws.com",
            )
            .source_arn(
                // the catalogue's format of an API's method and path
                ScopedArn::from_format(
                    "execute-api",
                    "execute-api-general",
                    &format!("${{{id}}}/*/{source}"),
                )?
                .arn()
                .clone(),
            ),
        )?;
        Ok(HttpRoute {
            route,
            integration,
            permission,
        })
    }
}

/// The `METHOD/path` part of an execute-api ARN for a route key: `ANY`
/// and path parameters become `*`; `$default` is `*/*`. `None` for a
/// malformed key.
fn source_arn_path(route_key: &str) -> Option<String> {
    if route_key == "$default" {
        return Some("*/*".into());
    }
    let (method, path) = route_key.split_once(' ')?;
    let method = match method {
        "ANY" => "*",
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" => method,
        _ => return None,
    };
    let path = path.strip_prefix('/')?;
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| if s.starts_with('{') { "*" } else { s })
        .collect();
    if segments.iter().any(|s| s.contains(['$', '{', '}', ' '])) {
        return None;
    }
    Some(format!("{method}/{}", segments.join("/")))
}

#[cfg(test)]
mod tests {
    use super::source_arn_path;

    #[test]
    fn source_arns_follow_the_route() {
        assert_eq!(source_arn_path("GET /items").as_deref(), Some("GET/items"));
        assert_eq!(
            source_arn_path("GET /items/{id}").as_deref(),
            Some("GET/items/*")
        );
        assert_eq!(source_arn_path("ANY /{proxy+}").as_deref(), Some("*/*"));
        assert_eq!(source_arn_path("$default").as_deref(), Some("*/*"));
        assert_eq!(source_arn_path("GET /").as_deref(), Some("GET/"));
        for bad in ["GET", "FETCH /x", "GET items", "GET /a b", "GET /${x}"] {
            assert_eq!(source_arn_path(bad), None, "{bad}");
        }
    }
}
