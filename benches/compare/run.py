"""Runs the side-by-side cases of bench/compare.sh (whole process, several
runs, medians) and writes bench/results/compare.json. Called by compare.sh
with everything built and installed; not meant to be run alone.

Timing: hyperfine (`-N`, no intermediate shell) when it is on PATH, else a
loop here around subprocess.run (which adds ~1 ms of fork/exec per run to
both sides).
"""
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "benches", "compare")
RESULTS = os.path.join(ROOT, "benches", "results")


def scrub(value, bin_dir):
    """The same document on any machine: no absolute paths (the repository
    root, the build directory, the temporary directory)."""
    if isinstance(value, dict):
        return {k: scrub(v, bin_dir) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, bin_dir) for v in value]
    if isinstance(value, str):
        for prefix, name in ((bin_dir, "$TARGET/release"), (ROOT, "."),
                             (tempfile.gettempdir(), "$TMP")):
            value = value.replace(prefix.rstrip("/") + "/", name + "/")
        return value
    return value


def env(name, default):
    return int(os.environ.get(name, default))


def time_cmd(name, argv, runs, warmup):
    """Median (and the rest) of `runs` whole-process runs of argv, in seconds.
    Exit codes are recorded, not enforced: validators exit 1 on the
    500-resource limit, which is expected here."""
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        cmd = [
            "hyperfine", "-N", "--style", "none", "-i",
            "--warmup", str(warmup), "--runs", str(runs),
            "--export-json", out, "--command-name", name,
            " ".join(_quote(a) for a in argv),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            r = json.load(f)["results"][0]
        os.unlink(out)
        times = r["times"]
        codes = sorted(set(r.get("exit_codes", [])))
        cpu = r["user"] + r["system"]
        tool = "hyperfine"
    else:
        for _ in range(warmup):
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times, codes = [], set()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            codes.add(p.returncode)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / runs
        codes = sorted(codes)
        tool = "python-loop"
    return {
        "name": name,
        "command": argv,
        "runs": len(times),
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "cpu_mean_s": cpu,
        "times_s": times,
        "exit_codes": codes,
        "timer": tool,
    }


def _quote(a):
    return a if a and all(c.isalnum() or c in "/._-=:," for c in a) else "'" + a.replace("'", "'\\''") + "'"


def run_once(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def fmt(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def main():
    bin_dir, venv, work = sys.argv[1], sys.argv[2], sys.argv[3]
    py = os.path.join(venv, "bin", "python")
    cfn_lint = os.path.join(venv, "bin", "cfn-lint")
    ours_synth = os.path.join(bin_dir, "examples", "bench_synth")
    raven = os.path.join(bin_dir, "examples", "raven")
    cfnkit = os.path.join(bin_dir, "cfnkit")
    fast, slow = env("RUNS_FAST", 30), env("RUNS_SLOW", 5)
    os.makedirs(RESULTS, exist_ok=True)

    ours_1k = os.path.join(work, "ours-1k.json")
    tropo_1k = os.path.join(work, "troposphere-1k.json")
    ours_4 = os.path.join(work, "ours-4.json")

    # The inputs, once, and a check that both sides build the same template.
    subprocess.run([ours_synth, "1000", ours_1k], check=True, stderr=subprocess.DEVNULL)
    subprocess.run([ours_synth, "4", ours_4], check=True, stderr=subprocess.DEVNULL)
    subprocess.run([py, os.path.join(BENCH, "troposphere_synth.py"), "1000", tropo_1k], check=True)
    with open(ours_1k) as a, open(tropo_1k) as b:
        same = json.load(a) == json.load(b)
    print(f"same template from both synths (as JSON data, key order aside): {same}")

    # What each validator says about the inputs (the work is comparable).
    findings = {}
    for label, argv in [
        ("cfnkit validate 1k", [cfnkit, "validate", ours_1k]),
        ("cfn-lint 1k", [cfn_lint, ours_1k]),
        ("cfnkit validate 4", [cfnkit, "validate", ours_4]),
        ("cfn-lint 4", [cfn_lint, ours_4]),
    ]:
        code, out = run_once(argv)
        lines = [l for l in out.splitlines() if l.strip()]
        findings[label] = {"exit_code": code, "output_head": lines[:12], "output_lines": len(lines)}
        print(f"\n$ {label} -> exit {code}, {len(lines)} lines of output; first lines:")
        for l in lines[:6]:
            print(f"    {l[:160]}")

    raven_out = os.path.join(work, "raven-out")
    cdk_out = os.path.join(work, "cdk.out")
    cases = [
        ("synth, 1,000 resources", 20,
         ("ours: bench_synth 1000", [ours_synth, "1000", ours_1k], fast),
         ("troposphere", [py, os.path.join(BENCH, "troposphere_synth.py"), "1000", tropo_1k], fast // 2)),
        ("validate, 1,000 resources", 100,
         ("ours: cfnkit validate", [cfnkit, "validate", ours_1k], fast),
         ("cfn-lint", [cfn_lint, ours_1k], slow)),
        ("validate, 4 resources", 100,
         ("ours: cfnkit validate", [cfnkit, "validate", ours_4], fast),
         ("cfn-lint", [cfn_lint, ours_4], slow)),
        ("Raven-like stack, every environment", 500,
         ("ours: raven synth --out", [raven, "synth", "--out", raven_out], fast),
         ("CDK (node app.js)", ["node", os.path.join(BENCH, "cdk", "app.js"), cdk_out], slow)),
    ]
    # The same with both outputs on tmpfs: our synth writes 39 files
    # atomically (write a temporary file, rename it over the old one), and
    # ext4 starts writeback when a rename replaces a file, so on a slow disk
    # the disk, not the synth, dominates our side.
    if os.path.isdir("/dev/shm"):
        shm = tempfile.mkdtemp(prefix="cfn-bench-", dir="/dev/shm")
        cases.append(
            ("Raven-like stack, every environment, output on tmpfs", 500,
             ("ours: raven synth --out", [raven, "synth", "--out", os.path.join(shm, "raven-out")], fast),
             ("CDK (node app.js)", ["node", os.path.join(BENCH, "cdk", "app.js"), os.path.join(shm, "cdk.out")], slow)))
    rows = []
    for title, goal, (on, oargv, oruns), (pn, pargv, pruns) in cases:
        print(f"\ntiming: {title} ...", flush=True)
        ours = time_cmd(on, oargv, oruns, warmup=3)
        peer = time_cmd(pn, pargv, pruns, warmup=1)
        ratio = peer["median_s"] / ours["median_s"]
        rows.append({"case": title, "goal_ratio": goal, "ours": ours, "peer": peer, "ratio": ratio})

    produced = {}
    for label, d in [("ours", raven_out), ("cdk", cdk_out)]:
        templates = {}
        files = 0
        for dirpath, _, names in os.walk(d):
            for n in names:
                files += 1
                if n.endswith(".template.json"):
                    with open(os.path.join(dirpath, n)) as f:
                        templates[n] = len(json.load(f).get("Resources", {}))
        produced[label] = {"files": files, "resources_per_template": templates}
        print(f"{label} Raven-like output: {files} files; resources per template: {templates}")
    if os.path.isdir("/dev/shm"):
        shutil.rmtree(shm, ignore_errors=True)

    print("\nwall time: median (min) of whole-process runs; CPU: mean user+system time per run")
    print("\n| case | ours | peer | peer | ratio (medians) | ratio (mins) | ratio (CPU) | goal |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        o, p = r["ours"], r["peer"]
        r["ratio_min"] = p["min_s"] / o["min_s"]
        r["ratio_cpu"] = p["cpu_mean_s"] / o["cpu_mean_s"] if o["cpu_mean_s"] > 0 else None
        ok = "met" if r["ratio"] >= r["goal_ratio"] else "missed"
        cpu_ratio = f"{r['ratio_cpu']:.0f}x" if r["ratio_cpu"] else "?"
        print(f"| {r['case']} | {fmt(o['median_s'])} ({fmt(o['min_s'])}) | {p['name']} | "
              f"{fmt(p['median_s'])} ({fmt(p['min_s'])}) | {r['ratio']:.0f}x | {r['ratio_min']:.0f}x | "
              f"{cpu_ratio} | {r['goal_ratio']}x ({ok} on medians) |")

    versions = {}
    for label, argv in [
        ("python", [py, "--version"]),
        ("troposphere", [py, "-c", "import troposphere; print(troposphere.__version__)"]),
        ("cfn-lint", [cfn_lint, "--version"]),
        ("node", ["node", "--version"]),
        ("aws-cdk-lib", ["node", "-p", "require('" + os.path.join(BENCH, "cdk", "node_modules", "aws-cdk-lib", "package.json") + "').version"]),
        ("rustc", ["rustc", "--version"]),
        ("hyperfine", ["hyperfine", "--version"]),
    ]:
        try:
            versions[label] = subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            versions[label] = None
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    doc = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu, "platform": platform.platform(),
                    "loadavg_at_end": os.getloadavg()},
        "versions": versions,
        "same_template": same,
        "validator_output": findings,
        "raven_output": produced,
        "cases": rows,
    }
    path = os.path.join(RESULTS, time.strftime("%Y-%m-%d") + "-compare.json")
    with open(path, "w") as f:
        json.dump(scrub(doc, bin_dir), f, indent=2)
        f.write("\n")
    print(f"\nraw results: {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
