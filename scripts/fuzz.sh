#!/usr/bin/env bash
# Runs every Fuzz target of the module briefly: FUZZTIME each (default 5s).
# Targets are found by name, so a new one is fuzzed without editing this file.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+\(' . | grep -v '/\.tools/' | sort | while read -r file; do
	dir=$(dirname "$file")
	grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //' | while read -r target; do
		echo "fuzz: $dir $target ($fuzztime)"
		for attempt in 1 2; do
			if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$dir" >/tmp/parley-fuzz.log 2>&1; then
				break
			fi
			# Go's fuzzer can end with "context deadline exceeded" when a
			# worker is mid-input as the time runs out; that names no input
			# and is tried once more. A real failure writes its input.
			if [ "$attempt" = 2 ] || grep -q 'Failing input written' /tmp/parley-fuzz.log || ! grep -q 'context deadline exceeded' /tmp/parley-fuzz.log; then
				cat /tmp/parley-fuzz.log
				exit 1
			fi
			echo "fuzz: $target ended on the fuzzer's own deadline, not on an input; running it again"
		done
	done
done
