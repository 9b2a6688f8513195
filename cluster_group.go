package embedis

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
)

// A multi-node cluster face: several stores of one process presented as a
// Redis Cluster whose primaries split the 16384 slots, so that a cluster
// client's redirect handling (MOVED) can be tested without running Redis
// Cluster. Each store is a node: it serves the keys of its own slots and
// answers "MOVED <slot> <ip>:<port>" for the others, with the address of
// the owning store's TCP listener. There is no slot migration (so no
// ASK) and no replication.

// clusterGroup is the shared, immutable description of a multi-node
// cluster: node i is stores[i], with ID ids[i] and slots owner[slot] == i.
// Any goroutine may read it.
type clusterGroup struct {
	stores []*Store
	ids    []string
	owner  [clusterSlots]uint16
}

// OpenCluster opens n stores (1 <= n <= 64) with opts and
// Options.ClusterEnabled set, presented as one Redis Cluster of n
// primaries, node i owning the i-th of n equal ranges of the 16384 slots
// (as redis-cli --cluster create splits them). Serve each store on its own
// TCP listener (ListenAndServe, Serve) before clients connect: the nodes
// announce those addresses in CLUSTER SLOTS / SHARDS / NODES and in MOVED
// redirections. Typed calls and Do on a node get the same MOVED error for
// keys of another node's slots. Close each store when done. opts.Seed, when set, makes the
// node IDs replayable.
//
//	nodes, _ := embedis.OpenCluster(3, embedis.Options{})
//	for _, n := range nodes { l, _ := net.Listen("tcp", "127.0.0.1:0"); go n.Serve(l) }
//	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{addr0}})
func OpenCluster(n int, opts Options) ([]*Store, error) {
	if n < 1 || n > 64 {
		return nil, fmt.Errorf("%w: OpenCluster needs 1 to 64 nodes, got %d", ErrInvalidOptions, n)
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	rnd := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	g := &clusterGroup{}
	for i := range n {
		g.ids = append(g.ids, newNodeID(rnd))
		lo, hi := slotRange(i, n)
		for s := lo; s <= hi; s++ {
			g.owner[s] = uint16(i)
		}
	}
	opts.ClusterEnabled = true
	for i := range n {
		o := opts
		o.group, o.groupIndex = g, i
		if opts.Seed != 0 {
			o.Seed = opts.Seed + uint64(i)
		}
		s, err := Open(o)
		if err != nil {
			for _, t := range g.stores {
				t.Close()
			}
			return nil, err
		}
		g.stores = append(g.stores, s)
	}
	return g.stores, nil
}

// slotRange is node i's slots of n equal ranges.
func slotRange(i, n int) (lo, hi int) {
	return i * clusterSlots / n, (i+1)*clusterSlots/n - 1
}

func newNodeID(rnd *rand.Rand) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, 40)
	for i := range b {
		b[i] = hexd[rnd.IntN(16)]
	}
	return string(b)
}

// nodeOf returns the index of the node that owns slot.
func (g *clusterGroup) nodeOf(slot int) int { return int(g.owner[slot]) }

// addrOf returns the address node i announces: its TCP listener's.
func (g *clusterGroup) addrOf(i int) (string, int) {
	ip, port, _ := g.stores[i].wire.tcpAddr()
	return ip, port
}

// ranges returns node i's slot ranges.
func (g *clusterGroup) ranges(i int) [][2]int {
	var out [][2]int
	for s := 0; s < clusterSlots; s++ {
		if int(g.owner[s]) != i {
			continue
		}
		if len(out) > 0 && out[len(out)-1][1] == s-1 {
			out[len(out)-1][1] = s
		} else {
			out = append(out, [2]int{s, s})
		}
	}
	return out
}

// movedValue is the redirection of a command whose keys are in slot,
// owned by another node.
func (g *clusterGroup) movedValue(slot int) Value {
	ip, port := g.addrOf(g.nodeOf(slot))
	return ErrorValue("MOVED " + strconv.Itoa(slot) + " " + net.JoinHostPort(ip, strconv.Itoa(port)))
}

// groupSlots is CLUSTER SLOTS of a multi-node cluster.
func (g *clusterGroup) groupSlots() Value {
	var out []Value
	for s := 0; s < clusterSlots; {
		i := g.nodeOf(s)
		e := s
		for e+1 < clusterSlots && g.nodeOf(e+1) == i {
			e++
		}
		ip, port := g.addrOf(i)
		out = append(out, ArrayValue(IntValue(int64(s)), IntValue(int64(e)),
			ArrayValue(BulkValue(ip), IntValue(int64(port)), BulkValue(g.ids[i]), MapValue())))
		s = e + 1
	}
	return ArrayValue(out...)
}

// groupShards is CLUSTER SHARDS of a multi-node cluster.
func (g *clusterGroup) groupShards() Value {
	var out []Value
	for i := range g.stores {
		var slots []Value
		for _, r := range g.ranges(i) {
			slots = append(slots, IntValue(int64(r[0])), IntValue(int64(r[1])))
		}
		ip, port := g.addrOf(i)
		node := MapValue(
			BulkValue("id"), BulkValue(g.ids[i]),
			BulkValue("port"), IntValue(int64(port)),
			BulkValue("ip"), BulkValue(ip),
			BulkValue("endpoint"), BulkValue(ip),
			BulkValue("role"), BulkValue("master"),
			BulkValue("replication-offset"), IntValue(0),
			BulkValue("health"), BulkValue("online"),
		)
		out = append(out, MapValue(BulkValue("slots"), ArrayValue(slots...), BulkValue("nodes"), ArrayValue(node)))
	}
	return ArrayValue(out...)
}

// groupNodes is CLUSTER NODES of a multi-node cluster, seen from node me.
func (g *clusterGroup) groupNodes(me int) string {
	var b strings.Builder
	for i := range g.stores {
		ip, port := g.addrOf(i)
		flags := "master"
		if i == me {
			flags = "myself,master"
		}
		b.WriteString(g.ids[i] + " " + ip + ":" + strconv.Itoa(port) + "@" + strconv.Itoa(busPort(port)) +
			" " + flags + " - 0 0 " + strconv.Itoa(i+1) + " connected")
		for _, r := range g.ranges(i) {
			if r[0] == r[1] {
				b.WriteString(" " + strconv.Itoa(r[0]))
			} else {
				b.WriteString(" " + strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1]))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
