#!/usr/bin/env bash
# Interop: the whole suite against independent OAuth 2.0 servers on 127.0.0.1.
#
#   interop/run.sh [--update] [PROVIDER...]     (make interop / make interop-update)
#
# For each provider (default: oidc-provider zitadel authlib oauthlib) it installs what the
# provider needs (idempotently), starts it on a free loopback port with random
# secrets, waits for its discovery document (bounded), runs the suite binary
# against interop/PROVIDER/profile.yaml into oauthconform-reports/interop/PROVIDER/, stops
# the provider (also on failure or interrupt), and compares the verdicts with
# interop/PROVIDER/expected.yaml. --update rewrites the expected files instead.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=check
if [[ ${1:-} == --update ]]; then
	mode=update
	shift
fi
providers=("$@")
[[ ${#providers[@]} -gt 0 ]] || providers=(oidc-provider zitadel authlib oauthlib)

GO=${GO:-go}
OUT=${INTEROP_OUT:-oauthconform-reports/interop}
READY_TIMEOUT=${INTEROP_READY_TIMEOUT:-60s}
SUITE_TIMEOUT=${INTEROP_SUITE_TIMEOUT:-15m}
# Ginkgo shuffles top-level containers by a random seed; the expected files
# hold for one order, so the order is fixed (checks share a login session, and
# one check's effect on the provider, such as a revoked grant, shows in the next).
SEED=${INTEROP_SEED:-1}
mkdir -p bin "$OUT"

pids=()
stop_all() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

secret() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }

echo "== building the suite and the tools"
$GO test -c -o bin/suites.test ./suites
$GO build -o bin/interop-expect ./interop/expect

install_oidc_provider() {
	local dir=interop/oidc-provider stamp
	stamp=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
	if [[ -f $dir/node_modules/.oauthconform-installed && $(cat "$dir/node_modules/.oauthconform-installed") == "$stamp" ]]; then
		return
	fi
	echo "== npm ci in $dir"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$stamp" >"$dir/node_modules/.oauthconform-installed"
}

install_zitadel() {
	echo "== building the zitadel/oidc example OP"
	(cd interop/zitadel && $GO build -o ../../bin/zitadel-op .)
}

# The Python providers run on Debian's own Python 3 and its packages (not a
# python3 that happens to come first on PATH).
PY=/usr/bin/python3

# install_debian_python MODULE... -- PACKAGE...: makes sure Debian's Python
# imports each MODULE, installing the Debian PACKAGEs when root (apt-get update
# only when the first attempt fails); otherwise says what to install.
install_debian_python() {
	local modules=() packages=()
	while [[ $1 != -- ]]; do
		modules+=("$1")
		shift
	done
	shift
	packages=("$@")
	local check
	check="import $(IFS=,; echo "${modules[*]}")"
	if [[ -x $PY ]] && $PY -I -c "$check" 2>/dev/null; then
		return
	fi
	if [[ $(id -u) == 0 ]]; then
		echo "== apt-get install ${packages[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" ||
			{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"; }
		$PY -I -c "$check"
	else
		echo "$PY cannot import ${modules[*]}: install Debian's ${packages[*]} (sudo apt-get install -y ${packages[*]})" >&2
		return 1
	fi
}

# start NAME ENV_PREFIX CMD...: runs CMD in the background, reads the issuer
# it writes to its URL file, waits for discovery (WELL_KNOWN, by default
# OpenID's openid-configuration) and exports PREFIX_ISSUER.
start() {
	local name=$1 prefix=$2
	shift 2
	local dir=$OUT/$name
	rm -f "$dir/issuer"
	"$@" "$dir/issuer" >"$dir/server.log" 2>&1 &
	pids+=($!)
	local pid=$!
	# The issuer file appears once the server listens; bounded like the wait below.
	bin/interop-expect wait -file "$dir/issuer" -pid "$pid" -timeout "$READY_TIMEOUT" || {
		echo "$name did not start:" >&2
		cat "$dir/server.log" >&2
		return 1
	}
	local issuer
	issuer=$(cat "$dir/issuer")
	bin/interop-expect wait -url "${issuer%/}/.well-known/${WELL_KNOWN:-openid-configuration}" -timeout "$READY_TIMEOUT"
	export "${prefix}_ISSUER=$issuer"
	echo "== $name serves $issuer"
}

status=0
for name in "${providers[@]}"; do
	dir=$OUT/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	case $name in
	oidc-provider)
		install_oidc_provider
		export OP_WEB_SECRET=$(secret) OP_WEB2_SECRET=$(secret) OP_SVC_SECRET=$(secret) OP_ALICE_PASSWORD=$(secret)
		OP_WEB_KEY=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null)
		export OP_WEB_KEY
		# web's backchannel_logout_uri: a free loopback port, where the logout checks listen.
		OP_BACKCHANNEL_URI=http://127.0.0.1:$(bin/interop-expect freeport)/backchannel-logout
		export OP_BACKCHANNEL_URI
		start "$name" OP node interop/oidc-provider/server.js
		;;
	zitadel)
		install_zitadel
		export ZITADEL_WEB_SECRET=$(secret) ZITADEL_WEB2_SECRET=$(secret) ZITADEL_IMPLICIT_SECRET=$(secret) \
			ZITADEL_SVC_SECRET=$(secret) ZITADEL_ALICE_PASSWORD=$(secret)
		start "$name" ZITADEL bin/zitadel-op
		;;
	authlib)
		install_debian_python authlib flask -- python3-authlib python3-flask
		export AUTHLIB_WEB_SECRET=$(secret) AUTHLIB_WEB2_SECRET=$(secret) AUTHLIB_SVC_SECRET=$(secret) \
			AUTHLIB_ALICE_PASSWORD=$(secret)
		start "$name" AUTHLIB $PY -I interop/authlib/server.py
		;;
	oauthlib)
		install_debian_python oauthlib flask -- python3-oauthlib python3-flask
		export OAUTHLIB_WEB_SECRET=$(secret) OAUTHLIB_WEB2_SECRET=$(secret) OAUTHLIB_SVC_SECRET=$(secret) \
			OAUTHLIB_ALICE_PASSWORD=$(secret)
		# A plain OAuth 2.0 server: RFC 8414 metadata only.
		WELL_KNOWN=oauth-authorization-server start "$name" OAUTHLIB $PY -I interop/oauthlib/server.py
		;;
	*)
		echo "unknown provider $name (known: oidc-provider zitadel authlib oauthlib)" >&2
		exit 2
		;;
	esac

	echo "== suite against $name (log: $dir/suite.log)"
	# A MUST failure makes the suite exit non-zero: the verdicts decide here.
	timeout --kill-after=30s "$SUITE_TIMEOUT" bin/suites.test -ginkgo.no-color -ginkgo.timeout="$SUITE_TIMEOUT" -ginkgo.seed="$SEED" \
		-target "interop/$name/profile.yaml" -reports-dir "$dir" >"$dir/suite.log" 2>&1 || true
	sed -n '/^target: /,$p' "$dir/suite.log"
	stop_all

	if ! bin/interop-expect "$mode" -expected "interop/$name/expected.yaml" -results "$dir/results.json"; then
		echo "== $name: FAILED (see $dir/suite.log, $dir/server.log)" >&2
		status=1
	fi
done
exit $status
