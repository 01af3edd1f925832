#!/usr/bin/env bash
# Runs the conformance suites with Ginkgo, then exits with the run's status
# as docs/reports.md documents it (internal/cmd/verdict decides it from
# results.json; Ginkgo's own status is 1 for any failed spec):
#
#   0  no unwaived MUST failure (with -strict: and no warning)
#   1  at least one unwaived MUST failure, an undecided check, or (-strict) a warning;
#      with -fail-on=SEVERITY (or ginkgo.yaml fail_on): a fail, warning or
#      error of that severity or graver, whatever its level
#   2  the harness could not run: bad run profile, target profile or waivers
#      file, no browser, target unreachable for every check
#
# `make conformance` calls it; make itself reports any failing recipe as 2,
# so a pipeline that tells 1 from 2 runs this script directly:
#
#   scripts/conformance.sh [ginkgo flags] ./suites -- [suite flags: -target, -faults, -waivers, -strict, -fail-on, ...]
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

mkdir -p bin
if ! "$GO" build -o bin/verdict ./internal/cmd/verdict; then
	echo "oauthconform: exit 2: could not build internal/cmd/verdict" >&2
	exit 2
fi
policy=()
next_is_fail_on=
for arg in "$@"; do
	if [ -n "$next_is_fail_on" ]; then
		policy+=(-fail-on "$arg")
		next_is_fail_on=
		continue
	fi
	case "$arg" in
	-strict | --strict | -strict=true | --strict=true) policy+=(-strict) ;;
	-fail-on=* | --fail-on=*) policy+=(-fail-on "${arg#*=}") ;;
	-fail-on | --fail-on) next_is_fail_on=1 ;;
	esac
done

start=$(date +%s)
echo "$GO tool ginkgo $*"
"$GO" tool ginkgo "$@"
status=$?
exec bin/verdict -since "$start" -ginkgo-status "$status" "${policy[@]}"
