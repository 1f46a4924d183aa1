#!/usr/bin/env bash
# The whole test suite against real Kafka: build, assemble the test Kafka distributions (cached in .cache/),
# run unit and end-to-end tests, then the embedded pass (the end-to-end suites of the stack, data plane and groups
# again, against kafkit's embedded broker: KAFKIT_TEST_RUNTIME=embedded, docs/embedded.md) beside the Node matrix
# (scripts/node-matrix.sh: unit suite, lint, typecheck and a real-Kafka smoke test on Node 22, 24 and 26, the smoke
# test on this machine's node), and finish with one summary line "N passed, N failed" counting all of it.
#   bash scripts/test.sh --install   also installs what the tests need (npm packages; kcat, python3-kafka, fish, and
#                                    for scripts/fetch-kafka.sh a Java 17+ JDK and Maven, through apt)
#   bash scripts/test.sh test/e2e/stack.test.ts   runs only the given test files (no embedded pass, no Node matrix)
#   bash scripts/test.sh --embedded [files]       only the embedded pass (its files, or the given ones, on the switch)
#   KAFKIT_NODE_MATRIX=0 bash scripts/test.sh     the whole suite without the Node matrix
#   KAFKIT_EMBEDDED_PASS=0 bash scripts/test.sh   the whole suite without the embedded pass
set -euo pipefail
cd "$(dirname "$0")/.."

# The suites the embedded pass runs: every test in them passes on the embedded broker or is marked, where it is
# declared, with needsRealKafka(reason) (test/e2e/helpers.ts) and skipped there with that reason.
embedded_files=(
  test/e2e/topics.test.ts
  test/e2e/console.test.ts
  test/e2e/stack.test.ts
  test/e2e/no-kafkajs.test.ts
  test/e2e/perf-test.test.ts
  test/e2e/wrong-ports.test.ts
  test/e2e/stack-hints.test.ts
  test/e2e/direct.test.ts
  test/e2e/consumer-groups.test.ts
  test/e2e/kafka4-groups.test.ts
  test/e2e/json-shapes.test.ts
  test/e2e/errors.test.ts
  test/e2e/stack-extras.test.ts
  test/e2e/signals.test.ts
  test/e2e/terminal.test.ts
  test/e2e/streams-reset.test.ts
  test/e2e/faults.test.ts
)

install=0
embedded_only=0
files=()
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    --embedded) embedded_only=1 ;;
    *) files+=("$arg") ;;
  esac
done

# The major version of the java that kafkit and Maven run ($JAVA_HOME/bin/java when set, as Kafka's scripts), or 0.
java_major() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" major
  major=$("$java" -version 2>&1 | sed -nE '1s/^[^"]*"(1\.)?([0-9]+).*/\2/p')
  echo "${major:-0}"
}

if [ "$install" = 1 ]; then
  npm ci --no-audit --no-fund
  packages=()
  command -v kcat >/dev/null 2>&1 || packages+=(kcat)
  command -v fish >/dev/null 2>&1 || packages+=(fish)
  /usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || packages+=(python3-kafka)
  # scripts/fetch-kafka.sh assembles Kafka from Maven Central with mvn, and Kafka 4 needs Java 17+.
  [ "$(java_major)" -ge 17 ] || packages+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || packages+=(maven)
  if [ "${#packages[@]}" -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
    fi
    if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; }; then
      echo "test.sh: missing ${packages[*]} (Debian package names) and no apt-get as root or through sudo to install them." >&2
      echo "test.sh: install them by hand (e.g. 'brew install kcat fish openjdk@17 maven' and 'pip install kafka-python'), then rerun." >&2
      exit 1
    fi
    echo "test.sh: installing ${packages[*]} with apt-get" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-upgrade "${packages[@]}" >/dev/null ||
      { echo "test.sh: 'apt-get install ${packages[*]}' failed; install them by hand, then rerun." >&2; exit 1; }
  fi
  missing=()
  [ "$(java_major)" -ge 17 ] ||
    missing+=("Java 17 or newer (found: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1 || true); install openjdk-17-jdk-headless or point JAVA_HOME at a JDK 17+)")
  command -v mvn >/dev/null 2>&1 || missing+=("Maven, mvn on PATH (apt-get install maven)")
  command -v kcat >/dev/null 2>&1 || missing+=("kcat on PATH (apt-get install kcat)")
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'test.sh: still missing after --install: %s\n' "${missing[@]}" >&2
    exit 1
  fi
