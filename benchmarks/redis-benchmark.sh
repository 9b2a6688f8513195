#!/usr/bin/env bash
# Runs redis-benchmark against the embedis example server, a real
# redis-server and miniredis in the same run, at -P 1 and -P 16, and prints
# every figure, with the load average before and after.
#
#	bash benchmarks/redis-benchmark.sh [requests] [rounds]
#
# requests (default 200000) is redis-benchmark's -n; rounds (default 1)
# repeats the whole comparison, the three servers taking turns inside each
# round, so a change in the machine's load hits all of them alike.
# Needs redis-server and redis-benchmark on PATH (Debian: redis-server,
# redis-tools). The servers listen on 127.0.0.1 only and are stopped by
# PID at the end. After each redis-benchmark run it prints the server's CPU
# time (user+system, from /proc) per request: on a shared machine, where
# requests per second follow the other processes' load, CPU per request is the
# steadier measure of a server's own cost. EMBEDIS_GOMAXPROCS=N runs the
# embedis server (only) with GOMAXPROCS=N.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
rounds=${2:-1}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# cputicks prints a process's user+system CPU time in clock ticks.
cputicks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
waitport() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }

go build -o "$tmp/embedis-server" ./examples/server
(cd benchmarks && go build -o "$tmp/miniredis-server" ./miniredis-server)
ep=$(freeport); rp=$(freeport); mp=$(freeport)
if [ -n "${EMBEDIS_GOMAXPROCS:-}" ]; then
	GOMAXPROCS=$EMBEDIS_GOMAXPROCS "$tmp/embedis-server" -addr "127.0.0.1:$ep" >"$tmp/embedis.log" 2>&1 & pids+=($!); epid=$!
else
	"$tmp/embedis-server" -addr "127.0.0.1:$ep" >"$tmp/embedis.log" 2>&1 & pids+=($!); epid=$!
fi
redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" >"$tmp/redis.log" 2>&1 & pids+=($!); rpid=$!
"$tmp/miniredis-server" -addr "127.0.0.1:$mp" >"$tmp/miniredis.log" 2>&1 & pids+=($!); mpid=$!
waitport "$ep"; waitport "$rp"; waitport "$mp"

echo "# $(date -u +%FT%TZ) $(redis-server --version | cut -d' ' -f1-3) $(go version | cut -d' ' -f3) nproc=$(nproc) embedis GOMAXPROCS=${EMBEDIS_GOMAXPROCS:-default}"
echo "# before: $(uptime)"
for r in $(seq "$rounds"); do
	for P in 1 16; do
		for target in "embedis $ep $epid" "redis-server $rp $rpid" "miniredis $mp $mpid"; do
			set -- $target
			echo "== round $r: $1 -P $P (-c 50 -n $n)"
			t0=$(cputicks "$3")
			redis-benchmark -h 127.0.0.1 -p "$2" -q -t set,get,incr -P "$P" -c 50 -n "$n" | tr '\r' '\n' | grep 'per second,'
			t1=$(cputicks "$3")
			echo "server CPU: $(( (t1 - t0) * 1000000 / hz )) us for $((3 * n)) requests: $(( (t1 - t0) * 1000000000 / hz / (3 * n) )) ns/request"
		done
	done
done
echo "# after: $(uptime)"
