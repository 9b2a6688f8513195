package embedis_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/redis/go-redis/v9"
)

// TestKeySlot checks KeySlot against slots redis-server 7.0.15 gave for
// the same keys (CLUSTER KEYSLOT), hash tags included.
func TestKeySlot(t *testing.T) {
	for key, want := range map[string]int{
		"foo":        12182,
		"a{b}c":      3300,
		"{}a":        10875, // an empty tag: the whole key is hashed
		"{a":         10276, // no closing brace: the whole key
		"b":          3300,
		"{b}":        3300,
		"{b}{c}":     3300, // only the first tag counts
		"":           0,
		"123456789":  12739, // CRC16/XMODEM's check value 0x31C3 mod 16384
		"{user1}:x":  8106,
		"x{}{user1}": 11300, // the first tag is empty: the whole key
	} {
		if got := embedis.KeySlot(key); got != want {
			t.Errorf("KeySlot(%q) = %d, want %d", key, got, want)
		}
	}
}

// TestClusterDisabled checks the replies of a store without
// ClusterEnabled: Redis's "cluster support disabled" for every cluster
// command.
func TestClusterDisabled(t *testing.T) {
	s := embedistest.Open(t)
	rdb := redis.NewClient(&redis.Options{Dialer: s.DialContext})
	defer rdb.Close()
	ctx := context.Background()
	for _, args := range [][]any{
		{"cluster", "keyslot", "a"}, {"cluster", "info"}, {"cluster", "help"},
		{"readonly"}, {"readwrite"}, {"asking"},
	} {
		err := rdb.Do(ctx, args...).Err()
		if err == nil || err.Error() != "ERR This instance has cluster support disabled" {
			t.Errorf("%v: %v", args, err)
		}
	}
	if err := rdb.Do(ctx, "select", "1").Err(); err != nil {
		t.Errorf("SELECT 1 without cluster: %v", err)
	}
}

// clusterStore opens a cluster-enabled store served on a TCP listener and
// returns it with the listener's address.
func clusterStore(t *testing.T) (*embedis.Store, string) {
	s := embedistest.Open(t, embedis.Options{ClusterEnabled: true, Seed: 1})
	return s, embedistest.Addr(t, s)
}

