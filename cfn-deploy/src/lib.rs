//! Deploys templates through the CloudFormation API (in progress).
