#!/usr/bin/env bash
# Runs every Fuzz target of the module briefly: FUZZTIME each (default 5s).
# Targets are found by name, so a new one is fuzzed without editing this file.
#
# FUZZJOBS targets (default 2) run at once, each with one fuzzing worker:
# most of a cold run is building the instrumented test binaries, and
# building one target while another fuzzes keeps both cores busy.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZTIME=${FUZZTIME:-5s}
jobs=${FUZZJOBS:-2}

# fuzz_one DIR TARGET fuzzes one target and prints its log if it fails.
fuzz_one() {
	local dir=$1 target=$2 log
	log=$(mktemp)
	trap 'rm -f "$log"' RETURN
	echo "fuzz: $dir $target ($FUZZTIME)"
	for attempt in 1 2; do
		if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" -parallel=1 "$dir" >"$log" 2>&1; then
			return 0
		fi
		# Go's fuzzer can end with "context deadline exceeded" when a
		# worker is mid-input as the time runs out; that names no input
		# and is tried once more. A real failure writes its input.
		if [ "$attempt" = 2 ] || grep -q 'Failing input written' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
			echo "fuzz: $dir $target FAILED:"
			cat "$log"
			return 1
		fi
		echo "fuzz: $target ended on the fuzzer's own deadline, not on an input; running it again"
	done
}
export -f fuzz_one

grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(' . | grep -v '/\.tools/' | sort | while read -r file; do
	grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed "s|^func |$(dirname "$file") |"
done | xargs -P "$jobs" -L 1 bash -c 'fuzz_one "$0" "$1"'
