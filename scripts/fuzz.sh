#!/usr/bin/env bash
# Runs every fuzz target of the module (or of the packages given as arguments), one after another, each
# for FUZZTIME (default 30s). `make test` only runs their seed corpora; this explores beyond them.
# A crasher is written by `go test` under the package's testdata/fuzz/<Target>/ and fails the run.
#   scripts/fuzz.sh                 every package
#   FUZZTIME=5s scripts/fuzz.sh ./pos/barcode ./hardware/...
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${TAGS:-migrated_fynedo}
FUZZTIME=${FUZZTIME:-30s}
# Fuzzing is one package at a time; a worker per core is go's default, kept overridable for a shared box.
PARALLEL=${FUZZPARALLEL:-}

pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

# Only packages with a Fuzz function in a test file: listing the others would build Fyne for nothing.
mapfile -t dirs < <(grep -rl --include='*_test.go' '^func Fuzz' "${pkgs[@]/%\/.../}" 2>/dev/null \
  | xargs -r -n1 dirname | sort -u)

# count is how many inputs a target's corpus folder holds (0 without the folder).
count() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }

failed=()
flaked=()
total=0
start=$(date +%s)
for d in "${dirs[@]}"; do
  pkg="./${d#./}"
  mapfile -t targets < <($GO test -tags "$TAGS" -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  for f in "${targets[@]}"; do
    total=$((total + 1))
    echo "== $pkg $f ($FUZZTIME)"
    args=(-tags "$TAGS" -run '^$' -fuzz "^${f}\$" -fuzztime "$FUZZTIME")
    [ -n "$PARALLEL" ] && args+=(-parallel "$PARALLEL")
    corpus="$d/testdata/fuzz/$f"
    before=$(count "$corpus")
    if ! $GO test "${args[@]}" "$pkg"; then
      # Go before 1.27 may fail a target with "context deadline exceeded" as FUZZTIME ends, without an
      # input (go.dev/issue/75804). Only a written reproducer is a crasher; otherwise run it once more.
      if [ "$(count "$corpus")" -gt "$before" ] || ! $GO test "${args[@]}" "$pkg"; then
        failed+=("$pkg $f")
      else
        flaked+=("$pkg $f")
      fi
    fi
  done
done

echo "fuzz: $total targets in $(( $(date +%s) - start ))s, ${#failed[@]} failed," \
  "${#flaked[@]} failed without a reproducer and passed when run again"
for f in "${failed[@]}"; do echo "  FAIL $f"; done
for f in "${flaked[@]}"; do echo "  passed again: $f"; done
[ ${#failed[@]} -eq 0 ]
