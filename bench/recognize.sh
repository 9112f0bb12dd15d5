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
. bench/serve.sh
PARLEY_PID=
trap 'stop_pid "$PARLEY_PID"' EXIT
start_parley bench/out/parley bench/out bench/out/clinc --store sqlite:bench/out/bench.db
pid=$PARLEY_PID url=$PARLEY_URL
echo "serve: $url pid $pid, idle RSS $(grep VmRSS /proc/$pid/status | awk '{print $2" "$3}')"
for run in 1 2 3; do
	bench/out/loadgen -url "$url" -n "${TURNS:-20000}" -c "${CLIENTS:-8}" | tee -a bench/out/recognize.txt
done
echo "serve: RSS $(grep VmRSS /proc/$pid/status | awk '{print $2" "$3}'), peak $(grep VmHWM /proc/$pid/status | awk '{print $2" "$3}')" | tee -a bench/out/recognize.txt
