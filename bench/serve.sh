# Sourced by the bench scripts: throwaway servers on free loopback ports.
# Each start_* function sets its *_PID and *_URL and returns once the
# server answers; stop_pid ends one of them and waits for it.

# free_port prints a loopback TCP port nothing listens on. Another process
# can take it before we bind it, so callers retry a failed start.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "serve.sh: no free port" >&2
	return 1
}

# start_parley BINARY LOGDIR ARGS...: `BINARY serve ARGS` on a free port,
# stdout and stderr in LOGDIR/serve.out and serve.err; waits for /readyz.
start_parley() {
	local bin=$1 logs=$2
	shift 2
	"$bin" serve "$@" --addr 127.0.0.1:0 >"$logs/serve.out" 2>"$logs/serve.err" &
	PARLEY_PID=$!
	PARLEY_URL=
	for _ in $(seq 300); do
		PARLEY_URL=$(grep -o 'http://[0-9.:]*' "$logs/serve.out" 2>/dev/null | head -1) || true
		if [ -n "$PARLEY_URL" ] && curl -fsS "$PARLEY_URL/readyz" >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$PARLEY_PID" 2>/dev/null || break
		sleep 0.2
	done
	echo "serve.sh: parley serve did not become ready:" >&2
	tail -20 "$logs/serve.err" >&2
	return 1
}

# start_redis DIR: a redis-server without persistence, its log in DIR.
start_redis() {
	local dir=$1 port
	for _ in 1 2 3; do
		port=$(free_port)
		redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
		REDIS_PID=$!
		REDIS_URL="redis://127.0.0.1:$port/0"
		for _ in $(seq 50); do
			if redis-cli -p "$port" ping >/dev/null 2>&1; then
				return 0
			fi
			kill -0 "$REDIS_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_pid "$REDIS_PID"
	done
	echo "serve.sh: redis-server did not start:" >&2
	tail -5 "$dir/redis.log" >&2
	return 1
}

# stop_pid PID: SIGTERM, then wait for it to exit.
stop_pid() {
	[ -n "${1:-}" ] || return 0
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
