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
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "$dir" >/tmp/parley-fuzz.log 2>&1 || { cat /tmp/parley-fuzz.log; exit 1; }
	done
done
