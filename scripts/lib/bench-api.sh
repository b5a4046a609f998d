# shellcheck shell=bash
# shellcheck disable=SC2154 # $tmp, $url, $cli and the rest are scripts/bench's, which sources this file
# shellcheck disable=SC2016 # the embedded Python quotes its own strings
# shellcheck disable=SC2317 # bench_cleanup is called from scripts/bench's trap
# The `api` section of scripts/bench, sourced by it after the throwaway cluster is up
# ($tmp, $url, $bindir, $psql, $cli, $repeats, $seconds, $households, record, median).
#
# A database seeded with H households and matched once; `charity-match serve` on it;
# then, interleaved N times: `wrk -t2 -c32 -d S --latency` on
#   GET /v1/needs/{random id}/candidates?limit=10   and   GET /v1/matches?status=proposed
# as a coordinator of the county, and `pgbench -c32 -j2 -T S -M prepared` running the SQL
# statements those two requests sent (captured from the server's statement log with their
# parameters, the need id replaced by a random one), so both sides do the same database work.

# shellcheck disable=SC2034 # cm_serve sets it and cm_unserve reads it
server='' dburl=''

bench_api() {
  command -v wrk >/dev/null 2>&1 || {
    cm_is_root || cm_die "wrk is missing (Debian package wrk)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade wrk >/dev/null \
      || cm_die "apt-get install wrk failed"
  }
  command -v python3 >/dev/null 2>&1 || cm_die "python3 is needed to turn the statement log into pgbench scripts"
  local h=${households%% *} db=bench_api port token minid maxid run capture
  export ID_PEPPER=bench-pepper-0123456789abcdef
  "$psql" -q "$url" -c "CREATE DATABASE $db"
  dburl=${url/\/postgres\?//$db?}
  "$cli" migrate --database-url "$dburl" --migrations "$repo/sql" >/dev/null 2>&1
  cm_note "seeding $h households and running a matching"
  "$cli" seed --database-url "$dburl" --households "$h" --offers $(( h * 10 / 72 )) --seed 1 >/dev/null
  "$cli" match --database-url "$dburl" --region 320508000000 >/dev/null
  "$psql" -q "$dburl" -c 'VACUUM ANALYZE'
  token=$("$cli" token create --database-url "$dburl" --role coordinator --region 320508000000 \
    --name bench --login bench-coordinator | tail -n 1)
  minid=$("$psql" -Atq "$dburl" -c 'SELECT min(id) FROM needs')
  # The need whose request is captured: its id and its household's must not equal any
  # other number the statements carry, so that only they are turned into variables.
  capture=$("$psql" -Atq "$dburl" -c "SELECT n.id || ' ' || n.household_id || ' ' || n.category_id || ' ' || c.parent_id
    FROM needs n JOIN categories c ON c.id = n.category_id WHERE n.id > 1000 AND n.household_id > 1000
     AND n.household_id <> n.id ORDER BY n.id LIMIT 1")
  maxid=$("$psql" -Atq "$dburl" -c 'SELECT max(id) FROM needs')
  port=$(( 20000 + RANDOM % 20000 ))
  while cm_pg_port_in_use "$port"; do port=$(( port + 1 )); done

  bench_cleanup() { cm_unserve; }

  # Capture what each request sends: statement logging on for new connections only.
  "$psql" -q "$dburl" -c "ALTER DATABASE $db SET log_statement = 'all'"
  cm_serve "$dburl" "$port" --pool-size 8
  local candidates_path="/v1/needs/${capture%% *}/candidates?limit=10" matches_path="/v1/matches?status=proposed"
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port$candidates_path" >/dev/null
  local mark_candidates mark_matches mark_end
  mark_candidates=$(stat -c %s "$tmp/log")
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port$candidates_path" >/dev/null
  sleep 0.3
  mark_matches=$(stat -c %s "$tmp/log")
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port$matches_path" >/dev/null
  sleep 0.3
  mark_end=$(stat -c %s "$tmp/log")
  cm_unserve
  "$psql" -q "$dburl" -c "ALTER DATABASE $db RESET log_statement"
  pgbench_script "$mark_candidates" "$mark_matches" "$capture" >"$tmp/candidates.sql"
  pgbench_script "$mark_matches" "$mark_end" '' >"$tmp/matches.sql"
  cm_note "pgbench scripts: $(grep -c ';$' "$tmp/candidates.sql") statements per candidates request, $(grep -c ';$' "$tmp/matches.sql") per list request"
  chmod 0644 "$tmp"/*.sql
  cp "$tmp/candidates.sql" "$tmp/matches.sql" "${TMPDIR:-/tmp}/" 2>/dev/null || true

  cat >"$tmp/candidates.lua" <<LUA
math.randomseed(os.time())
request = function()
  local id = math.random($minid, $maxid)
  return wrk.format("GET", "/v1/needs/" .. id .. "/candidates?limit=10", {["Authorization"] = "Bearer $token"})
end
LUA
  cm_serve "$dburl" "$port" --pool-size 8
  for ((run = 1; run <= repeats; run++)); do
    cm_note "run $run of $repeats"
    record "$(wrk_json candidates wrk -t2 -c32 -d"${seconds}s" --latency -s "$tmp/candidates.lua" \
      "http://127.0.0.1:$port")"
    drain
    record "$(wrk_json matches wrk -t2 -c32 -d"${seconds}s" --latency \
      -H "Authorization: Bearer $token" "http://127.0.0.1:$port$matches_path")"
    drain
    record "$(pgbench_json candidates -D minid="$minid" -D maxid="$maxid" -f "$tmp/candidates.sql")"
    record "$(pgbench_json matches -f "$tmp/matches.sql")"
  done
  cm_unserve
  printf '\nmedians of %d runs of %ss each (H=%d households; API: wrk -t2 -c32; database: pgbench -c32 -j2 -M prepared, same statements)\n' \
    "$repeats" "$seconds" "$h"
  local endpoint api_rps api_p99 pg_tps pg_p99
  for endpoint in candidates matches; do
    api_rps=$(median "$results" "\"bench\":\"wrk\",\"endpoint\":\"$endpoint\"" per_second)
    api_p99=$(median "$results" "\"bench\":\"wrk\",\"endpoint\":\"$endpoint\"" p99_ms)
    pg_tps=$(median "$results" "\"bench\":\"pgbench\",\"endpoint\":\"$endpoint\"" per_second)
    pg_p99=$(median "$results" "\"bench\":\"pgbench\",\"endpoint\":\"$endpoint\"" p99_ms)
    awk -v e="$endpoint" -v a="$api_rps" -v ap="$api_p99" -v p="$pg_tps" -v pp="$pg_p99" 'BEGIN {
      printf "  %-10s API %8.1f req/s p99 %7.2f ms | pgbench %8.1f tps p99 %7.2f ms | ratio %.2f\n", e, a, ap, p, pp, a / p }'
  done
}

# drain: wait until requests wrk abandoned at its deadline have finished on the server (their
# statements would otherwise run into the next measurement): no backend of the database busy.
drain() {
  local i
  for ((i = 0; i < 600; i++)); do
    [[ $("$psql" -Atq "$dburl" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
      AND state <> 'idle' AND pid <> pg_backend_pid()") == 0 ]] && return 0
    sleep 0.1
  done
}

# wrk_json ENDPOINT COMMAND...: runs wrk; prints requests/s, p99 and non-2xx count as JSON.
wrk_json() {
  local endpoint=$1 out
  shift
  out=$("$@")
  awk -v e="$endpoint" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ *99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "{\"bench\":\"wrk\",\"endpoint\":\"%s\",\"per_second\":%s,\"p99_ms\":%.3f,\"non_2xx\":%d}", e, rps, p99, bad + 0 }
  ' <<<"$out"
}

# pgbench_json ENDPOINT PGBENCH-ARGS...: tps and p99 latency from pgbench's transaction log.
pgbench_json() {
  local endpoint=$1 out p99
  shift
  rm -rf "$tmp/pgbench"
  mkdir "$tmp/pgbench"
  cm_pg_own_dir "$tmp/pgbench"
  out=$(cm_as_pg "$bindir/pgbench" -n -M prepared -c 32 -j 2 -T "$seconds" -l --log-prefix="$tmp/pgbench/log" \
    "$@" "$dburl" 2>&1) \
    || { printf '%s\n' "$out" >&2; cm_die "pgbench failed for $endpoint"; }
  p99=$(cat "$tmp"/pgbench/log.* | awk '{ print $3 / 1000 }' | sort -g \
    | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; print v[i] }')
  awk -v e="$endpoint" -v p="$p99" '/^tps = / { tps = $3 } END {
    printf "{\"bench\":\"pgbench\",\"endpoint\":\"%s\",\"per_second\":%s,\"p99_ms\":%.3f}", e, tps, p }' <<<"$out"
}

# pgbench_script FROM TO ["NEED HOUSEHOLD CATEGORY PARENT"]: the statements logged between
# byte offsets FROM and TO of the server log as a pgbench script, parameters inlined. With a
# captured need, the script draws a random need id and first looks up its household and
# category (one primary-key query the API does not need, since it reads them in passing);
# the captured need's numbers become those variables.
pgbench_script() {
  tail -c +"$(( $1 + 1 ))" "$tmp/log" | head -c "$(( $2 - $1 ))" | python3 -c '
import re, sys
captured = sys.argv[1].split()
names = [":id", ":household_id", ":category_id", ":parent_id"]
variables = {"'"'"'" + value + "'"'"'": name for value, name in zip(captured, names)}
text = sys.stdin.read()
entries = re.split(r"^\S+ \S+ \S+ \[\d+\] ", text, flags=re.M)
statements = []
for entry in entries:
    if entry.startswith("LOG:  statement: "):
        statements.append([entry[len("LOG:  statement: "):].strip(), {}])
    elif entry.startswith("LOG:  execute "):
        statements.append([entry.split(": ", 2)[2].strip(), {}])
    elif entry.startswith("DETAIL:  parameters: ") and statements:
        for name, value in re.findall(r"\$(\d+) = (NULL|'"'"'(?:[^'"'"']|'"'"''"'"')*'"'"')", entry):
            statements[-1][1][name] = value
if captured:
    print("\\set id random(:minid, :maxid)")
    print("SELECT n.household_id, n.category_id, c.parent_id FROM needs n JOIN categories c ON c.id = n.category_id")
    print("  WHERE n.id = :id \\gset")
for sql, params in statements:
    def inline(match):
        value = params.get(match.group(1), "NULL")
        return variables.get(value, value)
    print(re.sub(r"\$(\d+)", inline, sql).rstrip(";") + ";")
' "$3"
}
