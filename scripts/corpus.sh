#!/usr/bin/env bash
# Run cfnkit over any folder of CloudFormation templates and compare with
# cfn-lint 1.58.0: templates, loaded, errors cfn-lint does not report (per
# file, with the ids), crashes, the convert round trip, time per file.
#
#   scripts/corpus.sh DIR [DIR ...] [-- options of scripts/corpus.py]
#   scripts/corpus.sh ~/src/aws-cloudformation-templates
#   scripts/corpus.sh --time-files 20 DIR       # time cfn-lint on 20 files only
#   scripts/corpus.sh --no-cfn-lint DIR         # no cfn-lint at all (fast)
#
# Environment:
#   CFNKIT    the cfnkit binary (default: builds target/release/cfnkit)
#   CFN_LINT  cfn-lint (default: .venv/bin/cfn-lint, installed by scripts/test.sh)
#   PYTHON    the Python that runs scripts/corpus.py (default: .venv/bin/python,
#             for PyYAML; else python3)
#
# Writes benches/results/DATE-corpus-LABEL.json (--out FILE to change, --out -
# for none) and prints a summary table. See BENCHMARKS.md, "Corpus".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

args=() lint=1
for arg in "$@"; do
  if [ "$arg" = "--no-cfn-lint" ]; then lint=0; else args+=("$arg"); fi
done

if [ -z "${CFNKIT:-}" ]; then
  (cd "$root" && cargo build --quiet --release -p cfn-cli --bin cfnkit)
  CFNKIT="$root/target/release/cfnkit"
fi
python=${PYTHON:-}
if [ -z "$python" ]; then
  if [ -x "$root/.venv/bin/python" ]; then python="$root/.venv/bin/python"; else python=python3; fi
fi
lint_args=()
if [ "$lint" = 1 ]; then
  cfn_lint=${CFN_LINT:-$root/.venv/bin/cfn-lint}
  if [ ! -x "$cfn_lint" ] && ! command -v "$cfn_lint" >/dev/null; then
    echo "cfn-lint not found at $cfn_lint: run scripts/test.sh once (it creates .venv), set CFN_LINT, or pass --no-cfn-lint" >&2
    exit 2
  fi
  lint_args=(--cfn-lint "$cfn_lint")
fi
exec "$python" "$root/scripts/corpus.py" --cfnkit "$CFNKIT" "${lint_args[@]}" "${args[@]}"
