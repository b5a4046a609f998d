# shellcheck shell=bash
# scripts/lib/postgres.sh: shared helpers for running private PostgreSQL clusters.
#
# Sourced by scripts/pg, scripts/test and .ci/run; it is not executed by itself.
# It only defines functions (all prefixed cm_) and never changes shell options;
# callers use `set -euo pipefail` and `shopt -s inherit_errexit`.
#
# Conventions:
#   * Server binaries (initdb, pg_ctl, postgres) come from the highest
#     /usr/lib/postgresql/<version>/bin (Debian layout), because /usr/local/bin
#     may hold wrappers; otherwise from `pg_config --bindir` or PATH.
#   * As root, every server command runs as the `postgres` system user
#     (runuser -u postgres --), from `/` so an unreadable cwd does not matter.
#     Otherwise it runs as the invoking user.
#   * Clusters use trust authentication, superuser `postgres`, and a unix socket
#     in a private 0700 directory. TCP is off unless asked for.

if [[ -n ${CM_PG_LIB_LOADED:-} ]]; then return 0; fi
CM_PG_LIB_LOADED=1
CM_PG_APT_UPDATED=${CM_PG_APT_UPDATED:-0}

# Longest socket *file* path we accept ("<dir>/.s.PGSQL.<port>"); the kernel
# limit is 107 bytes (sizeof(sun_path) - 1). Stay a little below it.
CM_PG_SOCK_MAX=100

cm_prog() { printf '%s' "${CM_PROG:-${0##*/}}"; }
cm_note() { printf '%s: %s\n' "$(cm_prog)" "$*" >&2; }
cm_die() { printf '%s: error: %s\n' "$(cm_prog)" "$*" >&2; exit 1; }
cm_is_root() { [[ ${EUID:-$(id -u)} -eq 0 ]]; }
# Join lines with "; ".
cm_join() { local out='' l; while IFS= read -r l; do [[ -n $l ]] && out+=${out:+; }$l; done <<<"$1"; printf '%s' "$out"; }

# Quote a string for /bin/sh (pg_ctl passes -o through the shell).
cm_sq() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

# Percent-encode a string for use in a URL component (RFC 3986 unreserved kept).
cm_urlencode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

# cm_pg_url DBNAME SOCKDIR PORT: libpq URL for the unix socket in SOCKDIR.
cm_pg_url() {
  printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' \
    "$(cm_urlencode "$1")" "$(cm_urlencode "$2")" "$3"
}

