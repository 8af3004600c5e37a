#!/usr/bin/env bash
# Regenerates cfn-resources from the pinned CloudFormation registry schemas:
# downloads the cfn-lint wheel with pip, checks its sha256, unpacks it and
# runs cfn-codegen. One command, deterministic output:
#
#   scripts/regen-resources.sh
#
# Writes cfn-resources/src/generated/, cfn-resources/schemas/,
# cfn-resources/tests/generated/ and the [features] block of
# cfn-resources/Cargo.toml. Set CFN_WHEEL_DIR to reuse an unpacked wheel.
set -euo pipefail

VERSION=1.58.0
SHA256=9d9f06043160756a6158f5c3f92a44ce38254b1c578127461608305bc8262987
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${CFN_WHEEL_DIR:-$ROOT/target/cfn-lint-$VERSION}"
WHEEL="$WORK/cfn_lint-$VERSION-py3-none-any.whl"

mkdir -p "$WORK"
if [ ! -f "$WHEEL" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: "cfn-lint==$VERSION" -d "$WORK"
fi
echo "$SHA256  $WHEEL" | sha256sum --check --quiet
if [ ! -f "$WORK/unzipped/cfnlint/data/schemas/providers/us-east-1.json" ]; then
    rm -rf "$WORK/unzipped"
    python3 -m zipfile -e "$WHEEL" "$WORK/unzipped"
fi

cd "$ROOT"
cargo run --quiet --release -p cfn-codegen -- \
    --wheel "$WORK/unzipped" --version "$VERSION" --out "$ROOT/cfn-resources"
