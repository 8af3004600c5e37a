#!/usr/bin/env bash
# Regenerates SAM's facts (cfn-resources/sam/sam_facts.txt) from the pinned
# aws-sam-translator wheel: downloads it with pip, checks its sha256, unpacks
# it, builds SAM's JSON schema with SAM's own code
# (samtranslator.internal.schema_source.schema, the function that makes
# sam.schema.json in SAM's repository: the wheels do not ship the built file)
# under a pinned pydantic, reads what the transform itself accepts from the
# wheel's code (scripts/sam-translator-facts.py: SAM's schema is stricter than
# its transform in places) and runs `cfn-codegen --sam-schema`, which reduces
# the schema and widens it to the transform.
# One command, deterministic output, writes only that one file:
#
#   scripts/regen-sam.sh
#
# Independent of scripts/regen-resources.sh (which does not touch it).
# Set SAM_WORK_DIR to reuse a download.
set -euo pipefail

VERSION=1.115.0
SHA256=9be2d7b04041a64e89ed3fb1186f948377ecc118033a8a7538f271d4bcab0afa
# what aws-sam-translator 1.115.0 requires (pydantic~=2.13.3), pinned
PYDANTIC=(pydantic==2.13.4 pydantic_core==2.46.4 annotated-types==0.8.0
          typing-inspection==0.4.5 typing_extensions==4.16.0)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${SAM_WORK_DIR:-$ROOT/target/aws-sam-translator-$VERSION}"
WHEEL="$WORK/aws_sam_translator-$VERSION-py3-none-any.whl"

mkdir -p "$WORK"
if [ ! -f "$WHEEL" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: "aws-sam-translator==$VERSION" -d "$WORK"
fi
echo "$SHA256  $WHEEL" | sha256sum --check --quiet
if [ ! -f "$WORK/unzipped/samtranslator/internal/schema_source/schema.py" ]; then
    rm -rf "$WORK/unzipped"
    python3 -m zipfile -e "$WHEEL" "$WORK/unzipped"
fi
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check --no-input "${PYDANTIC[@]}"
fi
# SAM's schema module reads its docs relative to itself; run from the wheel
(cd "$WORK/unzipped" && "$WORK/venv/bin/python" -c '
import sys
from samtranslator.internal.schema_source.schema import SamModel, get_schema, json_dumps
open(sys.argv[1], "w").write(json_dumps(get_schema(SamModel)))
' "$WORK/sam.schema.json")
# what the transform itself accepts (read statically from the wheel's code)
python3 "$ROOT/scripts/sam-translator-facts.py" "$WORK/unzipped" "$WORK/translator.json"

cd "$ROOT"
mkdir -p cfn-resources/sam
cargo run --quiet -p cfn-codegen -- \
    --sam-schema "$WORK/sam.schema.json" --sam-translator "$WORK/translator.json" --sam-version "$VERSION" --sam-sha256 "$SHA256" \
    --sam-out "$ROOT/cfn-resources/sam/sam_facts.txt"
