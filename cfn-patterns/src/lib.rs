//! Hand-written patterns with secure defaults, over the generated resource
//! types of `cfn-resources`. Patterns take objects (`&Network`,
//! `&EncryptionKey`), not raw ids, and document every default.

#![warn(missing_docs)]

pub mod alarms;
pub mod alb;
pub mod arns;
pub mod aurora;
pub mod codedeploy;
pub mod compute;
pub mod database;
pub mod dynamodb;
pub mod grants;
pub mod http_api;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod network;
pub mod queue;
pub mod secrets;
pub mod storage;
pub mod tags;

pub use tags::Tags;
