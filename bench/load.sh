#!/usr/bin/env bash
# bench/load.sh STORE RATE DURATION [MODE]: an open-loop load run against a
# throwaway `parley serve` on loopback. STORE is sqlite (a temporary file),
# redis (a throwaway redis-server) or memory; RATE turns/s; DURATION a Go
# duration (30s, 10m); MODE lex, chat or mixed (default lex). bench/load
# prints a line per interval (throughput, p50/p99, the server's memory) and
# the summary; the JSON report goes to bench/out/load/. The exit status is
# the driver's: 3 when any turn failed.
#
# Environment: BOT (default examples/hello; examples/pizza works too),
# HOOKS=1 to run the bot's code hooks (default off: the run measures the
# engine and the store, not a Node or Python worker), LOAD_FLAGS for more
# bench/load flags (e.g. "-sessions 500 -interval 30s"), PARLEY_BIN to run a
# binary built elsewhere instead of building ./cmd/parley.
set -euo pipefail
if [ $# -lt 3 ]; then
	echo "usage: bench/load.sh sqlite|redis|memory RATE DURATION [lex|chat|mixed]" >&2
	exit 2
fi
store=$1 rate=$2 duration=$3 mode=${4:-lex}
cd "$(dirname "$0")/.."
. bench/serve.sh

bot=${BOT:-examples/hello}
case $(basename "$bot") in
hello) botid=HELLOBOT01 locale=ko_KR ;;
pizza) botid=PIZZABOT01 locale=en_US ;;
*)
	echo "load.sh: BOT=$bot: give LOAD_FLAGS with -bot, -locale and -turns" >&2
	botid=${BOT_ID:-} locale=${LOCALE:-}
	;;
esac
hooks=--no-hooks
[ "${HOOKS:-0}" = 1 ] && hooks=

out=bench/out/load
mkdir -p "$out"
parley=${PARLEY_BIN:-$out/parley}
[ -n "${PARLEY_BIN:-}" ] || go build -o "$parley" ./cmd/parley
go build -o "$out/load" ./bench/load
tmp=$(mktemp -d)
PARLEY_PID= REDIS_PID=
cleanup() {
	stop_pid "$PARLEY_PID"
	stop_pid "$REDIS_PID"
	rm -rf "$tmp"
}
trap cleanup EXIT

case $store in
sqlite) storeurl=sqlite:$tmp/parley.db ;;
redis)
	start_redis "$tmp"
	# A fresh server has no Parley keys yet.
	storeurl="$REDIS_URL --store-init"
	;;
memory) storeurl=memory: ;;
*)
	echo "load.sh: store $store: want sqlite, redis or memory" >&2
	exit 2
	;;
esac

# shellcheck disable=SC2086 # storeurl may carry --store-init
start_parley "$parley" "$tmp" "$bot" --store $storeurl $hooks
echo "load.sh: $(date -u +%FT%TZ) store=$storeurl bot=$bot hooks=${hooks:-on} server=$PARLEY_URL pid=$PARLEY_PID idle RSS $(awk '/VmRSS/{print $2" "$3}' /proc/$PARLEY_PID/status)"
echo "load.sh: host $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
json=$out/load-$store-$mode-$rate-$(date -u +%H%M%S).json
rc=0
# shellcheck disable=SC2086 # LOAD_FLAGS is a list of flags
"$out/load" -url "$PARLEY_URL" -pid "$PARLEY_PID" -mode "$mode" -rate "$rate" -duration "$duration" \
	-bot "$botid" -locale "$locale" -json "$json" ${LOAD_FLAGS:-} || rc=$?
echo "load.sh: server peak RSS $(awk '/VmHWM/{print $2" "$3}' /proc/$PARLEY_PID/status), load average $(cut -d' ' -f1-3 /proc/loadavg), report $json"
if grep -q '"level":"ERROR"' "$tmp/serve.err"; then
	echo "load.sh: the server logged errors:" >&2
	grep '"level":"ERROR"' "$tmp/serve.err" | tail -5 >&2
fi
exit $rc
