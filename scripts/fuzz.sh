#!/usr/bin/env bash
# Fuzzes template parsing (JSON, YAML), validation (every check) and diff
# with libFuzzer through cargo-fuzz, on stable Rust (RUSTC_BOOTSTRAP lets
# cargo-fuzz pass its flags; no sanitizer, `-s none`).
#
#   scripts/fuzz.sh            # 15 s per target: the bounded run of the test command
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Starts from the checked-in seeds (fuzz/seeds/<target>, 24 small inputs per
# target) and a corpus kept between runs outside the tree
# (target/fuzz-corpus/<target>, or $FUZZ_CORPUS_DIR/<target>): a fresh
# machine regrows it from the seeds, a developer's machine keeps what earlier
# runs found. Nothing is written into the tree. A crash fails the script and
# leaves its input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-15}
corpus_root=${FUZZ_CORPUS_DIR:-$PWD/../target/fuzz-corpus}
if ! cargo fuzz --version 2>/dev/null | grep -q "0.13.2"; then
  cargo install cargo-fuzz --version 0.13.2 --locked --quiet
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
for target in parse_json parse_yaml validate diff; do
  log=$(mktemp)
  corpus="$corpus_root/$target"
  mkdir -p "$corpus"
  echo "fuzzing $target for ${seconds}s ($(ls "$corpus" | wc -l) inputs in $corpus, plus the seeds)"
  if ! cargo fuzz run -s none "$target" "$corpus" "seeds/$target" -- \
      -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 > "$log" 2>&1; then
    tail -40 "$log" >&2
    rm -f "$log"
    echo "fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$log" || true
  rm -f "$log"
done
