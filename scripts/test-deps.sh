#!/usr/bin/env bash
# Installs what the tests need beyond Go, idempotently: Debian's Chromium for
# the browser test, redis-server and PostgreSQL for the store tests (which
# start their own throwaway servers) and the npm tools (AWS JS SDK, dynalite for the code hook
# tests) into .tools/node. The AWS CLI and boto3 come with the machine; their
# absence is reported, not fixed, because PyPI is out of reach here.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing_debs+=(redis-server)
# Debian keeps PostgreSQL's server programs off PATH, in a folder per version.
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
	missing_debs+=(postgresql)
fi
if [ ${#missing_debs[@]} -gt 0 ]; then
	echo "test-deps: installing Debian packages: ${missing_debs[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
fi

node_dir=.tools/node
if ! cmp -s tools/package-lock.json "$node_dir/package-lock.json" || [ ! -d "$node_dir/node_modules" ]; then
	echo "test-deps: installing npm test clients into $node_dir"
	mkdir -p "$node_dir"
	cp tools/package.json tools/package-lock.json "$node_dir/"
	(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

for tool in aws python3; do
	command -v "$tool" >/dev/null 2>&1 || echo "test-deps: warning: $tool is not installed; the tests that need it will fail under CI=true"
done
python3 -c 'import boto3' 2>/dev/null || echo "test-deps: warning: python3 cannot import boto3"
