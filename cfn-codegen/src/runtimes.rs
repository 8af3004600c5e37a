//! Lambda runtime lifecycle: `src/generated/lambda_runtimes.rs` from the
//! pinned wheel's `cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json`
//! (cfn-lint's copy of the Lambda runtime deprecation schedule, rules E2533
//! and W2531), with the date the schedule is read against: the pinned
//! schemas' `schema_date`, so the output does not depend on the day it runs.

use serde_json::Value as J;
use std::fmt::Write;

/// Where the schedule is in the unpacked wheel.
pub const SOURCE: &str = "cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json";

/// The generated table: `AS_OF` and one row per runtime, sorted.
pub fn emit(header: &str, schema_date: &str, lifecycle: &J) -> String {
    let mut out = header.to_owned();
    out.push_str(
        "// Lambda runtime lifecycle from cfn-lint's LmbdRuntimeLifecycle.json.\n\
         // Included by cfn-resources/src/schema/runtimes.rs.\n\n",
    );
    let as_of = schema_date.get(..10).unwrap_or(schema_date);
    let _ = writeln!(
        out,
        "/// The date the schedule is read against: the pinned schemas' date.\npub const AS_OF: &str = {as_of:?};\n"
    );
    out.push_str(
        "/// `(runtime, deprecated, creation blocked, update blocked, successor)`;\n/// `\"\"` where the schedule has no date or successor.\npub const RUNTIMES: &[(&str, &str, &str, &str, &str)] = &[\n",
    );
    let mut rows: Vec<(String, [String; 4])> = lifecycle
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(name, v)| {
                    let s = |k: &str| v.get(k).and_then(J::as_str).unwrap_or("").to_owned();
                    (
                        name.clone(),
                        [
                            s("deprecated"),
                            s("create-block"),
                            s("update-block"),
                            s("successor"),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    rows.sort();
    for (name, [d, c, u, s]) in rows {
        let _ = writeln!(out, "    ({name:?}, {d:?}, {c:?}, {u:?}, {s:?}),");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_sorted_and_dates_kept() {
        let j: J = serde_json::from_str(
            r#"{"python3.8": {"deprecated": "2024-10-14", "create-block": "2026-02-28", "update-block": "2026-03-31", "successor": "python3.13"},
                "nodejs": {"deprecated": "2016-08-30", "create-block": "2016-09-30", "update-block": "2016-10-31", "successor": null}}"#,
        )
        .unwrap();
        let s = emit("// h\n", "2026-10-20T22:11:15Z", &j);
        assert!(s.contains("pub const AS_OF: &str = \"2026-10-20\";"), "{s}");
        let a = s.find("(\"nodejs\"").unwrap();
        let b = s.find("(\"python3.8\"").unwrap();
        assert!(a < b);
        assert!(s.contains("(\"nodejs\", \"2016-08-30\", \"2016-09-30\", \"2016-10-31\", \"\"),"));
    }
}