fi

npm run build --silent
export KAFKIT_CACHE="${KAFKIT_CACHE:-$PWD/.cache}"
bash scripts/fetch-kafka.sh

matrix=0
matrix_status=0
embedded=()
if [ "$embedded_only" = 1 ]; then
  embedded=("${files[@]}")
  [ "${#embedded[@]}" -gt 0 ] || embedded=("${embedded_files[@]}")
  files=()
elif [ "${#files[@]}" = 0 ]; then
  files=(test/unit/*.test.ts test/e2e/*.test.ts)
  [ "${KAFKIT_NODE_MATRIX:-1}" = 0 ] || matrix=1
  [ "${KAFKIT_EMBEDDED_PASS:-1}" = 0 ] || embedded=("${embedded_files[@]}")
fi
taps="$(mktemp -d)"
status=0
if [ "${#files[@]}" -gt 0 ]; then
  node --import tsx --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$taps/main.tap" \
    "${files[@]}" || status=$?
fi
# The embedded pass: the spec report to $1 (stdout or a file), the TAP file to count.
embedded_pass() {
  KAFKIT_TEST_RUNTIME=embedded node --import tsx --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination="$1" \
    --test-reporter=tap --test-reporter-destination="$taps/embedded.tap" \
    "${embedded[@]}"
}
embedded_status=0
if [ "${#embedded[@]}" -gt 0 ]; then
  echo "test.sh: the embedded pass: ${#embedded[@]} suites against kafkit's embedded broker (KAFKIT_TEST_RUNTIME=embedded)"
fi
if [ "$matrix" = 1 ]; then
  embedded_pid=""
  if [ "${#embedded[@]}" -gt 0 ]; then
    # Beside the matrix, which is mostly CPU (unit suites, lint, typecheck) where the embedded pass mostly waits on
    # group rebalances and timeouts: together they take little longer than the pass alone. Its report follows.
    echo "test.sh: the embedded pass runs beside the Node matrix; its report follows the matrix's"
    embedded_pass "$taps/embedded.spec" &
    embedded_pid=$!
  fi
  # One TAP file per Node version and step, counted below with the main suite's.
  matrix_status=0
  bash scripts/node-matrix.sh --tap-dir "$taps/matrix" || matrix_status=$?
  if [ -n "$embedded_pid" ]; then
    wait "$embedded_pid" || embedded_status=$?
    echo "test.sh: the embedded pass's report"
    cat "$taps/embedded.spec"
  fi
  [ "$matrix_status" = 0 ] || [ "$status" != 0 ] || status=$matrix_status
elif [ "${#embedded[@]}" -gt 0 ]; then
  embedded_pass stdout || embedded_status=$?
fi
[ "$embedded_status" = 0 ] || [ "$status" != 0 ] || status=$embedded_status
passed=0
failed=0
matrix_failed=0
for tap in "$taps"/main.tap "$taps"/embedded.tap "$taps"/matrix/*.tap; do
  [ -f "$tap" ] || continue
  p=$(grep -E '^# pass ' "$tap" | awk '{print $3}' | tail -1 || true)
  f=$(grep -E '^# fail ' "$tap" | awk '{print $3}' | tail -1 || true)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  case "$tap" in "$taps"/matrix/*) matrix_failed=$((matrix_failed + ${f:-0})) ;; esac
done
# The matrix failing before any test ran (e.g. a Node binary that could not be fetched) counts as one failure.
if [ "$matrix" = 1 ] && [ "$matrix_status" != 0 ] && [ "$matrix_failed" = 0 ]; then failed=$((failed + 1)); fi
rm -rf "$taps"
echo "$passed passed, $failed failed"
exit "$status"
