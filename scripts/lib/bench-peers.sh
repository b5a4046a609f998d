# shellcheck shell=bash
# shellcheck disable=SC2154 # $repo and $peers are scripts/bench's, which sources this file
# The general solvers `scripts/bench matching` measures the exact assigner against, in the
# same run on the same instances: LEMON's network simplex (C++, Debian's liblemon-dev) and
# OR-Tools' min-cost flow (Python, from PyPI). Built once under .data/peers; sourced by
# scripts/bench, which defines $repo and $peers.

bench_peers_dir() { printf '%s/.data/peers' "$repo"; }

# Installs and builds what the peers named in $peers need.
bench_peers_prepare() {
  local dir
  dir=$(bench_peers_dir)
  mkdir -p "$dir"
  if [[ " $peers " == *' lemon '* ]]; then
    if [[ ! -f /usr/include/lemon/network_simplex.h ]] || ! command -v g++ >/dev/null 2>&1; then
      cm_is_root || cm_die "LEMON needs liblemon-dev and g++: sudo apt-get install liblemon-dev g++ (or --peers ortools)"
      cm_note "installing liblemon-dev g++"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends liblemon-dev g++ >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends liblemon-dev g++ >&2; } \
        || cm_die "could not install liblemon-dev and g++"
    fi
    if [[ ! -x $dir/lemon-solve || $repo/scripts/peers/lemon-solve.cpp -nt $dir/lemon-solve ]]; then
      cm_note "building the LEMON peer"
      g++ -O3 -std=c++17 -o "$dir/lemon-solve" "$repo/scripts/peers/lemon-solve.cpp" \
        || cm_die "could not build scripts/peers/lemon-solve.cpp"
    fi
  fi
  if [[ " $peers " == *' ortools '* ]]; then
    if ! "$dir/venv/bin/python" -c 'import ortools, pandas' 2>/dev/null; then
      cm_note "installing OR-Tools 9.15.6755 and pandas 3.1.1 into $dir/venv"
      python3 -m venv "$dir/venv" || cm_die "python3 -m venv failed (Debian: apt-get install python3-venv)"
      "$dir/venv/bin/pip" install --quiet ortools==9.15.6755 pandas==3.1.1 \
        || cm_die "pip could not install ortools and pandas"
    fi
  fi
}

# Solves instance DIR with peer NAME (lemon or ortools); prints its JSON line.
bench_peer_solve() {
  local dir
  dir=$(bench_peers_dir)
  case $1 in
    lemon) "$dir/lemon-solve" "$2" ;;
    ortools) "$dir/venv/bin/python" "$repo/scripts/peers/ortools-solve.py" "$2" ;;
  esac
}
