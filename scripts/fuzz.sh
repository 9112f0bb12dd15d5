#!/usr/bin/env bash
# Runs every Fuzz target of the module briefly: FUZZTIME each (default 5s).
# Targets are found by name, so a new one is fuzzed without editing this file.
#
# FUZZJOBS packages (default 2) are fuzzed at once, each target with one
# fuzzing worker: most of a cold run is building the instrumented test
# binaries, and building one package while another fuzzes keeps both cores
# busy. The targets of one package run one after another, so that its
# binary is built once and then comes from the build cache.
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

# fuzz_package DIR fuzzes every target of the package in DIR.
fuzz_package() {
	local dir=$1 target
	for target in $(grep -hoE '^func Fuzz[A-Za-z0-9_]+' "$dir"/*_test.go | sed 's/^func //'); do
		fuzz_one "$dir" "$target" || return 1
	done
}
export -f fuzz_one fuzz_package

# The packages with the most targets start first, so that the long jobs do
# not come last.
grep -roE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | grep -v '^\./\.tools/' | cut -d: -f1 | xargs -n 1 dirname |
	sort | uniq -c | sort -k1,1nr -k2 | awk '{print $2}' | xargs -P "$jobs" -n 1 bash -c 'fuzz_package "$0"'
