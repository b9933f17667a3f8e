#!/usr/bin/env bash
# The demo: builds once, then starts the three Aegis services on embedded defaults (no server
# needed) and stops them on Ctrl-C.
#   user-service            http://localhost:8080
#   policy-service          http://localhost:8081
#   recommendation-service  http://localhost:8082  (calls the other two)
# The three share a development token issuer for this run only: a random HS256 secret, one issuer
# and one audience (see examples/README.md), so a token from any /dev/token is accepted by all,
# and the recommendation-service can forward its caller's token.
# AEGIS_DEMO_SKIP_BUILD=1 skips the build when the jars exist.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${AEGIS_DEMO_SKIP_BUILD:-}" != 1 ]; then
  echo "demo: building (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

AEGIS_DEV_TOKEN_ISSUER_SHARED_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export AEGIS_DEV_TOKEN_ISSUER_SHARED_SECRET
export AEGIS_AUTH_JWT_ISSUER=http://localhost/aegis-demo
export AEGIS_AUTH_JWT_AUDIENCES=aegis-demo

pids=()
stop() {
  trap - EXIT INT TERM
  echo
  echo "demo: stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

AEGIS_HTTP_PORT=8080 java -jar examples/user-service/target/user-service.jar & pids+=($!)
AEGIS_HTTP_PORT=8081 java -jar examples/policy-service/target/policy-service.jar & pids+=($!)
AEGIS_HTTP_PORT=8082 \
AEGIS_UPSTREAMS_USER_SERVICE_TARGETS=localhost:8080 \
AEGIS_UPSTREAMS_POLICY_SERVICE_TARGETS=localhost:8081 \
  java -jar examples/recommendation-service/target/recommendation-service.jar & pids+=($!)

if command -v curl >/dev/null 2>&1; then
  for port in 8080 8081 8082; do
    for _ in $(seq 1 150); do
      if curl -fs "http://localhost:$port/health/ready" >/dev/null 2>&1; then break; fi
      sleep 0.2
    done
  done
else
  sleep 8
fi

cat <<'TXT'

demo: the three services are up. In another terminal:

  TOKEN=$(curl -s -X POST 'http://localhost:8082/dev/token?scope=recommendations:read%20users:read%20policies:read' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s http://localhost:8082/api/v1/recommendations/u-1001 -H "Authorization: Bearer $TOKEN"
  curl -s 'http://localhost:8081/api/v1/policies?owner=u-1001' -H "Authorization: Bearer $TOKEN"
  curl -s http://localhost:8080/api/v1/users/u-1001 -H "Authorization: Bearer $TOKEN"

Stop the policy-service (its pid is printed in the log) to see "degraded": ["policy"] and the
Aegis-Degraded header. Ctrl-C stops everything.
TXT
wait
