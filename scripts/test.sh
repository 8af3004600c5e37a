#!/usr/bin/env bash
# The one test command: installs what the tests need, then runs every check.
#
#   scripts/test.sh
#
# - creates .venv (Python) with the pinned peers from scripts/requirements-peers.txt
#   (cfn-lint 1.58.0 and its dependencies, PyYAML among them), once;
# - checks formatting and lints (rustfmt, clippy -D warnings);
# - runs every Rust test (unit, integration, doc, snapshot, compile-fail, peer)
#   with snapshots read-only (INSTA_UPDATE=no): a changed snapshot fails;
# - runs the main job twice and checks it writes identical bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum scripts/requirements-peers.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  step "installing the peers into .venv (pinned: scripts/requirements-peers.txt)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r scripts/requirements-peers.txt
  echo "$want" > "$stamp"
fi
export CFN_LINT="$venv/bin/cfn-lint" PEER_PYTHON="$venv/bin/python" PEERS_REQUIRED=1
export INSTA_UPDATE=no CARGO_TERM_COLOR=never
"$CFN_LINT" --version

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test --workspace"
cargo test --workspace

step "main job: cargo run --example raven, twice, identical bytes"
out1=$(mktemp -d) out2=$(mktemp -d)
trap 'rm -rf "$out1" "$out2"' EXIT
cargo run --quiet --example raven -- synth --yaml --out "$out1"
cargo run --quiet --example raven -- synth --yaml --out "$out2" > /dev/null
diff -r "$out1" "$out2"
"$CFN_LINT" -- "$out1"/*.json "$out1"/*.yaml

step "all checks passed"
