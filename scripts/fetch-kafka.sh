#!/usr/bin/env bash
# Installs the Kafka versions the integration tests run against into the repo's git-ignored .cache/, through
# kafkit itself (`install kafka --source maven`: works wherever Maven Central is reachable, and ~/.m2 makes
# re-runs fast). Already-installed versions are skipped without starting node.
#
#   KAFKIT_TEST_KAFKA_VERSIONS  versions to install (default: "3.9.2 4.4.0")
#   KAFKIT_CACHE                cache root (default: <repo>/.cache; distributions land in $KAFKIT_CACHE/kafka/<version>)
#
# Assumes `npm run build` has run (it uses bin/run.js, which loads dist/).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export KAFKIT_CACHE="${KAFKIT_CACHE:-$repo/.cache}"
versions="${KAFKIT_TEST_KAFKA_VERSIONS:-3.9.2 4.4.0}"

if [[ ! -f "$repo/dist/cli.js" || ! -f "$repo/dist/command-index.js" ]]; then
  echo "fetch-kafka: $repo/dist is missing or stale; run 'npm run build' first." >&2
  exit 1
fi

for version in $versions; do
  home="$KAFKIT_CACHE/kafka/$version"
  # The install record is written last-but-one and the directory only appears via an atomic rename,
  # so record + broker jar present means a complete install.
  if [[ -f "$home/.kafkit-install.json" && -f "$home/libs/kafka_2.13-$version.jar" ]]; then
    echo "Kafka $version already cached at $home"
    continue
  fi
  # stdout is the CLI's one-line result; its progress goes to stderr.
  node "$repo/bin/run.js" install kafka --source maven --version "$version"
done
