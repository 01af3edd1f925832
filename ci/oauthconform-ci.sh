#!/usr/bin/env bash
# Install oauthconform and a headless-capable Chromium, run the catalog and
# publish the summary. action.yml (GitHub) runs it; the GitLab template and
# any other CI can too. Settings come from the environment:
#
#   OAUTHCONFORM_VERSION   module version to go install (default latest); ignored
#                          when OAUTHCONFORM_BIN or an oauthconform on PATH exists
#   OAUTHCONFORM_BIN       an oauthconform binary to use as is
#   OAUTHCONFORM_TARGET    target profile (empty: the bundled mock)
#   OAUTHCONFORM_REPORTS   reports directory (default oauthconform-reports)
#   OAUTHCONFORM_ARGS      more run flags, e.g. "--strict --labels 'MUST'"
#   OAUTHCONFORM_WAIVERS, OAUTHCONFORM_LABELS, OAUTHCONFORM_FAIL_ON,
#   OAUTHCONFORM_BROWSER_REMOTE, OAUTHCONFORM_STRICT=true
#   OAUTHCONFORM_SECRET_ENV  lines NAME=value exported to the run only (masked on GitHub)
#   OAUTHCONFORM_BROWSER   Chromium executable (default: found or installed here)
#   GITHUB_STEP_SUMMARY    when set, summary.md is appended to it
#
# Exit status: the run's (0 pass, 1 a MUST failure or undecided check,
# 2 the harness could not run), or 2 when installing failed.
set -uo pipefail

say() { printf 'oauthconform-ci: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

# --- the binary -------------------------------------------------------------
bin=${OAUTHCONFORM_BIN:-}
if [[ -z $bin ]] && command -v oauthconform >/dev/null 2>&1; then
	bin=$(command -v oauthconform)
fi
if [[ -z $bin ]]; then
	command -v go >/dev/null 2>&1 || die "no oauthconform and no Go toolchain to install it (actions/setup-go, or set OAUTHCONFORM_BIN)"
	version=${OAUTHCONFORM_VERSION:-latest}
	say "installing github.com/oauthconform/oauthconform/cmd/oauthconform@$version"
	GOBIN=${GOBIN:-$(go env GOPATH)/bin} go install "github.com/oauthconform/oauthconform/cmd/oauthconform@$version" || die "go install failed"
	bin=${GOBIN:-$(go env GOPATH)/bin}/oauthconform
fi
[[ -x $bin ]] || die "$bin is not an executable"
"$bin" version >&2

# --- the browser --------------------------------------------------------------
# A snap's Chromium (Ubuntu's chromium package) cannot run headless from a CI
# job's confinement, so a path into /snap is passed over.
usable() {
	local p
	p=$(command -v "$1" 2>/dev/null) || return 1
	case "$(readlink -f "$p")" in /snap/* | */snap/bin/*) return 1 ;; esac
	printf '%s\n' "$p"
}
find_browser() {
	local name
	for name in chromium chromium-browser google-chrome google-chrome-stable chrome chrome-headless-shell; do
		usable "$name" && return 0
	done
	return 1
}
install_browser() {
	local id=""
	[[ -r /etc/os-release ]] && id=$(. /etc/os-release && echo "${ID:-}")
	local sudo=""
	[[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo=sudo
	case "$id" in
	debian)
		say "installing Debian's chromium package"
		$sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null && usable chromium && return 0
		;;
	fedora | rhel | centos | rocky | almalinux)
		say "installing chromium with dnf"
		$sudo dnf install -y -q chromium >/dev/null && { usable chromium-browser || usable chromium; } && return 0
		;;
	esac
	# Ubuntu (whose chromium is a snap) and the rest: Chrome for Testing's
	# headless shell, through npm's @puppeteer/browsers.
	if command -v npx >/dev/null 2>&1; then
		say "installing Chrome for Testing (chrome-headless-shell) with npx @puppeteer/browsers"
		local dir=${RUNNER_TOOL_CACHE:-${HOME}/.cache}/oauthconform-chrome
		local line
		line=$(npx --yes @puppeteer/browsers install chrome-headless-shell@stable --path "$dir" | tail -1) || return 1
		printf '%s\n' "${line#* }"
		return 0
	fi
	return 1
}
if [[ -z ${OAUTHCONFORM_BROWSER_REMOTE:-} && -z ${OAUTHCONFORM_BROWSER:-} ]]; then
	if ! OAUTHCONFORM_BROWSER=$(find_browser); then
		OAUTHCONFORM_BROWSER=$(install_browser) || die "no Chromium found and none could be installed; set OAUTHCONFORM_BROWSER or a browser-remote"
	fi
	export OAUTHCONFORM_BROWSER
	say "browser: $OAUTHCONFORM_BROWSER"
fi

# --- the run ------------------------------------------------------------------
reports=${OAUTHCONFORM_REPORTS:-oauthconform-reports}
args=(run --reports "$reports")
[[ -n ${OAUTHCONFORM_TARGET:-} ]] && args+=(--target "$OAUTHCONFORM_TARGET")
[[ -n ${OAUTHCONFORM_WAIVERS:-} ]] && args+=(--waivers "$OAUTHCONFORM_WAIVERS")
[[ -n ${OAUTHCONFORM_LABELS:-} ]] && args+=(--labels "$OAUTHCONFORM_LABELS")
[[ -n ${OAUTHCONFORM_FAIL_ON:-} ]] && args+=(--fail-on "$OAUTHCONFORM_FAIL_ON")
[[ -n ${OAUTHCONFORM_BROWSER_REMOTE:-} ]] && args+=(--browser-remote "$OAUTHCONFORM_BROWSER_REMOTE")
case "${OAUTHCONFORM_STRICT:-false}" in true | 1 | yes) args+=(--strict) ;; esac
if [[ -n ${OAUTHCONFORM_ARGS:-} ]]; then
	eval "extra=(${OAUTHCONFORM_ARGS})"
	args+=("${extra[@]}")
fi

# Secrets for the profile's ${VAR}s: exported to the run alone, masked in
# GitHub's log first.
run_env=()
if [[ -n ${OAUTHCONFORM_SECRET_ENV:-} ]]; then
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		[[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
		name=${line%%=*}
		[[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ && $line == *=* ]] || die "secret-env: '$name' is not NAME=value"
		value=${line#*=}
		[[ -n ${GITHUB_ACTIONS:-} && -n $value ]] && printf '::add-mask::%s\n' "$value"
		run_env+=("$name=$value")
	done <<<"$OAUTHCONFORM_SECRET_ENV"
fi

say "$bin ${args[*]}"
env "${run_env[@]}" "$bin" "${args[@]}"
status=$?

if [[ -n ${GITHUB_STEP_SUMMARY:-} && -f $reports/summary.md ]]; then
	cat "$reports/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
	{
		echo "exit-status=$status"
		echo "reports-dir=$reports"
		echo "sarif=$reports/results.sarif"
	} >>"$GITHUB_OUTPUT"
fi
exit "$status"
