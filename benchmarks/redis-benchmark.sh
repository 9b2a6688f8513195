#!/usr/bin/env bash
# Runs redis-benchmark against the embedis example server and a real
# redis-server in the same run, at -P 1 and -P 16, and prints both.
#
#	bash benchmarks/redis-benchmark.sh [requests]
#
# Needs redis-server and redis-benchmark on PATH (Debian: redis-server,
# redis-tools). Both servers listen on 127.0.0.1 only and are stopped by
# PID at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
waitport() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }

go build -o "$tmp/embedis-server" ./examples/server
ep=$(freeport); rp=$(freeport)
"$tmp/embedis-server" -addr "127.0.0.1:$ep" >"$tmp/embedis.log" 2>&1 & pids+=($!)
redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >"$tmp/redis.log" 2>&1 & pids+=($!)
waitport "$ep"; waitport "$rp"

for P in 1 16; do
	for target in "embedis $ep" "redis-server $rp"; do
		set -- $target
		echo "== $1 -P $P (-c 50 -n $n)"
		redis-benchmark -h 127.0.0.1 -p "$2" -q -t set,get,incr -P "$P" -c 50 -n "$n"
	done
done
