#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeded from the
# repository's examples; see docs/fuzzing.md. Needs a nightly toolchain and
# cargo-fuzz. A crash stops the run and leaves the input in
# fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_format compile_load artifact_load mask_html no_marker mask_events)
fi

# Seeds: the example and preset policies, the error corpus, the committed
# artifacts, and the example pages (each behind a policy-choosing byte).
mkdir -p corpus/{parse_format,compile_load,artifact_load,mask_html,no_marker,mask_events}
for dir in parse_format compile_load; do
  cp ../examples/*.scrim ../examples/shared/*.scrim ../crates/compiler/presets/*.scrim \
     ../crates/compiler/tests/corpus/errors/*.scrim "corpus/$dir/"
done
cp ../crates/artifact/fixtures/v1/*.json corpus/artifact_load/
i=0
for page in ../examples/pages/*.html; do
  { printf "\\x$(printf %02x $i)"; cat "$page"; } > "corpus/mask_html/$(basename "$page")"
  i=$((i + 1))
done
# The example recording and the event masker's cases (recordings of every
# event type), each behind a policy-choosing byte.
i=0
for recording in ../examples/recordings/*.json ../crates/rrweb/tests/cases/*.json; do
  { printf "\\x$(printf %02x $i)"; cat "$recording"; } > "corpus/mask_events/$(basename "$recording")"
  i=$(((i + 1) % 256))
done

cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
  case "$target" in
    no_marker) max_len=512 ;;
    mask_html | mask_events) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  echo "== $target for ${seconds}s"
  cargo +nightly fuzz run -O "$target" -- -max_total_time="$seconds" -max_len="$max_len" \
    -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*panicked)" || true
  if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    echo "fuzz target $target found a failing input: fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
