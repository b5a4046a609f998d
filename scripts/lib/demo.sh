# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sets variables for, and reads those of, the scripts that source it
# The demo's data, shared by scripts/demo and scripts/screenshots: the private cluster
# started, charity-match built (release), migrated, a demo county seeded unless it is
# there, matching runs for all townships but one unless something is proposed, and a fresh
# token per role.
# Sets: url, cli, township, charity, admin, coordinator, caseworker, charity_token.
# Expects: repo, reset (0/1), and lib/postgres.sh sourced.

demo_prepare() {
  "$repo/scripts/pg" start >/dev/null
  url=$("$repo/scripts/pg" url)
  psql_bin=$(cm_pg_psql_bin "$(cm_pg_bindir)")
  sql() { "$psql_bin" -Atq "$url" -c "$1"; }
  if (( reset )); then
    cm_note "--reset: dropping the demo database"
    server_url=${url/\/charity_match\?//postgres?}
    "$psql_bin" -q "$server_url" -c 'DROP DATABASE IF EXISTS charity_match WITH (FORCE)' -c 'CREATE DATABASE charity_match'
  fi

  mkdir -p "$repo/.data"
  if [[ -z ${ID_PEPPER:-} ]]; then
    [[ -s $repo/.data/demo-pepper ]] || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$repo/.data/demo-pepper"
    ID_PEPPER=$(cat "$repo/.data/demo-pepper")
  fi
  export ID_PEPPER DATABASE_URL=$url LOG_LEVEL=${LOG_LEVEL:-notice}

  cm_note "building charity-match (release)"
  swift build -c release --product charity-match >&2
  cli=$repo/.build/release/charity-match

  "$cli" migrate --migrations "$repo/sql" >/dev/null
  demo_county
  token() { "$cli" token create "$@" | tail -n 1; }
  admin=$(token --role admin --login demo-admin --name 演示管理员)
  coordinator=$(token --role coordinator --region 320508000000 --login demo-coordinator --name 演示协调员)
  caseworker=$(token --role caseworker --region "$township" --login demo-caseworker --name 演示社工)
  charity_token=$(token --role charity --charity "$charity" --login demo-charity --name 演示慈善干事)
}

# The demo county in the database $DATABASE_URL names, seeded unless it has households, and
# the story it tells (below). Sets: township (the caseworker's), charity (the one with the
# most approved matches). Expects: cli, and sql (runs one statement, prints its rows).
demo_county() {
  if [[ $(sql 'SELECT count(*) FROM households') == 0 ]]; then
    cm_note "seeding the demo county"
    "$cli" seed --demo --households 3000 --charities 40 --offers 400 --seed 1 >/dev/null
  fi
  # The story the demo tells: every township but the first has been matched, decided on in
  # part and matched again, so the coordinator has proposals to review and history to read
  # and the charity approved matches to accept; the first township's needs wait for their
  # run, with ranked candidates the caseworker there can see and propose from.
  township=$(sql "SELECT min(code) FROM regions WHERE level = 4 AND code LIKE '320508%'")
  others=$(sql "SELECT code FROM regions WHERE level = 4 AND code LIKE '320508%' AND code <> '$township' ORDER BY code")
  if [[ $(sql "SELECT count(*) FROM matches WHERE status = 'proposed'") == 0 ]]; then
    cm_note "running a matching for each township but $township and playing decisions on a share of it"
    for place in $others; do "$cli" match --region "$place" >/dev/null; done
    if [[ $(sql 'SELECT EXISTS (SELECT 1 FROM demo_mark)') == t ]]; then
      "$cli" rehearse --region 320508000000 --share 0.4 >/dev/null
      for place in $others; do "$cli" match --region "$place" >/dev/null; done
    else
      cm_note "this database was not seeded as a demo, so no decisions are played on it (--reset starts a demo over)"
    fi
  fi

  charity=$(sql "SELECT o.charity_id FROM offers o JOIN matches m ON m.offer_id = o.id
    GROUP BY o.charity_id ORDER BY count(*) FILTER (WHERE m.status = 'approved') DESC, count(*) DESC, o.charity_id
    LIMIT 1")
}
