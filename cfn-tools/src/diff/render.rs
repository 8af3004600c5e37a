//! Rendering a diff: text for a terminal, Markdown for a pull request,
//! JSON for machines.

use super::*;
use std::fmt::Write as _;

/// A value for one line: strings and numbers whole (a tag's value is read
/// in full), lists and maps cut at 120 characters.
fn short(v: &Option<Json>) -> String {
    match v {
        None => "(none)".into(),
        Some(v @ (Json::String(_) | Json::Number(_) | Json::Bool(_) | Json::Null)) => {
            serde_json::to_string(v).unwrap_or_default()
        }
        Some(v) => {
            let s = serde_json::to_string(v).unwrap_or_default();
            if s.chars().count() > 120 {
                format!("{}…", s.chars().take(119).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// The non-empty entry sections, titled, in rendering order.
fn entry_sections(d: &TemplateDiff) -> impl Iterator<Item = (&'static str, &Vec<EntryChange>)> {
    [
        ("Parameters", &d.parameters),
        ("Outputs", &d.outputs),
        ("Exports", &d.exports),
        ("Other sections", &d.other),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
}

/// What happens to a resource whose data is at risk.
fn risk_verb(r: &ResourceDiff) -> &'static str {
    if r.kind == ChangeKind::Removed {
        "deleted"
    } else if r.impact == Impact::Replacement {
        "replaced"
    } else {
        "possibly replaced"
    }
}

/// The old and new text of a change; a reference whose text is the same
/// but whose target is replaced says so.
fn change_text(r: &ResourceDiff, c: &PropertyChange) -> (String, String) {
    let from = short(&c.old);
    match &r.replaced_because {
        Some(cause) if c.old == c.new => (from, format!("the new {cause}")),
        _ => (from, short(&c.new)),
    }
}

/// Plain or ANSI-colored text for a terminal.
pub fn render_text(d: &TemplateDiff, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let mark = |k: ChangeKind| match k {
        ChangeKind::Added => paint("32", "[+]"),
        ChangeKind::Removed => paint("31", "[-]"),
        ChangeKind::Modified => paint("33", "[~]"),
    };
    let mut out = String::new();
    if d.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for r in d.data_at_risk() {
        let verb = match risk_verb(r) {
            "possibly replaced" => "possibly be replaced".to_owned(),
            v => format!("be {v}"),
        };
        let kept = if r.retained {
            " (the old one is retained, but the stack would point at a new, empty one)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}",
            paint(
                "1;31",
                &format!(
                    "!!! DATA AT RISK: {} ({}) would {verb}{kept}",
                    r.id, r.type_name
                )
            )
        );
    }
    if !d.resources.is_empty() {
        out.push_str("Resources\n");
        for r in &d.resources {
            let impact = if r.kind == ChangeKind::Modified {
                let l = r.impact.label();
                format!(
                    " {}",
                    if r.impact == Impact::Replacement {
                        paint("1;31", l)
                    } else {
                        l.to_owned()
                    }
                )
            } else {
                String::new()
            };
            let because = match &r.replaced_because {
                Some(c) => format!(" because {c} is replaced"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "{} {} ({}){impact}{because}",
                mark(r.kind),
                r.id,
                r.type_name
            );
            for c in &r.changes {
                let (from, to) = change_text(r, c);
                let _ = writeln!(
                    out,
                    "      {}: {from} -> {to} ({})",
                    c.path,
                    c.impact.label()
                );
            }
        }
    }
    for (title, list) in entry_sections(d) {
        let _ = writeln!(out, "{title}");
        for e in list.iter() {
            let _ = writeln!(
                out,
                "{} {}: {} -> {}",
                mark(e.kind),
                e.name,
                short(&e.old),
                short(&e.new)
            );
        }
    }
    if !d.iam.is_empty() {
        out.push_str("IAM statement changes\n");
        for s in &d.iam {
            let _ = writeln!(
                out,
                "{} {}: {} {} on {} principal {} condition {}",
                mark(s.kind),
                s.resource,
                s.effect,
                s.action,
                s.target,
                or_dash(&s.principal),
                or_dash(&s.condition)
            );
        }
    }
    if !d.security_groups.is_empty() {
        out.push_str("Security group rule changes\n");
        for s in &d.security_groups {
            let _ = writeln!(
                out,
                "{} {}: {} {} {} {}",
                mark(s.kind),
                s.resource,
                s.direction,
                s.protocol,
                s.ports,
                s.peer
            );
        }
    }
    out
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for a pull-request comment.
pub fn render_markdown(d: &TemplateDiff, title: &str) -> String {
    let mut out = format!("### {title}\n\n");
    if d.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for r in d.data_at_risk() {
        let verb = risk_verb(r);
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> **{}** (`{}`) holds data and would be **{verb}**.\n",
            r.id, r.type_name
        );
    }
    if !d.resources.is_empty() {
        out.push_str("| | resource | type | impact |\n|---|---|---|---|\n");
        for r in &d.resources {
            let impact = match r.kind {
                ChangeKind::Modified => match &r.replaced_because {
                    Some(c) => format!("{} (because `{c}` is replaced)", r.impact.label()),
                    None => r.impact.label().to_owned(),
                },
                ChangeKind::Added => "added".into(),
                ChangeKind::Removed => "removed".into(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} |",
                r.kind.mark(),
                r.id,
                r.type_name,
                impact
            );
        }
        let modified: Vec<&ResourceDiff> = d
            .resources
            .iter()
            .filter(|r| !r.changes.is_empty())
            .collect();
        if !modified.is_empty() {
            out.push_str("\n<details><summary>property changes</summary>\n\n| resource | path | old | new | impact |\n|---|---|---|---|---|\n");
            for r in modified {
                for c in &r.changes {
                    let (from, to) = change_text(r, c);
                    let _ = writeln!(
                        out,
                        "| `{}` | `{}` | `{}` | `{}` | {} |",
                        r.id,
                        md(&c.path),
                        md(&from),
                        md(&to),
                        c.impact.label()
                    );
                }
            }
            out.push_str("\n</details>\n");
        }
    }
    for (title, list) in entry_sections(d) {
        let _ = writeln!(
            out,
            "\n**{title}**\n\n| | name | old | new |\n|---|---|---|---|"
        );
        for e in list.iter() {
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | `{}` |",
                e.kind.mark(),
                md(&e.name),
                md(&short(&e.old)),
                md(&short(&e.new))
            );
        }
    }
    if !d.iam.is_empty() {
        out.push_str("\n**IAM statements**\n\n| | resource | effect | action | resource | principal | condition |\n|---|---|---|---|---|---|---|\n");
        for s in &d.iam {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | `{}` | `{}` | `{}` | `{}` |",
                s.kind.mark(),
                s.resource,
                s.effect,
                md(&s.action),
                md(&s.target),
                md(or_dash(&s.principal)),
                md(or_dash(&s.condition))
            );
        }
    }
    if !d.security_groups.is_empty() {
        out.push_str("\n**Security group rules**\n\n| | resource | direction | protocol | ports | peer |\n|---|---|---|---|---|---|\n");
        for s in &d.security_groups {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | `{}` |",
                s.kind.mark(),
                s.resource,
                s.direction,
                md(&s.protocol),
                md(&s.ports),
                md(&s.peer)
            );
        }
    }
    out
}

/// Pretty JSON of the whole diff, for machines.
pub fn render_json(d: &TemplateDiff) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}
