#!/usr/bin/env bash
# Fails when the checked-in generated code of cfn-resources differs from what
# the generator produces from the pinned schemas (see regen-resources.sh).
# Takes ~30 s plus the wheel download on a fresh machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/regen-resources.sh"
"$ROOT/scripts/regen-sam.sh"
if ! git diff --quiet --exit-code -- cfn-resources || [ -n "$(git ls-files --others --exclude-standard -- cfn-resources)" ]; then
    echo "generated code is stale: run scripts/regen-resources.sh and scripts/regen-sam.sh and commit the result" >&2
    git status --short -- cfn-resources >&2
    exit 1
fi
echo "generated code is up to date"
