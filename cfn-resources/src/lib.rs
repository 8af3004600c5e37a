//! CloudFormation resource types (placeholder until the generator lands).