# cm_pg_bindir [MAJOR]: directory holding initdb/pg_ctl/postgres. With MAJOR,
# only that version's Debian directory is accepted (fails if it is missing).
cm_pg_bindir() {
  local want=${1:-} best d
  if [[ -n $want ]]; then
    d=/usr/lib/postgresql/$want/bin
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then printf '%s\n' "$d"; return 0; fi
    # Non-Debian layouts: accept whatever we find if it is the same major.
    d=$(cm_pg_bindir) || return 1
    [[ $("$d/postgres" --version 2>/dev/null) =~ \ ([0-9]+)(\.|$) && ${BASH_REMATCH[1]} == "${want%%.*}" ]] \
      && { printf '%s\n' "$d"; return 0; }
    return 1
  fi
  best=$(for d in /usr/lib/postgresql/*/bin; do
           [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && printf '%s\n' "$d"
         done | sort -V | tail -n 1)
  if [[ -n $best ]]; then printf '%s\n' "$best"; return 0; fi
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then printf '%s\n' "$d"; return 0; fi
  fi
  if d=$(command -v initdb 2>/dev/null); then
    d=$(dirname "$(readlink -f "$d")")
    if [[ -x $d/pg_ctl && -x $d/postgres ]]; then printf '%s\n' "$d"; return 0; fi
  fi
  return 1
}

# cm_pg_psql_bin: psql matching the server if available, else the one on PATH.
cm_pg_psql_bin() {
  local d
  if d=$(cm_pg_bindir "${1:-}") && [[ -x $d/psql ]]; then printf '%s\n' "$d/psql"; return 0; fi
  command -v psql 2>/dev/null
}

# Print (one per line) what is missing to build against libpq and run a cluster.
cm_pg_missing() {
  cm_pg_bindir >/dev/null || echo 'PostgreSQL server binaries (initdb, pg_ctl, postgres)'
  cm_pg_psql_bin '' >/dev/null || echo 'psql'
  command -v pg_config >/dev/null 2>&1 || echo 'pg_config'
  if ! command -v pkg-config >/dev/null 2>&1; then
    echo 'pkg-config'
  elif ! pkg-config --exists libpq 2>/dev/null; then
    echo 'libpq headers (pkg-config libpq)'
  fi
}

# Make sure PostgreSQL, libpq-dev and pkg-config are there; install them with
# apt-get when root, otherwise fail saying what to install.
cm_pg_ensure_packages() {
  local missing
  missing=$(cm_pg_missing)
  [[ -z $missing ]] && return 0
  if ! cm_is_root; then
    cm_die "missing: $(cm_join "$missing").
  Install them first, e.g. on Debian/Ubuntu:
    sudo apt-get install postgresql libpq-dev pkg-config"
  fi
  command -v apt-get >/dev/null 2>&1 \
    || cm_die "missing: $(cm_join "$missing"); no apt-get here, install PostgreSQL (server + client), libpq development files and pkg-config by hand"
  cm_note "installing postgresql libpq-dev pkg-config (missing: $(cm_join "$missing"))"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $CM_PG_APT_UPDATED != 1 ]]; then
    apt-get update -q >&2
    CM_PG_APT_UPDATED=1
  fi
  apt-get install -y -q --no-install-recommends --no-upgrade postgresql libpq-dev pkg-config >&2
  missing=$(cm_pg_missing)
  [[ -z $missing ]] || cm_die "still missing after apt-get install: $(cm_join "$missing")"
}

# The OS user that owns clusters and runs the server.
cm_pg_user() { if cm_is_root; then echo postgres; else id -un; fi; }

# As root, make sure the postgres system user exists.
cm_pg_ensure_user() {
  cm_is_root || return 0
  getent passwd postgres >/dev/null && return 0
  cm_note "creating system user postgres"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# Run a command as the cluster owner (from /, so cwd permissions don't matter).
cm_as_pg() {
  if cm_is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# True if the cluster owner can enter and write DIR (checks every parent too).
cm_pg_can_use_dir() { cm_as_pg test -d "$1" -a -x "$1" -a -w "$1" 2>/dev/null; }

# Give DIR to the cluster owner with mode 0700.
cm_pg_own_dir() {
  chmod 0700 "$1"
  if cm_is_root; then chown postgres: "$1"; fi
}

# True if "<DIR>/.s.PGSQL.<PORT>" fits in a unix socket address.
cm_pg_sock_fits() {
  local LC_ALL=C f="$1/.s.PGSQL.$2"
  (( ${#f} <= CM_PG_SOCK_MAX ))
}

# True if DIR is a real directory (not a symlink) owned by the cluster owner
# and not accessible by anyone else.
cm_pg_private_dir_ok() {
  [[ -d $1 && ! -L $1 ]] || return 1
  [[ $(stat -c %U "$1") == "$(cm_pg_user)" ]] || return 1
  [[ $(stat -c %a "$1") == 700 ]]
}

# cm_pg_mktemp_dir PREFIX [ROOM]: mktemp -d under ${TMPDIR:-/tmp} (or /tmp if
# that is too long or unusable by the cluster owner), owned by the cluster
# owner, mode 0700. ROOM = bytes that must still fit after the path (socket).
cm_pg_mktemp_dir() {
  local prefix=$1 room=${2:-0} t d LC_ALL=C
  for t in "${TMPDIR:-/tmp}" /tmp; do
    t=${t%/}; [[ -n $t ]] || t=/tmp
    [[ -d $t ]] || continue
    (( ${#t} + 1 + ${#prefix} + 7 + room <= CM_PG_SOCK_MAX )) || continue
    d=$(mktemp -d "$t/$prefix.XXXXXX" 2>/dev/null) || continue
    cm_pg_own_dir "$d"
    if cm_pg_can_use_dir "$d"; then printf '%s\n' "$d"; return 0; fi
    rm -rf "$d"
  done
  cm_die "could not create a temporary directory usable by user $(cm_pg_user) (tried ${TMPDIR:-/tmp} and /tmp)"
}

# cm_pg_socket_dir BASE PORT: private socket directory for the cluster in BASE.
# BASE/sock if short enough, otherwise a directory under ${TMPDIR:-/tmp}
# whose path is remembered in BASE/socket_dir.
cm_pg_socket_dir() {
  local base=$1 port=$2 d ptr=$1/socket_dir
  d=$base/sock
  if cm_pg_sock_fits "$d" "$port"; then
    [[ -d $d ]] || mkdir "$d"
    cm_pg_own_dir "$d"
    rm -f "$ptr"
    printf '%s\n' "$d"; return 0
  fi
  if [[ -f $ptr ]]; then
    d=$(<"$ptr")
    if [[ -n $d ]] && cm_pg_sock_fits "$d" "$port" && cm_pg_private_dir_ok "$d"; then
      printf '%s\n' "$d"; return 0
    fi
  fi
  d=$(cm_pg_mktemp_dir cm-pg-sock $(( ${#port} + 10 ))) || return 1
  printf '%s\n' "$d" >"$ptr"
  printf '%s\n' "$d"
}

# cm_pg_init BINDIR DATADIR: initdb (parent of DATADIR must belong to the owner).
cm_pg_init() {
  local bindir=$1 data=$2 out
  local args=(-D "$data" -U postgres --auth=trust --encoding=UTF8)
  if out=$(cm_as_pg "$bindir/initdb" "${args[@]}" --locale=C.UTF-8 2>&1); then return 0; fi
  if grep -qi 'locale' <<<"$out"; then
    cm_note "locale C.UTF-8 unavailable, using C"
    if out=$(cm_as_pg "$bindir/initdb" "${args[@]}" --locale=C 2>&1); then return 0; fi
  fi
  printf '%s\n' "$out" >&2
  cm_die "initdb failed for $data"
}

# cm_pg_start BINDIR DATADIR LOGFILE SOCKDIR PORT LISTEN [NAME=VALUE...]
# LISTEN is '' for unix socket only, e.g. 127.0.0.1 for TCP.
# Extra NAME=VALUE settings are passed as -c options.
cm_pg_start() {
  local bindir=$1 data=$2 log=$3 sock=$4 port=$5 listen=$6 kv
  shift 6
  local opts
  opts="-k $(cm_sq "$sock") -p $port -c $(cm_sq "listen_addresses=$listen")"
  opts+=" -c max_connections=400 -c shared_buffers=128MB"
  for kv in "$@"; do opts+=" -c $(cm_sq "$kv")"; done
  if ! cm_as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 120 -o "$opts" start >/dev/null 2>&1; then
    cm_note "PostgreSQL failed to start; last lines of $log:"
    tail -n 20 "$log" >&2 2>/dev/null || true
    return 1
  fi
}

# cm_pg_running BINDIR DATADIR
cm_pg_running() {
  [[ -f $2/PG_VERSION ]] || return 1
  cm_as_pg "$1/pg_ctl" -D "$2" status >/dev/null 2>&1
}

# cm_pg_stop BINDIR DATADIR [MODE]: stop and wait; MODE fast (default) or immediate.
# Falls back to signalling the postmaster directly if pg_ctl fails.
cm_pg_stop() {
  local bindir=$1 data=$2 mode=${3:-fast} pid i
  cm_as_pg "$bindir/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 && return 0
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  kill -QUIT "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# cm_pg_pidfile_field DATADIR N: line N of postmaster.pid
# (1 pid, 4 port, 5 socket dir, 6 listen addresses).
cm_pg_pidfile_field() { sed -n "${2}p" "$1/postmaster.pid" 2>/dev/null; }

# cm_pg_port_in_use PORT: something listens on TCP PORT locally.
cm_pg_port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# cm_pg_throwaway_start BINDIR DIR [NAME=VALUE...]: a cluster in DIR (made by
# cm_pg_mktemp_dir with room 22 for "/sock/.s.PGSQL.NNNNN"): data in DIR/data,
# socket in DIR/sock, log DIR/log, on a free port picked from a random start.
# The port is line 4 of DIR/data/postmaster.pid (cm_pg_pidfile_field).
cm_pg_throwaway_start() {
  local bindir=$1 dir=$2 port='' start i
  shift 2
  mkdir "$dir/sock"
  cm_pg_own_dir "$dir/sock"
  start=$(( 20000 + RANDOM % 30000 ))
  for ((i = 0; i < 200; i++)); do
    cm_pg_port_in_use $(( start + i )) || { port=$(( start + i )); break; }
  done
  [[ -n $port ]] || cm_die "no free port found"
  cm_pg_init "$bindir" "$dir/data"
  cm_pg_start "$bindir" "$dir/data" "$dir/log" "$dir/sock" "$port" '' "$@"
}

# Starts `$cli serve` on database $1 and port $2 in the background (rate limit off,
# further serve flags after), logging to $tmp/serve.log; sets $server and returns once
# /readyz answers. For the benchmarks that drive a served API.
# shellcheck disable=SC2154 # $cli and $tmp are the calling script's
cm_serve() { # database-url port [serve flags...]
  local dburl=$1 port=$2 i
  shift 2
  "$cli" serve --database-url "$dburl" --port "$port" --rate-limit 0 "$@" >>"$tmp/serve.log" 2>&1 &
  server=$!
  for ((i = 0; i < 100; i++)); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cm_die "charity-match serve did not become ready; see $tmp/serve.log"
}

# Stops the server cm_serve started, if any.
cm_unserve() {
  [[ -n ${server:-} ]] || return 0
  kill -INT "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=''
}
