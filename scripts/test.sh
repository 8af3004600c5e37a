#!/usr/bin/env bash
# The one test command: installs what the tests need, then runs every check.
#
#   scripts/test.sh
#
# - creates .venv (Python) with the pinned peers from scripts/requirements-peers.txt
#   (cfn-lint 1.58.0, moto[server] 5.2.5 and their dependencies, PyYAML among
#   them), once;
# - starts moto's server (a local CloudFormation API) on 127.0.0.1, on a free
#   port, for the deploy tests: exports MOTO_ENDPOINT and dummy credentials
#   (so no test can reach a real AWS account), and stops it on exit;
# - downloads cfn-lint's sdist (sha256-pinned) into target/peers for its
#   fixture templates (CFN_LINT_FIXTURES);
# - checks formatting and lints (rustfmt, clippy -D warnings);
# - runs every Rust test (unit, integration, doc, snapshot, compile-fail, peer)
#   with snapshots read-only (INSTA_UPDATE=no): a changed snapshot fails;
# - runs scripts/corpus.sh on cfn-lint's good fixtures (no timing): no crash,
#   every round trip exact;
# - runs cfnkit's deploy tests and deploys the Raven dev stack through its
#   own CLI (the `deploy` feature) against moto;
# - regenerates cfn-resources from the pinned, checksummed schemas and fails
#   if the checked-in generated code differs;
# - fuzzes parsing, validation and diff for 15 s per target (scripts/fuzz.sh);
# - runs the main job twice and checks it writes identical bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

# One EXIT trap for everything the script starts or creates.
moto_pid=""
cleanup_paths=()
cleanup() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  if [ "${#cleanup_paths[@]}" -gt 0 ]; then
    rm -rf "${cleanup_paths[@]}"
  fi
}
trap cleanup EXIT

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

# cfn-lint's source distribution carries its fixture templates: the good ones
# must give no error from `cfnkit validate` (cfn-cli/tests/peer_fixtures.rs;
# exceptions, each with its reason, in cfn-cli/tests/peer-exceptions.txt).
# Downloaded into target/ (never committed), sha256-pinned.
sdist_sha256=ba02cd7f7e06c8bc160936051a03ec931af52943fcc9cc72ad2748caa0f2a103
sdist_dir="$root/target/peers"
sdist="$sdist_dir/cfn_lint-1.58.0.tar.gz"
if ! { [ -f "$sdist" ] && echo "$sdist_sha256  $sdist" | sha256sum --check --quiet >/dev/null 2>&1; }; then
  step "downloading cfn-lint 1.58.0's sdist (its fixture templates) into target/peers"
  mkdir -p "$sdist_dir"
  rm -f "$sdist"
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-input --no-deps \
    --no-binary=:all: cfn-lint==1.58.0 -d "$sdist_dir"
  echo "$sdist_sha256  $sdist" | sha256sum --check --quiet
  rm -rf "$sdist_dir/cfn_lint-1.58.0"
fi
if [ ! -d "$sdist_dir/cfn_lint-1.58.0/test/fixtures/templates/good" ]; then
  tar -xzf "$sdist" -C "$sdist_dir"
fi
export CFN_LINT_FIXTURES="$sdist_dir/cfn_lint-1.58.0/test/fixtures/templates"

# moto's server boots while the checks below run; the tests wait for it.
moto_dir=$(mktemp -d)
cleanup_paths+=("$moto_dir")
moto_port=$("$PEER_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# Its working directory is a temporary one: ValidateTemplate writes file.tmp there.
(cd "$moto_dir" && exec "$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port") > "$moto_dir/moto.log" 2>&1 &
moto_pid=$!
wait_for_moto() {
  local url="http://127.0.0.1:$moto_port/moto-api/"
  for _ in $(seq 1 120); do
    if ! kill -0 "$moto_pid" 2>/dev/null; then
      echo "moto's server exited; its log:" >&2
      cat "$moto_dir/moto.log" >&2
      return 1
    fi
    if "$PEER_PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "moto's server did not answer on $url within 60 s; its log:" >&2
  cat "$moto_dir/moto.log" >&2
  return 1
}
export MOTO_ENDPOINT="http://127.0.0.1:$moto_port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --workspace --all-targets -- -D warnings (and the CLI with --features deploy)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p cfn-cli -p cfn-suite --features deploy --all-targets --quiet -- -D warnings

step "cargo test --workspace (moto's server at $MOTO_ENDPOINT)"
wait_for_moto
"$PEER_PYTHON" -c 'import moto; print("moto", moto.__version__, "answers")'
cargo test --workspace

step "corpus script smoke run: cfn-lint's good fixtures, no timing (scripts/corpus.sh)"
# fails on a crash or a round trip that differs; about 15 s with a debug build
CFNKIT="$root/target/debug/cfnkit" PYTHON="$PEER_PYTHON" \
  scripts/corpus.sh --time-files 0 --out - --check "$CFN_LINT_FIXTURES/good"

step "cfnkit deploy against moto (cfn-cli --features deploy)"
cargo test -p cfn-cli --features deploy --test deploy_cli
cargo test -p cfn-cli --features deploy --test lifecycle_cli
cargo test -p cfn-cli --features deploy --test deploy_inputs_cli
# faults: --verbose retries, SIGINT at the prompt (under `script`) and while
# waiting, bad credentials (a private moto with authentication on)
cargo test -p cfn-cli --features deploy --test faults_cli
cargo test --features deploy --test raven_deploy
# the serverless example deployed, its effects checked with moto's APIs
cargo test --features deploy --test serverless_deploy
# release: the Raven program's `release --dry-run` (no AWS) and its bad-input
# exits; cfn-release's own tests (bundle, fake, moto) run in --workspace above
cargo test --features deploy --test raven_release

step "generated code is what the pinned schemas give (scripts/check-generated.sh)"
scripts/check-generated.sh

step "bounded fuzzing: 15 s per target from the checked-in seeds and the local corpus (scripts/fuzz.sh)"
scripts/fuzz.sh

step "main job: cargo run --example raven, twice, identical bytes"
out1=$(mktemp -d) out2=$(mktemp -d)
cleanup_paths+=("$out1" "$out2")
cargo run --quiet --example raven -- synth --yaml --out "$out1"
cargo run --quiet --example raven -- synth --yaml --out "$out2" > /dev/null
diff -r "$out1" "$out2"
"$CFN_LINT" -- "$out1"/*.json "$out1"/*.yaml

step "all checks passed"
