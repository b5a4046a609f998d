# shellcheck shell=bash
# shellcheck disable=SC2154 # $tmp, $url, $cli and the rest are scripts/bench's, which sources this file
# shellcheck disable=SC2317 # bench_cleanup is called from scripts/bench's trap
# The `pages` section of scripts/bench, sourced by it after the throwaway cluster is up
# ($tmp, $url, $psql, $cli, $repeats, $rounds).
#
# The demo county as scripts/demo leaves it (lib/demo.sh's demo_county: 3,000 households,
# every township but one matched, decisions played on a share); `charity-match serve` on it
# with its request log on; then N times: every page of every role requested R times, in
# turn, by lib/bench-pages.py. The server's own log times each answer (`duration_ms`, from
# the request's arrival to its answer), so the figures are server time per route template.

# shellcheck disable=SC2034 # cm_serve sets it and cm_unserve reads it
server=''

bench_pages() {
  # shellcheck source-path=SCRIPTDIR source=demo.sh
  source "$repo/scripts/lib/demo.sh"
  local db=bench_pages port run
  export ID_PEPPER=bench-pepper-0123456789abcdef
  "$psql" -q "$url" -c "CREATE DATABASE $db"
  DATABASE_URL=${url/\/postgres\?//$db?}
  export DATABASE_URL
  sql() { "$psql" -Atq "$DATABASE_URL" -c "$1"; }
  "$cli" migrate --migrations "$repo/sql" >/dev/null 2>&1
  demo_county
  "$psql" -q "$DATABASE_URL" -c 'VACUUM ANALYZE'
  token() { "$cli" token create "$@" | tail -n 1; }
  local tokens=(
    "admin=$(token --role admin --name 基准管理员)"
    "coordinator=$(token --role coordinator --region 320508000000 --name 基准协调员)"
    "caseworker=$(token --role caseworker --region "$township" --name 基准社工)"
    "charity=$(token --role charity --charity "$charity" --name 基准干事)"
  )
  port=$(( 20000 + RANDOM % 20000 ))
  while cm_pg_port_in_use "$port"; do port=$(( port + 1 )); done
  bench_cleanup() { cm_unserve; }
  LOG_LEVEL=info cm_serve "$DATABASE_URL" "$port"
  for ((run = 1; run <= repeats; run++)); do
    : >"$tmp/serve.log"
    python3 "$repo/scripts/lib/bench-pages.py" "http://127.0.0.1:$port" "$rounds" "${tokens[@]}" >"$tmp/crawl.json"
    python3 - "$tmp/serve.log" "$run" "$(cat "$tmp/crawl.json")" <<'PY' | tee -a "$tmp/pages.jsonl"
import json, re, sys
times = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if "duration_ms=" not in line or "method=GET" not in line:
        continue
    route = re.search(r"route=(\S+)", line).group(1)
    if route.startswith("/dashboard") and "sign-in" not in route:
        times.setdefault(route, []).append(float(re.search(r"duration_ms=([0-9.]+)", line).group(1)))
def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(0.95 * len(values)))]
print(json.dumps({"run": int(sys.argv[2]), **json.loads(sys.argv[3]),
                  "p95_ms": {route: round(p95(v), 2) for route, v in sorted(times.items())},
                  "count": {route: len(v) for route, v in sorted(times.items())}}))
PY
  done
  cm_unserve
  python3 - "$tmp/pages.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
routes = sorted({route for run in runs for route in run["p95_ms"]})
print(f"\nserver time per dashboard route, p95 of each run's requests, median of {len(runs)} runs")
print(f"{'route':48} {'requests/run':>12} {'p95 ms':>8}")
worst = 0.0
for route in routes:
    values = [run["p95_ms"][route] for run in runs if route in run["p95_ms"]]
    median = statistics.median(values)
    worst = max(worst, median)
    count = statistics.median(run["count"].get(route, 0) for run in runs)
    print(f"{route:48} {count:12.0f} {median:8.2f}")
print(f"slowest route's p95: {worst:.2f} ms (target: under 100 ms)")
PY
}
