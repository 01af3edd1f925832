#!/usr/bin/env bash
# Runs the conformance suites with Ginkgo, then exits with the run's status
# as docs/reports.md documents it (internal/cmd/verdict decides it from
# results.json; Ginkgo's own status is 1 for any failed spec):
#
#   0  no unwaived MUST failure (with -strict: and no warning)
#   1  at least one unwaived MUST failure, an undecided check, or (-strict) a warning
#   2  the harness could not run: bad run profile, target profile or waivers
#      file, no browser, target unreachable for every check
#
# `make conformance` calls it; make itself reports any failing recipe as 2,
# so a pipeline that tells 1 from 2 runs this script directly:
#
#   scripts/conformance.sh [ginkgo flags] ./suites -- [suite flags: -target, -faults, -waivers, -strict, ...]
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

mkdir -p bin
if ! "$GO" build -o bin/verdict ./internal/cmd/verdict; then
	echo "oauthconform: exit 2: could not build internal/cmd/verdict" >&2
	exit 2
fi
strict=()
for arg in "$@"; do
	case "$arg" in -strict | --strict | -strict=true | --strict=true) strict=(-strict) ;; esac
done

start=$(date +%s)
echo "$GO tool ginkgo $*"
"$GO" tool ginkgo "$@"
status=$?
exec bin/verdict -since "$start" -ginkgo-status "$status" "${strict[@]}"
