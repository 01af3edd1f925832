# oauthconform: OAuth 2.0 provider conformance and security tests in headless Chromium.
#
#   make conformance                         all suites against the bundled mock
#   make conformance TARGET=my-provider.yaml against your provider
#   make conformance FAULTS=code_reuse       against the mock with faults on
#   make conformance VARIANTS=errors_200     against a secure look-alike of the mock (mockserver -list-variants)
#   make conformance WAIVERS=waivers.yaml    known deviations do not fail the run
#   make conformance STRICT=1                warnings fail the run too
#   make conformance FAIL_ON=high            gate on severity (high or critical) instead of level
#   make conformance PLAN=fapi2-security     a named plan's checks, and how many of its requirements are met
#   make conformance PLAN=oidc-basic         an OpenID Foundation OP plan's checks (oidc-implicit, oidc-hybrid, …: docs/oidf-parity.md)
#   make test                                the project's own tests (CI runs this)
#
# The conformance, mock and catalog targets are thin wrappers over the
# oauthconform binary (bin/oauthconform, built by `make binary`); run it
# directly for its exit status 0/1/2 (make reports any failure as 2).

SHELL        := /bin/bash
GO           ?= go
GINKGO       := $(GO) tool ginkgo
GINKGO_FLAGS ?= --fail-on-empty --poll-progress-after=60s --timeout=30m
TARGET       ?=
SUITE_BIN    := bin/suites.test
BINARY       := bin/oauthconform
COMMIT       := $(shell git rev-parse HEAD 2>/dev/null)

# Arguments for the suite binary: only what was given on the command line.
SUITE_ARGS := $(if $(TARGET),-target=$(abspath $(TARGET)))
ifneq ($(origin FAULTS),undefined)
SUITE_ARGS += -faults=$(FAULTS)
endif
ifneq ($(origin VARIANTS),undefined)
SUITE_ARGS += -variants=$(VARIANTS)
endif
SUITE_ARGS += $(if $(WAIVERS),-waivers=$(abspath $(WAIVERS)))
STRICT_FLAG := $(if $(filter 1 true yes,$(STRICT)),-strict)
SUITE_ARGS += $(STRICT_FLAG)
SUITE_ARGS += $(if $(FAIL_ON),-fail-on=$(FAIL_ON))
SUITE_ARGS += $(if $(BROWSER_REMOTE),-browser-remote=$(BROWSER_REMOTE))

# The same, for `oauthconform run`, with the repository's ginkgo.yaml.
RUN_ARGS := --config=$(abspath ginkgo.yaml) $(if $(TARGET),--target=$(abspath $(TARGET)))
ifneq ($(origin FAULTS),undefined)
RUN_ARGS += --faults=$(FAULTS)
endif
ifneq ($(origin VARIANTS),undefined)
RUN_ARGS += --variants=$(VARIANTS)
endif
RUN_ARGS += $(if $(WAIVERS),--waivers=$(abspath $(WAIVERS))) $(if $(filter 1 true yes,$(STRICT)),--strict)
RUN_ARGS += $(if $(FAIL_ON),--fail-on=$(FAIL_ON)) $(if $(BROWSER_REMOTE),--browser-remote=$(BROWSER_REMOTE))
RUN_ARGS += $(if $(LABELS),--labels='$(LABELS)') $(if $(PLAN),--plan=$(PLAN))

.PHONY: all conformance test unit faults reports-e2e robustness fuzz repeat catalog docs mock browser clean binary binary-e2e

all: test

## browser: make sure Chromium is installed (installs Debian's package as root)
browser:
	@scripts/ensure-chromium.sh

## binary: build bin/oauthconform, the one binary with every suite compiled in (go install ./cmd/oauthconform does the same)
binary:
	@$(GO) build -ldflags '-X github.com/oauthconform/oauthconform/internal/buildinfo.linkedCommit=$(COMMIT)' -o $(BINARY) ./cmd/oauthconform

## conformance: run every suite (oauthconform run); exit 0 with no unwaived MUST failure, non-zero otherwise (bin/oauthconform run itself: 1, or 2 when the harness could not run)
conformance: browser binary
	$(BINARY) run $(RUN_ARGS)

## binary-e2e: the binary copied to an empty directory with no go.mod: run against the mock, mock + run --target, validate, init, baseline (cmd/oauthconform/e2e_test.go)
binary-e2e: browser binary
	OAUTHCONFORM_BIN=$(abspath $(BINARY)) $(GO) test -count=1 -timeout 15m -run '^TestBinary$$' -v ./cmd/oauthconform

## test: unit tests, the suites against the secure mock, the proof that every check fails under its fault, every secure variant of the mock with no fail and no error, and the reports end to end
test: browser unit
	$(MAKE) --no-print-directory conformance TARGET= FAULTS=
	$(MAKE) --no-print-directory faults
	$(MAKE) --no-print-directory variants
	$(MAKE) --no-print-directory reports-e2e
	$(MAKE) --no-print-directory robustness
	$(MAKE) --no-print-directory scale-e2e
	$(MAKE) --no-print-directory binary-e2e

## unit: the packages' own tests (race detector on the mock and driver)
unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./mockserver/... ./driver/...
	$(GO) test -count=1 ./internal/... ./reports/...

## faults: run each check with its mock fault on; ends with "proven N/M"; then the redirect-URI, authorization-endpoint and framing checks again under each variant of FAULTS_UNDER ("proven under variants N/M")
# The checks proven again are the faults command's -under-checks (RU-*, AE-*,
# HS-01..HS-04): each must still fail under its fault on top of a login app on
# another origin, a consent page every time and error pages with status 200.
FAULTS_UNDER ?= login_other_origin,consent_every_time,errors_200
faults: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	$(GO) run ./internal/cmd/faults -suite $(SUITE_BIN) -under=$(FAULTS_UNDER) $(if $(ONLY),-only=$(ONLY))

