#!/usr/bin/env bash
# Compares two builds of the embedis example server under redis-benchmark,
# taking turns (A, B, A, B ...) so that a change in the machine's load hits
# both alike, and prints the load average before and after.
#
#	bash benchmarks/ab.sh A-binary B-binary [requests] [rounds]
#
# Build each binary from its commit first, for instance:
#
#	git worktree add /tmp/before <commit> && (cd /tmp/before && go build -o /tmp/server-before ./examples/server)
#	go build -o /tmp/server-after ./examples/server
#	bash benchmarks/ab.sh /tmp/server-before /tmp/server-after 200000 3
#
# Both listen on 127.0.0.1 only and are stopped by PID at the end.
set -euo pipefail
a=$1 b=$2 n=${3:-200000} rounds=${4:-3}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# cputicks prints a process's user+system CPU time in clock ticks.
cputicks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
waitport() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
ap=$(freeport); bp=$(freeport)
"$a" -addr "127.0.0.1:$ap" >/dev/null 2>&1 & pids+=($!); apid=$!
"$b" -addr "127.0.0.1:$bp" >/dev/null 2>&1 & pids+=($!); bpid=$!
waitport "$ap"; waitport "$bp"
echo "# $(date -u +%FT%TZ) A=$a B=$b"
echo "# before: $(uptime)"
for r in $(seq "$rounds"); do
	for P in 1 16; do
		for target in "A $ap $apid" "B $bp $bpid"; do
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
