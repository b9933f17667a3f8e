#!/usr/bin/env bash
# The test command (README.md, .ci/run): every module's unit and integration tests, the
# packaged demo driven over HTTP, ArchUnit rules, then the publish-and-consume check.
# Needs Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, database test) for the tests
# that use them: .ci/run starts them when they are not running.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B verify "$@"
./scripts/release-check.sh