## faults-collateral: the whole catalog once per fault; fails on a check a fault breaks that the fault's definition does not name (catalog.Breaks); slow, outside make test
.PHONY: faults-collateral
faults-collateral: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	$(GO) run ./internal/cmd/faults -suite $(SUITE_BIN) -collateral $(if $(ONLY),-only=$(ONLY))

## variants: the whole catalog against each secure variant of the mock (mockserver -list-variants) and a few combinations: no fail and no error anywhere
.PHONY: variants
variants: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	$(GO) run ./internal/cmd/variants -suite $(SUITE_BIN) $(if $(ONLY),-only=$(ONLY))

## reports-e2e: the suite against the mock with faults: exit statuses, the four reports, the JUnit schema, waivers, no secret in any artifact
reports-e2e: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	OAUTHCONFORM_SUITE_BIN=$(abspath $(SUITE_BIN)) $(GO) test -count=1 ./reports/e2e

## robustness: broken configurations (exit 2, one message, no browser) and the suite against a hostile server (hangs, drips, endless bodies, HTML for JSON, redirect loops, bad certificates, a crash): verdict error with the reason said once, in bounded time (docs/robustness.md)
robustness: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	OAUTHCONFORM_SUITE_BIN=$(abspath $(SUITE_BIN)) $(GO) test -count=1 -timeout 20m ./internal/hostile

## fuzz: run each fuzz target for FUZZTIME (their seed corpora run in make unit as ordinary tests)
FUZZTIME ?= 60s
FUZZ_TARGETS := internal/profile:FuzzParse internal/harness:FuzzRedirectParams internal/harness:FuzzExchangeJSON internal/harness:FuzzJWTParts internal/discovery:FuzzCandidates
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $${t#*:} in ./$${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) ./$${t%%:*}; \
	done

## repeat: the whole suite against the mock REPEAT (20) times in a row, each bounded by 10 minutes; stops at the first run that is not green and keeps its output and reports
REPEAT ?= 20
repeat: browser
	$(GO) test -c -o $(SUITE_BIN) ./suites
	@for i in $$(seq 1 $(REPEAT)); do \
		dir=$$(mktemp -d /tmp/oauthconform-repeat-XXXXXX); \
		if ! (cd suites && timeout 600 ../$(SUITE_BIN) -reports-dir $$dir > $$dir/output.txt 2>&1); then \
			tail -40 $$dir/output.txt; echo "repeat: run $$i of $(REPEAT) FAILED; output and reports in $$dir"; exit 1; \
		fi; \
		echo "repeat: run $$i of $(REPEAT) green: $$(grep -a '^checks:' $$dir/output.txt)"; rm -rf $$dir; \
	done; echo "repeat: $(REPEAT) of $(REPEAT) runs green"

## catalog: print the check catalog as JSON
catalog: binary
	@$(BINARY) catalog

## docs: regenerate docs/checks.md and docs/oidf-parity.md from the catalog, and the counts README.md states (internal/cmd/readmecounts)
docs: binary
	$(BINARY) catalog --format markdown > docs/checks.md
	$(BINARY) catalog --format oidf-parity > docs/oidf-parity.md
	$(GO) run ./internal/cmd/readmecounts README.md

## mock: serve the bundled mock on 127.0.0.1:9400 (FAULTS=... to break it, VARIANTS=... for a secure look-alike)
mock: binary
	$(BINARY) mock --addr 127.0.0.1:9400 $(if $(FAULTS),--faults=$(FAULTS)) $(if $(VARIANTS),--variants=$(VARIANTS))

## bench: the full suite against the mock, measured (PARALLEL=N for ginkgo -p, RUNS=N for medians); ends with key: value figures (docs/performance.md)
.PHONY: bench multi scale-e2e
# A suite binary of their own, so that a bench never replaces the one another run is using.
SCALE_SUITE_BIN := bin/suites-scale.test
bench: browser
	$(GO) test -c -o $(SCALE_SUITE_BIN) ./suites
	$(GO) run ./internal/cmd/bench -suite $(SCALE_SUITE_BIN) -p $(or $(PARALLEL),1) -runs $(or $(RUNS),1)

## multi: several targets in one go (TARGETS=targets.yaml, JOBS=N at once); oauthconform-reports/multi/<name>/ and oauthconform-reports/multi/summary.md; exit status the worst target's
multi: browser
	$(GO) test -c -o $(SCALE_SUITE_BIN) ./suites
	$(GO) run ./internal/cmd/multi -suite $(SCALE_SUITE_BIN) -jobs $(or $(JOBS),2) $(if $(STRICT_FLAG),-strict) $(abspath $(or $(TARGETS),targets.yaml))

## scale-e2e: ginkgo -p (every check once in each report, secrets redacted), a browser started separately (BROWSER_REMOTE), and several mock targets at once (multi)
scale-e2e: browser
	$(GO) test -c -o $(SCALE_SUITE_BIN) ./suites
	OAUTHCONFORM_SUITE_BIN=$(abspath $(SCALE_SUITE_BIN)) $(GO) test -count=1 -timeout=10m ./internal/perf/e2e

## interop: the whole suite against oidc-provider, the zitadel/oidc example OP, an Authlib and an oauthlib provider on 127.0.0.1; fails when a verdict differs from interop/*/expected.yaml
.PHONY: interop interop-update
interop: browser
	interop/run.sh

## interop-update: rewrite interop/*/expected.yaml from a run (keeps verified reasons, marks the rest "TODO: verify")
interop-update: browser
	interop/run.sh --update

clean:
	rm -rf bin oauthconform-reports oauthconform-mock.yaml oauthconform-mock-ca.pem
