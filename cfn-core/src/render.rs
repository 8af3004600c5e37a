//! Deterministic rendering to JSON (pretty and compact) and YAML.
//!
//! Sections render in CloudFormation's documented order; maps keep
//! insertion order; the same template gives the same bytes every time.
//! YAML output quotes every scalar a YAML 1.1 reader (PyYAML, cfn-lint)
//! would misread (`on`, `yes`, `2010-09-09`, `12:30`, `0777`) and uses the
//! long (`Fn::`) form of intrinsics, which every reader understands.

use crate::expr::{Expr, ExprMap};
use crate::parameter::Parameter;
use crate::resource::Resource;
use crate::template::{Output, Rule, Template};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Pretty-printed JSON (2-space indent, trailing newline).
    Json,
    /// JSON on one line.
    JsonCompact,
    /// YAML.
    Yaml,
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json | Format::JsonCompact => "json",
            Format::Yaml => "yaml",
        }
    }
}

struct Entries<'a, K, V>(&'a indexmap::IndexMap<K, V>);

impl<K: AsRef<str>, V: Serialize> Serialize for Entries<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k.as_ref(), v)?;
        }
        m.end()
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &self.format_version {
            m.serialize_entry("AWSTemplateFormatVersion", v)?;
        }
        if let Some(v) = &self.description {
            m.serialize_entry("Description", v)?;
        }
        if !self.metadata.is_empty() {
            m.serialize_entry("Metadata", &self.metadata)?;
        }
        if let Some(v) = &self.transform {
            m.serialize_entry("Transform", v)?;
        }
        if !self.globals.is_empty() {
            m.serialize_entry("Globals", &self.globals)?;
        }
        if !self.parameters.is_empty() {
            m.serialize_entry("Parameters", &Entries(&self.parameters))?;
        }
        if !self.rules.is_empty() {
            m.serialize_entry("Rules", &Entries(&self.rules))?;
        }
        if !self.mappings.is_empty() {
            m.serialize_entry("Mappings", &Entries(&self.mappings))?;
        }
        if !self.conditions.is_empty() {
            m.serialize_entry("Conditions", &Entries(&self.conditions))?;
        }
        m.serialize_entry("Resources", &Entries(&self.resources))?;
        if !self.outputs.is_empty() {
            m.serialize_entry("Outputs", &Entries(&self.outputs))?;
        }
        if !self.hooks.is_empty() {
            m.serialize_entry("Hooks", &self.hooks)?;
        }
        m.end()
    }
}

fn entry<M: SerializeMap, T: Serialize>(m: &mut M, k: &str, v: &Option<T>) -> Result<(), M::Error> {
    match v {
        Some(v) => m.serialize_entry(k, v),
        None => Ok(()),
    }
}

impl Serialize for Parameter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", &self.parameter_type.to_string())?;
        entry(&mut m, "Description", &self.description)?;
        entry(&mut m, "Default", &self.default)?;
        entry(&mut m, "AllowedValues", &self.allowed_values)?;
        entry(&mut m, "AllowedPattern", &self.allowed_pattern)?;
        entry(
            &mut m,
            "ConstraintDescription",
            &self.constraint_description,
        )?;
        entry(&mut m, "MinLength", &self.min_length)?;
        entry(&mut m, "MaxLength", &self.max_length)?;
        entry(&mut m, "MinValue", &self.min_value)?;
        entry(&mut m, "MaxValue", &self.max_value)?;
        entry(&mut m, "NoEcho", &self.no_echo)?;
        m.end()
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Type", &self.type_name)?;
        entry(&mut m, "Condition", &self.condition)?;
        if let Some(d) = &self.depends_on {
            if d.list_form {
                m.serialize_entry("DependsOn", &d.targets)?;
            } else if let Some(first) = d.targets.first() {
                m.serialize_entry("DependsOn", first)?;
            }
        }
        entry(&mut m, "DeletionPolicy", &self.deletion_policy)?;
        entry(&mut m, "UpdateReplacePolicy", &self.update_replace_policy)?;
        entry(&mut m, "CreationPolicy", &self.creation_policy)?;
        entry(&mut m, "UpdatePolicy", &self.update_policy)?;
        entry(&mut m, "Metadata", &self.metadata)?;
        entry(&mut m, "Version", &self.version)?;
        entry(&mut m, "IgnoreGlobals", &self.ignore_globals)?;
        entry(&mut m, "Properties", &self.properties)?;
        m.end()
    }
}

impl Serialize for Output {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        entry(&mut m, "Description", &self.description)?;
        entry(&mut m, "Condition", &self.condition)?;
        m.serialize_entry("Value", &self.value)?;
        if let Some(name) = &self.export {
            let mut e = ExprMap::new();
            e.insert("Name".into(), name.clone());
            m.serialize_entry("Export", &e)?;
        }
        m.end()
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        entry(&mut m, "RuleCondition", &self.condition)?;
        let assertions: Vec<ExprMap> = self
            .assertions
            .iter()
            .map(|a| {
                let mut e = ExprMap::new();
                e.insert("Assert".into(), a.assert.clone());
                if let Some(d) = &a.description {
                    e.insert("AssertDescription".into(), Expr::String(d.clone()));
                }
                e
            })
            .collect();
        m.serialize_entry("Assertions", &assertions)?;
        m.end()
    }
}

impl Template {
    /// Pretty JSON with a trailing newline: what the tools write to disk.
    pub fn to_json_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// JSON on one line, the smallest body for upload.
    pub fn to_json_compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// YAML (long-form intrinsics, YAML 1.1-safe quoting).
    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(self).unwrap_or_default()
    }

    /// Renders in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json_pretty(),
            Format::JsonCompact => self.to_json_compact(),
            Format::Yaml => self.to_yaml(),
        }
    }

    /// The template as a `serde_json::Value` (for tools and comparisons).
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
