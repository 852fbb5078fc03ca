#!/usr/bin/env bash
# Bounded fuzz smoke run (fuzz/README.md): seeds from spec/vectors/zap.toml
# and lrv.toml, then every target, named <protocol>_<check> and run with
# fuzz/<protocol>.dict, for FUZZ_SMOKE_RUNS executions (default 20000).
# A target without a protocol prefix is an old name kept for users
# (`decode` is zap_decode) and is not run twice. Exits non-zero if any
# target crashes; exits 0, saying so, without nightly.
#
# It runs in fuzz/ with plain `cargo fuzz`, as the README tells users to:
# fuzz/rust-toolchain.toml selects nightly, so this also checks that promise.
set -euo pipefail
cd "$(dirname "$0")"

runs="${FUZZ_SMOKE_RUNS:-20000}"

if ! rustup toolchain list | grep -q nightly; then
  echo "fuzz smoke skipped: no nightly toolchain (rustup toolchain install nightly to run it)"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

if command -v python3 >/dev/null 2>&1; then
  python3 seeds.py corpus
else
  echo "warning: no python3, fuzzing without seed corpora (fuzz/seeds.py)"
fi

echo "== building fuzz targets"
cargo fuzz build

failed=()
for target in $(cargo fuzz list); do
  case "$target" in
    *_*) ;;
    *) echo "== $target: an old name for a target run under its own; skipped"; continue ;;
  esac
  echo "== fuzz $target: $runs runs"
  mkdir -p "corpus/$target" artifacts
  log="artifacts/smoke-$target.log"
  # Each protocol's targets get its own dictionary (lrv_* → lrv.dict).
  dict="${target%%_*}.dict"
  if ! cargo fuzz run "$target" -- \
      -dict="$dict" -runs="$runs" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    failed+=("$target")
  else
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
  fi
done

if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz smoke FAILED: ${failed[*]} (artifacts in fuzz/artifacts/, see fuzz/README.md)"
  exit 1
fi
echo "fuzz smoke passed: every target ran $runs executions without a crash"
