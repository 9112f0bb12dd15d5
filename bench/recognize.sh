#!/usr/bin/env bash
# RecognizeText over loopback HTTP with the SQLite store and the 150-intent
# CLINC bot: turns/s and latency percentiles from bench/loadgen, plus the
# server's resident memory after the run. Figures go to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
go run ./bench/clincbot -out bench/out/clinc
go build -o bench/out/parley ./cmd/parley
go build -o bench/out/loadgen ./bench/loadgen
rm -f bench/out/bench.db*
bench/out/parley serve bench/out/clinc --store sqlite:bench/out/bench.db --addr 127.0.0.1:0 >bench/out/serve.out 2>bench/out/serve.err &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'listening on' bench/out/serve.out 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[0-9.:]*' bench/out/serve.out | head -1)
echo "serve: $url pid $pid, idle RSS $(grep VmRSS /proc/$pid/status | awk '{print $2" "$3}')"
for run in 1 2 3; do
	bench/out/loadgen -url "$url" -n "${TURNS:-20000}" -c "${CLIENTS:-8}" | tee -a bench/out/recognize.txt
done
echo "serve: RSS $(grep VmRSS /proc/$pid/status | awk '{print $2" "$3}'), peak $(grep VmHWM /proc/$pid/status | awk '{print $2" "$3}')" | tee -a bench/out/recognize.txt
