# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sets variables for, and reads $repo of, the scripts that source it
# The browser the journeys and the screenshots drive: Debian's chromium (with CJK fonts),
# and Playwright for Python in a private venv that drives it (no browser is downloaded).
# Sets: chromium (the browser's path), journey_python (the venv's python).
# Expects: repo, and lib/postgres.sh sourced.

cm_browser_ensure() {
  chromium=$(command -v chromium || true)
  if [[ -z $chromium ]]; then
    cm_is_root || cm_die "chromium is missing (Debian packages chromium and fonts-noto-cjk)"
    cm_note "installing chromium and CJK fonts"
    if [[ ${CM_PG_APT_UPDATED:-0} != 1 ]]; then apt-get update -q >&2; CM_PG_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade chromium \
      fonts-noto-cjk >/dev/null || cm_die "apt-get install chromium failed"
    chromium=$(command -v chromium) || cm_die "chromium is not on PATH after installing it"
  fi
  command -v python3 >/dev/null 2>&1 || cm_die "python3 not found (Debian packages python3 python3-venv)"
  local venv=$repo/.data/journey-venv requirements='playwright==1.65.3 pytest==9.2.0'
  if [[ ! -f $venv/.installed || $(cat "$venv/.installed") != "$requirements" ]]; then
    cm_note "installing Playwright and pytest into $venv (no browser download)"
    mkdir -p "$repo/.data"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      cm_is_root || cm_die "python3 -m venv failed (Debian package python3-venv)"
      cm_note "installing python3-venv"
      if [[ ${CM_PG_APT_UPDATED:-0} != 1 ]]; then apt-get update -q >&2; CM_PG_APT_UPDATED=1; fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade python3-venv >&2 \
        || cm_die "apt-get install python3-venv failed"
      rm -rf "$venv"
      python3 -m venv "$venv" || cm_die "python3 -m venv failed (Debian package python3-venv)"
    fi
    # shellcheck disable=SC2086 # the requirements are words
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/pip" install -q --disable-pip-version-check $requirements >&2 \
      || cm_die "pip install $requirements failed"
    printf '%s' "$requirements" >"$venv/.installed"
  fi
  journey_python=$venv/bin/python
}