// TestClusterFace checks the discovery replies and the CROSSSLOT rule of a
// cluster-enabled store over the wire.
func TestClusterFace(t *testing.T) {
	_, addr := clusterStore(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()

	id, err := rdb.ClusterMyID(ctx).Result()
	if err != nil || len(id) != 40 {
		t.Fatalf("CLUSTER MYID = %q, %v", id, err)
	}
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	slots, err := rdb.ClusterSlots(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 1 || slots[0].Start != 0 || slots[0].End != 16383 || len(slots[0].Nodes) != 1 ||
		slots[0].Nodes[0].ID != id || slots[0].Nodes[0].Addr != net.JoinHostPort(host, portStr) {
		t.Errorf("CLUSTER SLOTS = %+v, want one range 0-16383 at %s (%s)", slots, addr, id)
	}
	shards, err := rdb.ClusterShards(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(shards) != 1 || len(shards[0].Nodes) != 1 || shards[0].Nodes[0].ID != id ||
		shards[0].Nodes[0].Port != int64(port) || shards[0].Nodes[0].Role != "master" ||
		len(shards[0].Slots) != 1 || shards[0].Slots[0].End != 16383 {
		t.Errorf("CLUSTER SHARDS = %+v", shards)
	}
	nodes, err := rdb.ClusterNodes(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	want := id + " " + addr + "@" + strconv.Itoa(port+10000) + " myself,master - 0 0 0 connected 0-16383\n"
	if port+10000 > 65535 {
		want = id + " " + addr + "@0 myself,master - 0 0 0 connected 0-16383\n"
	}
	if nodes != want {
		t.Errorf("CLUSTER NODES = %q, want %q", nodes, want)
	}
	info, err := rdb.ClusterInfo(ctx).Result()
	if err != nil || !strings.HasPrefix(info, "cluster_state:ok\r\ncluster_slots_assigned:16384\r\n") {
		t.Errorf("CLUSTER INFO = %q, %v", info, err)
	}
	if v, err := rdb.ConfigGet(ctx, "cluster-enabled").Result(); err != nil || v["cluster-enabled"] != "yes" {
		t.Errorf("CONFIG GET cluster-enabled = %v, %v", v, err)
	}

	// Keys and slots.
	if err := rdb.MSet(ctx, "{u1}a", 1, "{u1}b", 2, "{u2}a", 3).Err(); !errors.Is(err, errCross) && (err == nil || err.Error() != errCross.Error()) {
		t.Errorf("MSET across slots: %v", err)
	}
	if err := rdb.MSet(ctx, "{u1}a", 1, "{u1}b", 2).Err(); err != nil {
		t.Errorf("MSET in one slot: %v", err)
	}
	slot := int64(embedis.KeySlot("u1"))
	if n, err := rdb.ClusterCountKeysInSlot(ctx, int(slot)).Result(); err != nil || n != 2 {
		t.Errorf("COUNTKEYSINSLOT = %d, %v", n, err)
	}
	keys, err := rdb.ClusterGetKeysInSlot(ctx, int(slot), 1).Result()
	if err != nil || len(keys) != 1 || !strings.HasPrefix(keys[0], "{u1}") {
		t.Errorf("GETKEYSINSLOT ... 1 = %q, %v", keys, err)
	}
	if err := rdb.Do(ctx, "select", "1").Err(); err == nil || err.Error() != "ERR SELECT is not allowed in cluster mode" {
		t.Errorf("SELECT 1: %v", err)
	}
	for _, c := range []string{"readonly", "readwrite", "asking", "select"} {
		args := []any{c}
		if c == "select" {
			args = append(args, "0")
		}
		if err := rdb.Do(ctx, args...).Err(); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	// EVAL: declared keys are checked; a call across slots inside the
	// script is refused; calls to different slots are not (as Redis 7.0).
	if err := rdb.Eval(ctx, "return 1", []string{"a", "b"}).Err(); err == nil || err.Error() != errCross.Error() {
		t.Errorf("EVAL with keys across slots: %v", err)
	}
	err = rdb.Eval(ctx, "return redis.call('mset','a',1,'b',2)", nil).Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR Script attempted to access a non local key in a cluster node") {
		t.Errorf("EVAL calling MSET across slots: %v", err)
	}
	if err := rdb.Eval(ctx, "redis.call('set','a',1) return redis.call('set','b',1)", nil).Err(); err != nil {
		t.Errorf("EVAL with calls to two slots: %v", err)
	}
	if err := rdb.Eval(ctx, "#!lua flags=no-cluster\nreturn 1", nil).Err(); err == nil || err.Error() != "ERR Can not run script on cluster, 'no-cluster' flag is set." {
		t.Errorf("EVAL of a no-cluster script: %v", err)
	}
}

var errCross = embedis.ErrCrossSlot

// TestClusterMulti checks CROSSSLOT inside MULTI (queued commands doom the
// transaction) and at EXEC (the keys of the whole transaction), on one
// connection, as redis-server 7.0.15 answers.
func TestClusterMulti(t *testing.T) {
	s, _ := clusterStore(t)
	ctx := context.Background()
	c, err := s.DialContext(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Dialer: func(context.Context, string, string) (net.Conn, error) { return c, nil }, PoolSize: 1})
	defer rdb.Close()
	do := func(args ...any) string {
		v, err := rdb.Do(ctx, args...).Result()
		if err != nil {
			return err.Error()
		}
		return strings.TrimSpace(strings.ReplaceAll(strings.Trim(strings.ReplaceAll(fmtAny(v), "\n", " "), " "), "  ", " "))
	}
	steps := [][2]string{
		{"multi", "OK"}, {"set a 1", "QUEUED"}, {"set b 1", "QUEUED"}, {"exec", errCross.Error()},
		{"get a", "redis: nil"}, // discarded
		{"multi", "OK"}, {"mset a 1 b 2", errCross.Error()}, {"exec", "EXECABORT Transaction discarded because of previous errors."},
		{"multi", "OK"}, {"set {t}a 1", "QUEUED"}, {"set {t}b 2", "QUEUED"}, {"exec", "[OK OK]"},
	}
	for _, st := range steps {
		var args []any
		for _, a := range strings.Fields(st[0]) {
			args = append(args, a)
		}
		if got := do(args...); got != st[1] {
			t.Errorf("%s: got %q, want %q", st[0], got, st[1])
		}
	}
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = fmtAny(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return "?"
}

// TestClusterTypedAPI checks that typed calls obey the slot rule too.
func TestClusterTypedAPI(t *testing.T) {
	s, _ := clusterStore(t)
	ctx := context.Background()
	if v, err := s.Do(ctx, "mset", "a", "1", "b", "2"); err != nil || !errors.Is(v.Err(), embedis.ErrCrossSlot) {
		t.Errorf("Do MSET across slots: %v, %v", v, err)
	}
	if v, err := s.Do(ctx, "mset", "{x}a", "1", "{x}b", "2"); err != nil || v.Err() != nil {
		t.Errorf("Do MSET in one slot: %v, %v", v, err)
	}
	if err := s.MSet(ctx, "a", "1", "b", "2"); !errors.Is(err, embedis.ErrCrossSlot) {
		t.Errorf("MSet across slots: %v", err)
	}
	_, err := s.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
		p.Set("a", "1")
		p.Set("b", "2")
		return nil
	})
	if !errors.Is(err, embedis.ErrCrossSlot) {
		t.Errorf("TxPipelined across slots: %v", err)
	}
	if v, err := s.Get(ctx, "a"); !errors.Is(err, embedis.Nil) {
		t.Errorf("GET a after the refused transaction: %q, %v", v, err)
	}
	if _, err := s.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
		p.Set("{t}a", "1")
		p.Set("{t}b", "2")
		return nil
	}); err != nil {
		t.Errorf("TxPipelined in one slot: %v", err)
	}
}

