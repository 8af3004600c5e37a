#!/usr/bin/env bash
# Side-by-side, whole-process benchmarks against troposphere, cfn-lint and the
# AWS CDK (see BENCHMARKS.md). Sets up its peers itself:
#   - benches/compare/.venv: troposphere and cfn-lint 1.58.0 (benches/compare/requirements.txt, every
#     package pinned);
#   - benches/compare/cdk/node_modules: aws-cdk-lib and constructs (npm ci from the
#     checked-in package-lock.json);
#   - release builds of the bench_synth and raven examples and of cfnkit.
# Then times each case several times (hyperfine if installed, else a Python
# loop), prints medians and ratios, and writes benches/results/DATE-compare.json.
#
#   benches/compare/compare.sh                  # everything
#   RUNS_FAST=30 RUNS_SLOW=5 benches/compare/compare.sh   # runs per case (ours, peers); the defaults
#   CARGO_TARGET_DIR=/tmp/bench-target benches/compare/compare.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=$ROOT/benches/compare/.venv
WORK=$ROOT/benches/compare/work

step() { printf '\n==> %s\n' "$*"; }

step "Python peers (troposphere, cfn-lint) in benches/compare/.venv"
if [ ! -x "$VENV/bin/cfn-lint" ] || ! cmp -s benches/compare/requirements.txt "$VENV/.installed"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r benches/compare/requirements.txt
    cp benches/compare/requirements.txt "$VENV/.installed"
fi

step "CDK (aws-cdk-lib, constructs) in benches/compare/cdk/node_modules"
if [ ! -d benches/compare/cdk/node_modules/aws-cdk-lib ] || [ benches/compare/cdk/package-lock.json -nt benches/compare/cdk/node_modules/.package-lock.json ]; then
    (cd benches/compare/cdk && npm ci --no-audit --no-fund --loglevel=error)
fi

step "release builds (bench_synth, raven, cfnkit) into $TARGET"
CARGO_TARGET_DIR=$TARGET cargo build --release --quiet -p cfn-suite --example bench_synth --example raven
CARGO_TARGET_DIR=$TARGET cargo build --release --quiet -p cfn-cli --bin cfnkit

if ! command -v hyperfine >/dev/null; then
    echo "note: hyperfine not found (Debian: apt-get install hyperfine); timing with a Python loop"
fi

rm -rf "$WORK"
mkdir -p "$WORK"
step "timing"
"$VENV/bin/python" benches/compare/run.py "$TARGET/release" "$VENV" "$WORK"
