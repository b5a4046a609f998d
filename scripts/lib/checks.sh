# shellcheck shell=bash
# Source checks that scripts/test runs before the tests: the committed .swift-format in
# strict mode over the Swift sources, and shellcheck over every script. Sourced after
# scripts/lib/postgres.sh (it uses cm_note, cm_die and cm_is_root).

# The shell scripts of the repository: everything under scripts/ that starts with a
# shebang or is a library (*.sh), and .ci/run.
cm_checks_shell_files() { # repo
  local repo=$1 f
  for f in "$repo"/scripts/* "$repo"/scripts/lib/*.sh "$repo"/.ci/run; do
    [[ -f $f ]] || continue
    case $f in
      *.sh) printf '%s\n' "$f" ;;
      *) head -n 1 "$f" | grep -q '^#!.*\(bash\|sh\)' && printf '%s\n' "$f" ;;
    esac
  done
  return 0
}

# Installs shellcheck with apt-get when it is missing and we are root.
cm_checks_ensure_shellcheck() {
  command -v shellcheck >/dev/null 2>&1 && return 0
  cm_is_root || cm_die "shellcheck is missing; install it (Debian: apt-get install shellcheck)"
  command -v apt-get >/dev/null 2>&1 || cm_die "shellcheck is missing and there is no apt-get; install it by hand"
  cm_note "installing shellcheck"
  export DEBIAN_FRONTEND=noninteractive
  if [[ ${CM_PG_APT_UPDATED:-0} != 1 ]]; then apt-get update -q >&2; CM_PG_APT_UPDATED=1; fi
  apt-get install -y -q --no-install-recommends --no-upgrade shellcheck >&2
}

# swift format lint --strict and shellcheck; fails with what they printed.
cm_checks_run() { # repo
  local repo=$1 files
  cm_note "checking formatting (swift format lint --strict)"
  (cd "$repo" && swift format lint --strict --recursive Package.swift Sources Tests) \
    || cm_die "swift format found problems (fix them with: swift format format -i -r Package.swift Sources Tests)"
  cm_checks_ensure_shellcheck
  mapfile -t files < <(cm_checks_shell_files "$repo")
  cm_note "checking ${#files[@]} shell scripts (shellcheck)"
  (cd "$repo" && shellcheck -x "${files[@]}") || cm_die "shellcheck found problems in the scripts"
}
