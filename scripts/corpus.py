#!/usr/bin/env python3
"""Run cfnkit over a folder of CloudFormation templates and compare with cfn-lint.

Called by scripts/corpus.sh (which finds or builds cfnkit and cfn-lint); can be
run directly:

    python3 scripts/corpus.py --cfnkit target/release/cfnkit \
        --cfn-lint .venv/bin/cfn-lint DIR [DIR ...]

For every template (*.json, *.yaml, *.yml, *.template, recursively) it records:

- whether `cfnkit validate --format json FILE` loaded it (no `load/...` finding);
- the error ids cfnkit reports, and whether cfn-lint reports any E-level
  finding for the same file: a file with cfnkit errors and no cfn-lint error
  is listed (the false-alarm candidates to read);
- crashes: an exit code other than 0, 1 or 3 from any cfnkit command, or
  "panicked" on its standard error;
- the round trip: `convert --to json` of the file, `convert --to yaml` of that,
  `convert --to json` of the YAML; the two JSON documents must hold equal
  data, and so must the YAML (parsed with PyYAML when it is installed);
- time per file, whole process: `cfnkit validate FILE` against `cfn-lint FILE`
  (medians over the files timed).

It prints a summary table and writes a JSON file (file names relative to the
corpus folders, no machine paths). Python 3.11 standard library only (PyYAML
is used when importable). Exit status: 0, or 1 with --check when a file
crashed or a round trip differed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:  # optional: parse the YAML leg of the round trip as data
    import yaml  # type: ignore
except ImportError:  # pragma: no cover
    yaml = None

SUFFIXES = {".json", ".yaml", ".yml", ".template"}
CFNKIT_CODES = {0, 1, 3}


def find_templates(roots: list[Path]) -> list[tuple[str, Path]]:
    """(label, path) for every template under the roots, sorted; label is root-name/relative."""
    out = []
    for root in roots:
        base = root.name or "corpus"
        if root.is_file():
            out.append((base, root))
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUFFIXES:
                out.append((f"{base}/{p.relative_to(root).as_posix()}", p))
    return out


def run(cmd: list[str], timeout: float) -> tuple[int | None, str, str, float]:
    start = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, errors="replace")
        return r.returncode, r.stdout, r.stderr, time.perf_counter() - start
    except subprocess.TimeoutExpired:
        return None, "", "timeout", time.perf_counter() - start


SCRUB: list[tuple[str, str]] = []


def scrub(text: str) -> str:
    """Replaces machine paths (temporary folder, corpus roots, cwd) with placeholders."""
    for old, new in SCRUB:
        text = text.replace(old, new)
    return text


def crashed(code: int | None, stderr: str) -> bool:
    return code not in CFNKIT_CODES or "panicked" in stderr


def validate(cfnkit: str, path: Path, timeout: float) -> dict:
    code, out, err, secs = run([cfnkit, "validate", "--format", "json", "--color", "never", str(path)], timeout)
    rec = {"exit": code, "seconds": secs, "crash": crashed(code, err)}
    try:
        findings = json.loads(out) if out.strip() else []
    except json.JSONDecodeError:
        findings = []
        rec["crash"] = rec["crash"] or code != 3
    if isinstance(findings, dict):  # tolerate a per-file document
        findings = [f for file in findings.get("files", []) for f in file.get("findings", [])]
    rules = [f.get("rule", "") for f in findings]
    rec["loaded"] = code in (0, 1) and not any(r.startswith("load/") for r in rules)
    rec["errors"] = sorted({f["rule"] for f in findings if f.get("level") == "error"})
    rec["warnings"] = sorted({f["rule"] for f in findings if f.get("level") == "warning"})
    if rec["crash"]:
        rec["stderr"] = err[-2000:]
    return rec


def as_data(text: str, kind: str):
    if kind == "json":
        return json.loads(text)
    return yaml.safe_load(text)


def round_trip(cfnkit: str, path: Path, tmp: Path, timeout: float) -> tuple[str, bool, str]:
    """('exact' | 'differs' | 'refused' | 'crash', crashed, detail)."""
    j1 = tmp / "a.json"
    y1 = tmp / "b.yaml"
    j2 = tmp / "c.json"
    steps = [(path, "json", j1), (j1, "yaml", y1), (y1, "json", j2)]
    for i, (src, to, dst) in enumerate(steps):
        if dst.exists():
            dst.unlink()
        code, _, err, _ = run([cfnkit, "convert", "--to", to, "--color", "never", "--out", str(dst), str(src)], timeout)
        if crashed(code, err):
            return "crash", True, f"convert step {i + 1}: exit {code}: {err[-2000:]}"
        if code != 0:
            if i == 0:
                return "refused", False, err.strip().splitlines()[0] if err.strip() else f"exit {code}"
            return "differs", False, f"convert step {i + 1} refused its own output: {err.strip()[:500]}"
    a = json.loads(j1.read_text())
    b = json.loads(j2.read_text())
    if a != b:
        return "differs", False, "json -> yaml -> json changed the data"
    if yaml is not None:
        try:
            y = as_data(y1.read_text(), "yaml")
        except yaml.YAMLError as e:  # short-form tags would land here
            return "differs", False, f"the YAML does not parse as plain YAML: {e}"[:500]
        if y != a:
            return "differs", False, "the YAML holds other data than the JSON"
    return "exact", False, ""


def cfn_lint_errors(cfn_lint: str, paths: list[Path], timeout: float) -> dict[str, list[str]]:
    """E-level rule ids per file path (as passed), in batches of one process."""
    out: dict[str, list[str]] = {str(p): [] for p in paths}
    batch = 50
    for i in range(0, len(paths), batch):
        chunk = [str(p) for p in paths[i : i + batch]]
        code, stdout, err, _ = run([cfn_lint, "--format", "json", "--", *chunk], timeout * len(chunk))
        try:
            matches = json.loads(stdout) if stdout.strip() else []
        except json.JSONDecodeError:
            sys.exit(f"cfn-lint gave no JSON (exit {code}): {err[-1000:]}")
        for m in matches:
            if m.get("Level") == "Error":
                out.setdefault(m.get("Filename", ""), []).append(m["Rule"]["Id"])
    return {k: sorted(set(v)) for k, v in out.items()}


def version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def median_ms(xs: list[float]) -> float | None:
    return round(statistics.median(xs) * 1000, 2) if xs else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", type=Path, help="folders (or files) of templates")
    ap.add_argument("--cfnkit", required=True, help="the cfnkit binary")
    ap.add_argument("--cfn-lint", default="", help="cfn-lint executable; empty: no comparison")
    ap.add_argument("--time-files", type=int, default=-1,
                    help="time cfn-lint on this many files, spread over the corpus (-1: all, 0: none)")
    ap.add_argument("--label", default="", help="name of the corpus in the output (default: folder names)")
    ap.add_argument("--out", default="", help="JSON output (default: benches/results/DATE-corpus-LABEL.json; '-' for none)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per process")
    ap.add_argument("--check", action="store_true", help="exit 1 on a crash or a round trip that differs")
    a = ap.parse_args()

    for d in a.dirs:
        if not d.exists():
            sys.exit(f"{d}: no such file or folder")
    files = find_templates(a.dirs)
    if not files:
        sys.exit("no templates (*.json, *.yaml, *.yml, *.template) found")
    label = a.label or "+".join(d.resolve().name for d in a.dirs)
    started = dt.datetime.now(dt.timezone.utc)
    print(f"corpus {label}: {len(files)} template(s)", file=sys.stderr)

    lint_errors: dict[str, list[str]] = {}
    if a.cfn_lint:
        t = time.perf_counter()
        lint_errors = cfn_lint_errors(a.cfn_lint, [p for _, p in files], a.timeout)
        print(f"cfn-lint findings: {time.perf_counter() - t:.1f} s", file=sys.stderr)

    n_time = len(files) if a.time_files < 0 else min(a.time_files, len(files))
    timed = set()
    if a.cfn_lint and n_time > 0:
        step = len(files) / n_time
        timed = {int(i * step) for i in range(n_time)}

    records = []
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        SCRUB.append((tmpd, "$TMP"))
        for d in a.dirs:
            SCRUB.append((str(d.resolve()), d.resolve().name))
            SCRUB.append((str(d), d.resolve().name))
        SCRUB.append((os.getcwd(), "."))
        for i, (name, path) in enumerate(files):
            v = validate(a.cfnkit, path, a.timeout)
            rt, rt_crash, rt_detail = round_trip(a.cfnkit, path, tmp, a.timeout)
            rec = {
                "file": name,
                "loaded": v["loaded"],
                "exit": v["exit"],
                "errors": v["errors"],
                "warnings": v["warnings"],
                "crash": v["crash"] or rt_crash,
                "round_trip": rt,
                "validate_ms": round(v["seconds"] * 1000, 2),
            }
            if rt_detail and rt != "refused":
                rec["round_trip_detail"] = scrub(rt_detail)
            if rt == "refused":
                rec["convert_refused"] = scrub(rt_detail)
            if v.get("stderr"):
                rec["stderr"] = scrub(v["stderr"])
            if a.cfn_lint:
                rec["cfn_lint_errors"] = lint_errors.get(str(path), [])
            if i in timed:
                code, _, _, secs = run([a.cfn_lint, "--", str(path)], a.timeout)
                rec["cfn_lint_ms"] = round(secs * 1000, 2)
            records.append(rec)
            if (i + 1) % 25 == 0:
                print(f"  {i + 1}/{len(files)}", file=sys.stderr)

    # Error ids of cfnkit where cfn-lint reports no error.
    only_ours = [r for r in records if r["errors"] and a.cfn_lint and not r["cfn_lint_errors"]]
    only_theirs = [r for r in records if not r["errors"] and a.cfn_lint and r["cfn_lint_errors"]]
    by_id: dict[str, int] = {}
    for r in only_ours:
        for e in r["errors"]:
            by_id[e] = by_id.get(e, 0) + 1
    ours_ms = [r["validate_ms"] / 1000 for r in records]
    pairs = [r for r in records if "cfn_lint_ms" in r]
    rt = {k: sum(1 for r in records if r["round_trip"] == k) for k in ("exact", "differs", "refused", "crash")}
    summary = {
        "templates": len(records),
        "loaded": sum(1 for r in records if r["loaded"]),
        "with_cfnkit_errors": sum(1 for r in records if r["errors"]),
        "with_cfn_lint_errors": sum(1 for r in records if r.get("cfn_lint_errors")) if a.cfn_lint else None,
        "cfnkit_errors_cfn_lint_none": len(only_ours) if a.cfn_lint else None,
        "cfn_lint_errors_cfnkit_none": len(only_theirs) if a.cfn_lint else None,
        "cfnkit_errors_cfn_lint_none_by_id": dict(sorted(by_id.items(), key=lambda kv: (-kv[1], kv[0]))),
        "crashes": sum(1 for r in records if r["crash"]),
        "round_trip": rt,
        "validate_median_ms": median_ms(ours_ms),
        "timed_pairs": len(pairs),
        "validate_median_ms_timed": median_ms([r["validate_ms"] / 1000 for r in pairs]),
        "cfn_lint_median_ms": median_ms([r["cfn_lint_ms"] / 1000 for r in pairs]),
    }
    if summary["cfn_lint_median_ms"] and summary["validate_median_ms_timed"]:
        summary["ratio_of_medians"] = round(summary["cfn_lint_median_ms"] / summary["validate_median_ms_timed"], 1)

    def pct(n: int) -> str:
        return f"{n} ({100 * n / len(records):.1f} %)"

    rows = [
        ("templates", str(summary["templates"])),
        ("loaded by cfnkit", pct(summary["loaded"])),
        ("with cfnkit errors", pct(summary["with_cfnkit_errors"])),
    ]
    if a.cfn_lint:
        rows += [
            ("with cfn-lint errors (E)", pct(summary["with_cfn_lint_errors"])),
            ("cfnkit errors, cfn-lint none", pct(summary["cfnkit_errors_cfn_lint_none"])),
            ("cfn-lint errors, cfnkit none", pct(summary["cfn_lint_errors_cfnkit_none"])),
        ]
    rows += [
        ("crashes", str(summary["crashes"])),
        ("round trip exact / differs / refused", f"{rt['exact']} / {rt['differs']} / {rt['refused']}"),
        ("cfnkit validate, median per file", f"{summary['validate_median_ms']} ms"),
    ]
    if pairs:
        rows += [
            (f"timed against cfn-lint ({len(pairs)} files)",
             f"cfnkit {summary['validate_median_ms_timed']} ms, cfn-lint {summary['cfn_lint_median_ms']} ms, "
             f"{summary.get('ratio_of_medians')}x"),
        ]
    width = max(len(k) for k, _ in rows)
    print(f"\n| {'corpus ' + label:<{width}} | |\n|{'-' * (width + 2)}|---|")
    for k, v in rows:
        print(f"| {k:<{width}} | {v} |")
    if only_ours:
        print("\nfiles with cfnkit errors and no cfn-lint error:")
        for r in only_ours:
            print(f"  {r['file']}: {', '.join(r['errors'])}")
    bad = [r for r in records if r["crash"] or r["round_trip"] in ("differs", "crash")]
    if bad:
        print("\ncrashes and round trips that differ:")
        for r in bad:
            print(f"  {r['file']}: crash={r['crash']} round_trip={r['round_trip']} "
                  f"{r.get('round_trip_detail', '')} {r.get('stderr', '')[:300]}")

    doc = {
        "date": started.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "corpus": label,
        "machine": {
            "nproc": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_at_end": list(os.getloadavg()),
        },
        "versions": {
            "cfnkit": version([a.cfnkit, "--version"]),
            "cfn-lint": version([a.cfn_lint, "--version"]) if a.cfn_lint else None,
            "python": platform.python_version(),
            "pyyaml": getattr(yaml, "__version__", None),
        },
        "summary": summary,
        "files": records,
    }
    out = a.out
    if not out:
        name = f"{started.strftime('%Y-%m-%d')}-corpus-{label.replace('/', '-')}.json"
        out = str(Path(__file__).resolve().parent.parent / "benches" / "results" / name)
    if out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(doc, indent=2) + "\n")
        print(f"\nwritten: {out}", file=sys.stderr)
    if a.check and bad:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
