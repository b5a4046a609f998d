# shellcheck shell=bash
# shellcheck disable=SC2154 # $repo, $tmp, $url, $cli and the rest are scripts/bench's, which sources this file
# shellcheck disable=SC2317 # bench_cleanup is called from scripts/bench's trap
# shellcheck disable=SC1003 # tr's set is a quote and a backslash, as meant
# The `limits` section of scripts/bench, sourced by it after the throwaway cluster is up
# ($tmp, $url, $bindir, $psql, $cli, $repeats, record, median).
#
# N times each, on a small seeded database (2,000 households):
#   half-open  `charity-match serve --max-connections 11000` while scripts/lib/bench-limits.py
#              holds 10,000 connections that sent half a request head (reopening those the
#              server closes after the 10 s header timeout), and times 1,000 GET /v1/me, each
#              on a new connection: p99, and the same with no half-open connection.
#   stalled    every process of the cluster stopped with SIGSTOP, then 64 concurrent GET /v1/me:
#              the slowest time to an answer and the statuses (503 expected), then SIGCONT.
#   import     a 32 MB household file whose every row is bad, imported by `charity-match
#              import households` (peak RSS by /usr/bin/time, and above a header-only file's)
#              and uploaded to POST /v1/imports/households (the server's VmHWM, and above
#              its VmRSS just before the upload).

server='' dburl=''

bench_limits() {
  command -v python3 >/dev/null 2>&1 || cm_die "python3 is needed for the half-open and stalled clients"
  [[ -x /usr/bin/time ]] || cm_die "/usr/bin/time is needed for peak memory (Debian package time)"
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  (( $(ulimit -n) >= 12000 )) || cm_die "the open-file limit ($(ulimit -n)) cannot hold 10,000 connections"
  local db=bench_limits port admin caseworker run client="$repo/scripts/lib/bench-limits.py"
  export ID_PEPPER=bench-pepper-0123456789abcdef
  "$psql" -q "$url" -c "CREATE DATABASE $db"
  dburl=${url/\/postgres\?//$db?}
  "$cli" migrate --database-url "$dburl" --migrations "$repo/sql" >/dev/null 2>&1
  "$cli" seed --database-url "$dburl" --households 2000 --seed 1 >/dev/null
  admin=$("$cli" token create --database-url "$dburl" --role admin --name bench --login bench-admin | tail -n 1)
  caseworker=$("$cli" token create --database-url "$dburl" --role caseworker --region 320508000000 \
    --name bench --login bench-caseworker | tail -n 1)
  port=$(( 20000 + RANDOM % 20000 ))
  while cm_pg_port_in_use "$port"; do port=$(( port + 1 )); done
  python3 "$client" bad-csv "$tmp/bad.csv" 32000000 >&2
  head -n 1 "$tmp/bad.csv" >"$tmp/header.csv"

  cluster_signal() { # SIGNAL: to the postmaster and each of its children, by pid
    local postmaster
    postmaster=$(head -n 1 "$tmp/data/postmaster.pid")
    kill "-$1" "$postmaster" $(pgrep -P "$postmaster") 2>/dev/null || true
  }
  bench_cleanup() { cluster_signal CONT; cm_unserve; }

  for ((run = 1; run <= repeats; run++)); do
    cm_note "run $run of $repeats"
    cm_serve "$dburl" "$port" --max-connections 11000
    record "$(python3 "$client" half-open "$port" 0 "$admin" 1000 | sed 's/^{/{"cap":11000,/')"
    record "$(python3 "$client" half-open "$port" 10000 "$admin" 1000 | sed 's/^{/{"cap":11000,/')"
    cm_unserve
    cm_serve "$dburl" "$port"
    python3 "$client" stalled "$port" "$admin" 8 >/dev/null
    cluster_signal STOP
    record "$(python3 "$client" stalled "$port" "$admin" 64)"
    cluster_signal CONT
    sleep 1
    record "$(upload_rss "$caseworker")"
    cm_unserve
    record "$(cli_rss "$tmp/header.csv" header)"
    record "$(cli_rss "$tmp/bad.csv" bad)"
  done

  printf '\nmedians of %d runs\n' "$repeats"
  printf '  legitimate GET /v1/me p99: %s ms alone, %s ms beside 10,000 half-open connections (failed: %s)\n' \
    "$(median "$results" '"held":0,' p99_ms)" "$(median "$results" '"held":10000,' p99_ms)" \
    "$(median "$results" '"held":10000,' failed)"
  printf '  database stopped: slowest of 64 concurrent requests answered after %s s (median %s s)\n' \
    "$(median "$results" '"bench":"stalled","callers":64' slowest_s)" \
    "$(median "$results" '"bench":"stalled","callers":64' median_s)"
  local cli_idle cli_peak
  cli_idle=$(median "$results" '"file":"header"' peak_rss_mb)
  cli_peak=$(median "$results" '"file":"bad"' peak_rss_mb)
  printf '  32 MB bad CSV: CLI peak %s MB (%s MB above a header-only import); HTTP peak %s MB (%s MB above idle)\n' \
    "$cli_peak" "$(awk -v p="$cli_peak" -v i="$cli_idle" 'BEGIN { print p - i }')" \
    "$(median "$results" '"bench":"upload"' peak_rss_mb)" "$(median "$results" '"bench":"upload"' above_idle_mb)"
}

# cli_rss FILE LABEL: `charity-match import households FILE`, its peak RSS and exit status.
cli_rss() {
  local status=0
  /usr/bin/time -f '%M' -o "$tmp/rss" "$cli" import households --database-url "$dburl" "$1" \
    >/dev/null 2>"$tmp/import.err" || status=$?
  printf '{"bench":"cli-import","file":"%s","exit":%d,"problems_line":"%s","peak_rss_mb":%d}' "$2" "$status" \
    "$(tail -n 1 "$tmp/import.err" | tr -d '"\\' | cut -c1-120)" $(( $(tail -n 1 "$tmp/rss") / 1024 ))
}

# upload_rss TOKEN: the bad file to POST /v1/imports/households; the server's RSS before and peak.
upload_rss() {
  local idle peak status problems
  idle=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$server/status")
  status=$(curl -s -o "$tmp/answer.json" -w '%{http_code}' -H "Authorization: Bearer $1" \
    -H 'Content-Type: text/csv' --data-binary "@$tmp/bad.csv" "http://127.0.0.1:$port/v1/imports/households")
  peak=$(awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$server/status")
  problems=$(sed -n 's/.*The file has \([0-9]*\) problem.*/\1/p' "$tmp/answer.json")
  printf '{"bench":"upload","status":%s,"problems":%d,"answer_bytes":%d,"idle_rss_mb":%d,"peak_rss_mb":%d,"above_idle_mb":%d}' \
    "$status" "${problems:-0}" "$(stat -c %s "$tmp/answer.json")" "$idle" "$peak" $(( peak - idle ))
}
