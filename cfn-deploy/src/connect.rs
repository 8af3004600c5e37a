//! Named profiles: a profile asked for by name must exist, and its
//! credentials are used even when the environment has others (a deploy to
//! the wrong account is worse than an error).

use crate::error::{Error, Result};
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

/// Checks that `profile` is defined in the shared config or credentials
/// file (`~/.aws/config`, `~/.aws/credentials`, or `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`), before any API call.
///
/// Errors: [`Error::UnknownProfile`] with the profiles that are defined.
pub(crate) async fn check_profile(profile: &str) -> Result<()> {
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await;
    let known: Vec<String> = match &set {
        Ok(set) => {
            if set.get_profile(profile).is_some() {
                return Ok(());
            }
            set.profiles().map(str::to_owned).collect()
        }
        // a missing file is no profile; an unreadable or malformed one is said
        Err(e) => {
            return Err(Error::UnknownProfile {
                profile: profile.to_owned(),
                known: format!("none: the files could not be read: {e}"),
            })
        }
    };
    Err(Error::UnknownProfile {
        profile: profile.to_owned(),
        known: if known.is_empty() {
            "none".into()
        } else {
            known.join(", ")
        },
    })
}

/// The credentials of exactly this profile (not the environment's).
pub(crate) fn profile_credentials(profile: &str) -> ProfileFileCredentialsProvider {
    ProfileFileCredentialsProvider::builder()
        .profile_name(profile)
        .build()
}
