#!/usr/bin/env bash
# The HTTP load run of docs/performance.md: the same servlet bare, behind the policy stages alone
# (JWT, rate limit, version), behind the inbound chain without body rewriting (plus threat
# inspection of query and JSON body), and behind the full chain (plus response masking), measured
# side by side in one run with wrk on loopback. Reports throughput, its ratio to bare, and the
# server's CPU time per request (from /proc), and the CPU the chain adds per request.
#
#   mvn -B -q -DskipTests package -pl benchmarks -am && benchmarks/http-load.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-16}
jar=benchmarks/target/benchmarks.jar
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package -pl benchmarks -am" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
body='{"query":"engineers in London who prefer e-mail","filters":{"city":"London","tier":["premium","enterprise"],"active":true},"fields":["id","name","email","phone","city"],"page":{"size":20,"after":"u-1000"},"note":"Looking for people to invite to the spring meetup; please include those who joined after March and skip anyone who opted out of newsletters. Korean names welcome: 김민준, 이서연. O'"'"'Brien too.","padding":"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur excepteur sint occaecat"}'
hz=$(getconf CLK_TCK)
printf '%-6s %12s %8s %14s %14s\n' mode "req/s" "vs bare" "CPU µs/req" "added µs/req"
bare_rps=""; bare_cpu=""
port=18181
for mode in ${HTTP_LOAD_MODES:-bare policy chain full}; do
  port=$((port + 1))
  java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$jar" io.aegis.gateway.benchmarks.HttpLoadServer "$mode" "$port" "$work/token" > "$work/$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q ready "$work/$mode.log" 2>/dev/null && break; sleep 0.2; done
  token=$(cat "$work/token")
  cat > "$work/req.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  url="http://127.0.0.1:$port/api/v1/users/search?q=london&limit=20&sort=name"
  wrk -t1 -c"$conns" -d10s -s "$work/req.lua" "$url" > /dev/null   # warm-up (JIT)
  t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
  out=$(wrk -t1 -c"$conns" -d"${secs}s" -s "$work/req.lua" "$url")
  t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  [ -z "$non2xx" ] || { echo "$mode: $non2xx non-2xx answers" >&2; echo "$out" >&2; exit 1; }
  rps=$(echo "$requests $secs" | awk '{printf "%.0f", $1 / $2}')
  cpu=$(echo "$t0 $t1 $hz $requests" | awk '{printf "%.1f", ($2 - $1) / $3 * 1e6 / $4}')
  if [ -z "$bare_rps" ]; then bare_rps=$rps; bare_cpu=$cpu; fi
  ratio=$(echo "$rps $bare_rps" | awk '{printf "%.1f%%", 100 * $1 / $2}')
  added=$(echo "$cpu $bare_cpu" | awk '{printf "%.1f", $1 - $2}')
  printf '%-6s %12s %8s %14s %14s\n' "$mode" "$rps" "$ratio" "$cpu" "$added"
  kill $pid; wait $pid 2>/dev/null || true
done
