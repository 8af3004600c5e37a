#!/usr/bin/env bash
# Fuzzes template parsing (JSON, YAML), validation (every check) and diff
# with libFuzzer through cargo-fuzz, on stable Rust (RUSTC_BOOTSTRAP lets
# cargo-fuzz pass its flags; no sanitizer, `-s none`).
#
#   scripts/fuzz.sh            # 15 s per target: the bounded run of the test command
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Starts from the checked-in corpus (fuzz/corpus/<target>); new inputs go to
# a temporary directory, so the run leaves the tree as it was. A crash fails
# the script and leaves its input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-15}
if ! cargo fuzz --version 2>/dev/null | grep -q "0.13.2"; then
  cargo install cargo-fuzz --version 0.13.2 --locked --quiet
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
for target in parse_json parse_yaml validate diff; do
  scratch=$(mktemp -d)
  echo "fuzzing $target for ${seconds}s"
  if ! cargo fuzz run -s none "$target" "$scratch" "corpus/$target" -- \
      -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 > "$scratch.log" 2>&1; then
    tail -40 "$scratch.log" >&2
    rm -rf "$scratch"
    echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$scratch.log" || true
  rm -rf "$scratch" "$scratch.log"
done
