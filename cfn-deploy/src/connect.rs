//! Connecting: [`ConnectOptions`] and [`Deployer::connect`] (region,
//! credentials, retries, timeouts). Named profiles: a profile asked for by
//! name must exist, and its credentials are used even when the environment
//! has others (a deploy to the wrong account is worse than an error).

use crate::deploy::Deployer;
use crate::error::{Error, Result};
use crate::sdk_error::chain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_sdk_cloudformation::config::ProvideCredentials;
use aws_sdk_cloudformation::Client;
use aws_types::os_shim_internal::{Env, Fs};
use std::sync::Arc;
use std::time::Duration;

/// How to reach CloudFormation. Everything unset comes from the environment
/// and the shared config files, as with the AWS CLI.
///
/// ```
/// let opts = cfn_deploy::ConnectOptions::new()
///     .region("eu-west-1")
///     .endpoint_url("http://127.0.0.1:5000");
/// assert_eq!(opts.region.as_deref(), Some("eu-west-1"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// Region (`--region`); else `AWS_REGION` or the profile's.
    pub region: Option<String>,
    /// Endpoint URL (`--endpoint-url`), e.g. a local moto server.
    pub endpoint_url: Option<String>,
    /// Named profile; else `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// Attempts per API call, with exponential backoff and jitter on
    /// throttling and transient errors (default 6).
    pub max_attempts: u32,
    /// Timeout to connect to the endpoint (default 10 s).
    pub connect_timeout: Duration,
    /// Timeout of one attempt of one API call (default 60 s).
    pub attempt_timeout: Duration,
    /// Told before each retried call (the SDK retries silently otherwise):
    /// a [`crate::RetryLog`] is registered on the CloudFormation and S3
    /// clients. `None` (default): retries are not reported.
    pub on_retry: Option<crate::RetryObserver>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            region: None,
            endpoint_url: None,
            profile: None,
            max_attempts: 6,
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(60),
            on_retry: None,
        }
    }
}

impl ConnectOptions {
    /// Defaults: everything from the environment.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// Sets the endpoint URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }
    /// Sets the named profile.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }
    /// Sets the attempts per API call (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }
    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }
    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, t: Duration) -> Self {
        self.attempt_timeout = t;
        self
    }
    /// Reports each retried call to `observer` (`--verbose`).
    pub fn on_retry(mut self, observer: crate::RetryObserver) -> Self {
        self.on_retry = Some(observer);
        self
    }
}

impl Deployer {
    /// Loads the AWS configuration (environment, shared files, options),
    /// checks that a region and credentials are there, and builds a client
    /// with standard retries (exponential backoff with jitter).
    ///
    /// Errors: [`Error::NoRegion`], [`Error::NoCredentials`].
    pub async fn connect(opts: &ConnectOptions) -> Result<Self> {
        let retry = RetryConfig::standard()
            .with_max_attempts(opts.max_attempts.max(1))
            .with_initial_backoff(Duration::from_millis(500))
            .with_max_backoff(Duration::from_secs(20));
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(opts.connect_timeout)
            .operation_attempt_timeout(opts.attempt_timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry)
            .timeout_config(timeouts);
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u.clone());
        }
        if let Some(p) = &opts.profile {
            crate::connect::check_profile(p).await?;
            loader = loader
                .profile_name(p.clone())
                .credentials_provider(crate::connect::profile_credentials(p));
        }
        let config = loader.load().await;
        let region = config.region().ok_or(Error::NoRegion)?.to_string();
        let provider = config.credentials_provider().ok_or(Error::NoCredentials {
            detail: "no credentials provider is configured".into(),
        })?;
        provider
            .provide_credentials()
            .await
            .map_err(|e| Error::NoCredentials { detail: chain(&e) })?;
        let endpoint = opts
            .endpoint_url
            .clone()
            .unwrap_or_else(|| format!("https://cloudformation.{region}.amazonaws.com"));
        let retry_log = opts
            .on_retry
            .clone()
            .map(|o| crate::RetryLog::new(o, opts.max_attempts.max(1)));
        let mut cfn = aws_sdk_cloudformation::config::Builder::from(&config);
        if let Some(log) = &retry_log {
            cfn = cfn.interceptor(log.clone());
        }
        let mut d = Self::from_client(Client::from_conf(cfn.build()));
        d.endpoint = endpoint;
        d.max_attempts = opts.max_attempts.max(1);
        d.staging = Some(Arc::new(crate::stage::Staging::from_config(
            &config,
            opts.endpoint_url.as_deref(),
            &region,
            retry_log,
        )));
        Ok(d)
    }
}

/// Checks that `profile` is defined in the shared config or credentials
/// file (`~/.aws/config`, `~/.aws/credentials`, or `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`), before any API call.
///
/// Errors: [`Error::UnknownProfile`] with the profiles that are defined.
pub(crate) async fn check_profile(profile: &str) -> Result<()> {
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await;
    match set {
        Ok(set) if set.get_profile(profile).is_some() => Ok(()),
        Ok(set) => Err(Error::UnknownProfile {
            profile: profile.to_owned(),
            known: set.profiles().map(str::to_owned).collect(),
            unreadable: None,
        }),
        // a missing file is no profile; an unreadable or malformed one is said
        Err(e) => Err(Error::UnknownProfile {
            profile: profile.to_owned(),
            known: Vec::new(),
            unreadable: Some(e),
        }),
    }
}

/// The credentials of exactly this profile (not the environment's).
pub(crate) fn profile_credentials(profile: &str) -> ProfileFileCredentialsProvider {
    ProfileFileCredentialsProvider::builder()
        .profile_name(profile)
        .build()
}
