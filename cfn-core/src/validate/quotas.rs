//! CloudFormation's quotas: counts, mapping attributes, description,
//! dynamic references and the template body size.

use super::context::Ctx;
use super::{limits, SizeReport};
use crate::error::ErrorKind;
use crate::expr::Expr;
use crate::fns::count_dynamic_references;

/// The number of resources, parameters, outputs and mappings.
pub(super) fn check_counts(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let fix_split = "split the stack into nested stacks or separate stacks";
    for (what, count, limit, fix) in [
        ("resources", t.resources.len(), limits::RESOURCES, fix_split),
        (
            "parameters",
            t.parameters.len(),
            limits::PARAMETERS,
            "group settings into mappings or fewer parameters",
        ),
        (
            "outputs",
            t.outputs.len(),
            limits::OUTPUTS,
            "remove outputs no other stack needs",
        ),
        (
            "mappings",
            t.mappings.len(),
            limits::MAPPINGS,
            "merge mappings",
        ),
    ] {
        if count > limit {
            ctx.error(
                what_section(what),
                ErrorKind::LimitExceeded {
                    what: format!("number of {what}"),
                    count,
                    limit,
                    fix: fix.into(),
                },
            );
        }
    }
}

/// The attributes of each mapping.
pub(super) fn check_mapping_attributes(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    for (id, m) in &t.mappings {
        let attrs = m
            .values()
            .map(|inner| inner.len())
            .max()
            .unwrap_or(0)
            .max(m.len());
        if attrs > limits::MAPPING_ATTRIBUTES {
            ctx.error(
                format!("Mappings/{id}"),
                ErrorKind::LimitExceeded {
                    what: format!("attributes of mapping `{id}`"),
                    count: attrs,
                    limit: limits::MAPPING_ATTRIBUTES,
                    fix: "split the mapping in two".into(),
                },
            );
        }
    }
}

/// The description's length.
pub(super) fn check_description(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    if let Some(d) = &t.description {
        if d.len() > limits::DESCRIPTION_BYTES {
            ctx.error(
                "Description",
                ErrorKind::LimitExceeded {
                    what: "description bytes".into(),
                    count: d.len(),
                    limit: limits::DESCRIPTION_BYTES,
                    fix: "shorten the description".into(),
                },
            );
        }
    }
}

/// The number of dynamic references in resource properties and outputs.
pub(super) fn check_dynamic_references(ctx: &mut Ctx<'_>) {
    let t = ctx.t;
    let dynamic: usize = t
        .resources
        .values()
        .flat_map(|r| r.properties.iter().flat_map(|m| m.values()))
        .chain(t.outputs.values().map(|o| &o.value))
        .map(count_dynamic)
        .sum();
    if dynamic > limits::DYNAMIC_REFERENCES {
        ctx.error(
            "Resources",
            ErrorKind::LimitExceeded {
                what: "dynamic references".into(),
                count: dynamic,
                limit: limits::DYNAMIC_REFERENCES,
                fix:
                    "resolve several values from one secret (JSON keys) or pass them as parameters"
                        .into(),
            },
        );
    }
}

/// The rendered size against the direct-upload and S3 body limits.
pub(super) fn check_size(ctx: &mut Ctx<'_>) -> SizeReport {
    let t = ctx.t;
    let compact_bytes = rendered_len(t, false);
    let size = SizeReport {
        json_bytes: rendered_len(t, true),
        compact_bytes,
    };
    if compact_bytes > limits::S3_BODY_BYTES {
        ctx.error(
            "",
            ErrorKind::TemplateTooLarge {
                bytes: compact_bytes,
                limit: limits::S3_BODY_BYTES,
                path: "an S3 template URL".into(),
                fix: "split the stack into nested stacks".into(),
            },
        );
    } else if compact_bytes > limits::DIRECT_BODY_BYTES {
        ctx.warn(
            "",
            ErrorKind::TemplateTooLarge {
                bytes: compact_bytes,
                limit: limits::DIRECT_BODY_BYTES,
                path: "direct upload".into(),
                fix: "deploy it from S3 (a template URL), which allows 1,000,000 bytes".into(),
            },
        );
    }
    size
}

/// The length of `to_json_pretty` (`pretty`) or `to_json_compact`, counted
/// as the JSON is written instead of rendered into a string: for 100,000
/// resources the pretty string alone grows to 32 MiB.
fn rendered_len(t: &crate::template::Template, pretty: bool) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let ok = if pretty {
        serde_json::to_writer_pretty(&mut c, t).is_ok()
    } else {
        serde_json::to_writer(&mut c, t).is_ok()
    };
    // as the renderers: an empty string on failure; pretty ends with a newline
    let n = if ok { c.0 } else { 0 };
    n + usize::from(pretty)
}

fn count_dynamic(e: &Expr) -> usize {
    let mut n = 0;
    e.walk(&mut |x| {
        if let Expr::String(s) = x {
            n += count_dynamic_references(s);
        }
    });
    n
}

fn what_section(what: &str) -> &'static str {
    match what {
        "resources" => "Resources",
        "parameters" => "Parameters",
        "outputs" => "Outputs",
        _ => "Mappings",
    }
}
