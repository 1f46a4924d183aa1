#!/usr/bin/env bash
# The whole test suite against real Kafka: build, assemble the test Kafka distributions (cached in .cache/),
# run unit and end-to-end tests, and finish with one summary line "N passed, N failed".
#   bash scripts/test.sh --install   also installs what the tests need (npm packages, kcat, python3-kafka, fish)
#   bash scripts/test.sh test/e2e/stack.test.ts   runs only the given test files
set -euo pipefail
cd "$(dirname "$0")/.."

install=0
files=()
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    *) files+=("$arg") ;;
  esac
done

if [ "$install" = 1 ]; then
  npm ci --no-audit --no-fund
  if ! command -v kcat >/dev/null 2>&1 || ! command -v fish >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import kafka' >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kcat python3-kafka fish >/dev/null
  fi
fi

npm run build --silent
export KAFKIT_CACHE="${KAFKIT_CACHE:-$PWD/.cache}"
bash scripts/fetch-kafka.sh

if [ "${#files[@]}" = 0 ]; then
  files=(test/unit/*.test.ts test/e2e/*.test.ts)
fi
tap="$(mktemp)"
status=0
node --import tsx --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${files[@]}" || status=$?
passed=$(grep -E '^# pass ' "$tap" | awk '{print $3}' | tail -1)
failed=$(grep -E '^# fail ' "$tap" | awk '{print $3}' | tail -1)
rm -f "$tap"
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