// TestGoRedisClusterClient runs go-redis's ClusterClient against a
// cluster-enabled store on a TCP listener: discovery, single commands,
// pipelines and transactions with hash tags, and a CROSSSLOT error
// surfaced to the caller.
func TestGoRedisClusterClient(t *testing.T) {
	_, addr := clusterStore(t)
	ctx := context.Background()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{addr}})
	defer cc.Close()

	if err := cc.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := cc.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET = %q, %v", v, err)
	}
	cmds, err := cc.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range 20 {
			p.Set(ctx, "p"+strconv.Itoa(i), i, 0)
		}
		p.Get(ctx, "p7")
		return nil
	})
	if err != nil || cmds[len(cmds)-1].(*redis.StringCmd).Val() != "7" {
		t.Fatalf("pipeline: %v", err)
	}
	_, err = cc.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, "{acct:1}:balance", 100, 0)
		p.IncrBy(ctx, "{acct:1}:balance", -30)
		p.RPush(ctx, "{acct:1}:log", "debit 30")
		return nil
	})
	if err != nil {
		t.Fatalf("TxPipelined with one hash tag: %v", err)
	}
	if v, err := cc.Get(ctx, "{acct:1}:balance").Int(); err != nil || v != 70 {
		t.Fatalf("balance = %d, %v", v, err)
	}
	err = cc.MSet(ctx, "{a}1", 1, "{b}2", 2).Err()
	if err == nil || !strings.HasPrefix(err.Error(), "CROSSSLOT") {
		t.Fatalf("MSET across slots through ClusterClient: %v", err)
	}
	err = cc.Watch(ctx, func(tx *redis.Tx) error {
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "{w}x", 1, 0)
			p.Set(ctx, "{w}y", 2, 0)
			return nil
		})
		return err
	}, "{w}x")
	if err != nil {
		t.Fatalf("WATCH + transaction in one slot: %v", err)
	}
	if n, err := cc.Exists(ctx, "{w}x", "{w}y").Result(); err != nil || n != 2 {
		t.Fatalf("EXISTS = %d, %v", n, err)
	}
}

// TestOpenClusterMoved runs go-redis's ClusterClient against three stores
// opened by OpenCluster: the client routes by CLUSTER SLOTS and follows
// MOVED; each key lives on the node that owns its slot; a plain client on
// the wrong node gets MOVED with the owner's address.
func TestOpenClusterMoved(t *testing.T) {
	nodes, err := embedis.OpenCluster(3, embedis.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		t.Cleanup(func() { n.Close() })
		addrs[i] = embedistest.Addr(t, n)
	}
	ctx := context.Background()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{addrs[1]}})
	defer cc.Close()
	for i := range 50 {
		if err := cc.Set(ctx, "key"+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatalf("SET through ClusterClient: %v", err)
		}
	}
	if v, err := cc.Get(ctx, "key42").Int(); err != nil || v != 42 {
		t.Fatalf("GET key42 = %d, %v", v, err)
	}
	if _, err := cc.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, "{c}n")
		p.Incr(ctx, "{c}n")
		return nil
	}); err != nil {
		t.Fatalf("TxPipelined: %v", err)
	}
	// Each key is stored on its slot's owner only: node i owns the i-th
	// third of the slots.
	total := int64(0)
	for i, n := range nodes {
		keys, err := n.Keys(ctx, "key*")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if slot := embedis.KeySlot(k); slot < i*16384/3 || slot >= (i+1)*16384/3 {
				t.Errorf("node %d holds %q of slot %d", i, k, slot)
			}
		}
		total += int64(len(keys))
	}
	if total != 50 {
		t.Errorf("the nodes hold %d keys, want 50", total)
	}
	// A plain client on node 0 asking for a key of node 2.
	rdb := redis.NewClient(&redis.Options{Addr: addrs[0]})
	defer rdb.Close()
	key := ""
	for i := 0; key == ""; i++ {
		if k := "k" + strconv.Itoa(i); embedis.KeySlot(k) >= 2*16384/3 {
			key = k
		}
	}
	want := "MOVED " + strconv.Itoa(embedis.KeySlot(key)) + " " + addrs[2]
	if err := rdb.Get(ctx, key).Err(); err == nil || err.Error() != want {
		t.Errorf("GET %s on node 0: %v, want %s", key, err, want)
	}
	slots, err := rdb.ClusterSlots(ctx).Result()
	if err != nil || len(slots) != 3 || slots[2].Start != 2*16384/3 || slots[2].Nodes[0].Addr != addrs[2] {
		t.Errorf("CLUSTER SLOTS = %+v, %v", slots, err)
	}
	nodesText, err := rdb.ClusterNodes(ctx).Result()
	if err != nil || strings.Count(nodesText, "\n") != 3 || strings.Count(nodesText, "myself") != 1 {
		t.Errorf("CLUSTER NODES = %q, %v", nodesText, err)
	}
	err = rdb.Eval(ctx, "return redis.call('get', '"+key+"')", nil).Err()
	if err == nil || !strings.HasPrefix(err.Error(), "ERR Script attempted to access a non local key in a cluster node") {
		t.Errorf("EVAL reading a key of another node: %v", err)
	}
}
