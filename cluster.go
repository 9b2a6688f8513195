package embedis

import (
	"encoding/hex"
	"net"
	"strconv"
	"strings"
)

// The cluster face (Options.ClusterEnabled).
//
// A store with ClusterEnabled answers as a Redis Cluster made of one
// primary node that owns all 16384 hash slots. It speaks enough of the
// cluster protocol for cluster clients to discover it (CLUSTER SLOTS,
// SHARDS, NODES), and it enforces the rule code written for a cluster must
// obey: the keys of one command, one MULTI/EXEC transaction or one
// redis.call all hash to the same slot, else CROSSSLOT. A service's tests
// against embedis then catch the CROSSSLOT bugs a real cluster would show
// in production. It is a face, not a cluster: there is no gossip bus, no
// slot migration (so no ASK) and no replica; the CLUSTER subcommands that
// manage those are refused. OpenCluster (cluster_group.go) presents several
// stores of one process as a multi-node cluster with MOVED redirections.
//
// The node's address is the address the asking client connected to (a TCP
// listener's address, the way the client reached the store), so a cluster
// client that discovers the node through CLUSTER SLOTS dials it again at
// the same place; an in-memory connection (DialContext) has no address and
// sees an empty IP with the "port" parameter, as redis-server reports a
// node that has not learned its own IP.

// clusterSlots is the number of hash slots of Redis Cluster.
const clusterSlots = 16384

// errCrossSlot is Redis Cluster's refusal of keys in different slots.
var errCrossSlot = errValue(ErrCrossSlot)

// clusterState is the state of the cluster face. Owned by the executor.
type clusterState struct {
	// myID is the node's 40-character hex ID, drawn on first use from the
	// store's random source (so Options.Seed replays it).
	myID string
	// epoch is the node's config epoch (CLUSTER BUMPEPOCH raises it).
	epoch int64
}

// crc16Table is CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0),
// the checksum Redis Cluster hashes keys with.
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crc16(s string) uint16 {
	var c uint16
	for i := 0; i < len(s); i++ {
		c = c<<8 ^ crc16Table[byte(c>>8)^s[i]]
	}
	return c
}

// KeySlot returns the Redis Cluster hash slot (0..16383) of key, as CLUSTER
// KEYSLOT does: CRC16 of the key modulo 16384, or of its hash tag, the part
// between the first '{' and the first '}' after it when that part is not
// empty. Keys that share a hash tag ("{user:1}:name", "{user:1}:mail") are
// in the same slot.
func KeySlot(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return int(crc16(key) & (clusterSlots - 1))
}

// callKeys returns the positions of the keys of a resolved call: a
// movable-keys command's finder (keyspecs.go), else the row's first, last
// and step.
func callKeys(cmd *command, args []string) []int {
	if find := keyFinders[cmd.name]; find != nil {
		return find(args)
	}
	return cmd.keyPositions(args)
}

// sameSlot reports whether the keys of args at pos hash to slot, or to one
// slot between them when slot is -1; it returns the slot (-1: no keys).
func sameSlot(args []string, pos []int, slot int) (int, bool) {
	for _, p := range pos {
		if p >= len(args) {
			continue
		}
		k := KeySlot(args[p])
		if slot == -1 {
			slot = k
		} else if k != slot {
			return slot, false
		}
	}
	return slot, true
}

// clusterCheck is dispatch's cluster step (Redis's getNodeByQuery for a
// node that serves every slot): a command whose keys are in different
// slots is refused with CROSSSLOT, which also dooms an open MULTI; EXEC
// checks the keys of the whole queued transaction and, when they differ,
// discards it and answers CROSSSLOT. A script's own commands are checked
// by the script host (scriptHost.Call), with the script's error.
func (s *Store) clusterCheck(cl *client, cmd *command, args []string) (Value, bool) {
	if _, script := cl.conn.(*scriptConn); script {
		return Value{}, true
	}
	t := txOf(cl)
	if cmd.name == "exec" {
		if t == nil || !t.active {
			return Value{}, true
		}
		slot := -1
		for _, q := range t.queue {
			var ok bool
			if slot, ok = sameSlot(q.args, callKeys(q.cmd, q.args), slot); !ok {
				s.discardTx(t)
				return errCrossSlot, false
			}
		}
		if v, moved := s.movedFrom(slot); moved {
			s.discardTx(t)
			return v, false
		}
		return Value{}, true
	}
	if cmd.firstKey == 0 && keyFinders[cmd.name] == nil {
		return Value{}, true
	}
	slot, ok := sameSlot(args, callKeys(cmd, args), -1)
	errv := errCrossSlot
	if ok {
		errv, ok = s.movedFrom(slot)
		ok = !ok
	}
	if !ok {
		if t != nil && t.active {
			t.dirtyExec = true
		}
		return errv, false
	}
	return Value{}, true
}

// movedFrom returns the MOVED redirection for slot when another node of
// a multi-node cluster (OpenCluster) owns it.
func (s *Store) movedFrom(slot int) (Value, bool) {
	g := s.opts.group
	if g == nil || slot < 0 || g.nodeOf(slot) == s.opts.groupIndex {
		return Value{}, false
	}
	return g.movedValue(slot), true
}

// scriptSlotCheck is the cluster check of a script's redis.call, as Redis
// 7.0 makes it: a call whose keys span slots is refused, and unless the
// script may cross slots (legacy EVAL scripts, allow-cross-slot-keys),
// so is a call whose keys are in another slot than the keys the script
// declared or used before.
func (s *Store) scriptSlotCheck(h *scriptHost, cmd *command, args []string, crossOK bool) (string, bool) {
	slot, ok := sameSlot(args, callKeys(cmd, args), -1)
	if !ok {
		return "ERR Script attempted to access a non local key in a cluster node", false
	}
	if _, moved := s.movedFrom(slot); moved {
		return "ERR Script attempted to access a non local key in a cluster node", false
	}
	if slot == -1 || crossOK {
		return "", true
	}
	if h.slot == -1 {
		h.slot = slot
	} else if h.slot != slot {
		return "ERR Script attempted to access keys that do not hash to the same slot", false
	}
	return "", true
}

// ---------------------------------------------------------------------------
// Command rows.

func init() {
	const admin = flagAdmin | flagNoAsyncLoading
	aclAdmin := []string{"admin", "slow", "dangerous"}
	aclSlow := []string{"slow"}
	register(
		&command{name: "cluster", arity: -2, acl: aclSlow},
		&command{name: "cluster|addslots", arity: -3, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSlotsAdmin},
		&command{name: "cluster|addslotsrange", arity: -4, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSlotsAdmin},
		&command{name: "cluster|bumpepoch", arity: 2, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterBumpepoch},
		&command{name: "cluster|count-failure-reports", arity: 3, flags: flagAdmin | flagStale, acl: aclAdmin, handler: cmdClusterNodeArg},
		&command{name: "cluster|countkeysinslot", arity: 3, flags: flagStale, acl: aclSlow, handler: cmdClusterCountkeysinslot},
		&command{name: "cluster|delslots", arity: -3, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSlotsAdmin},
		&command{name: "cluster|delslotsrange", arity: -4, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSlotsAdmin},
		&command{name: "cluster|failover", arity: -2, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterFailover},
		&command{name: "cluster|flushslots", arity: 2, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterFlushslots},
		&command{name: "cluster|forget", arity: 3, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterNodeArg},
		&command{name: "cluster|getkeysinslot", arity: 4, flags: flagStale, acl: aclSlow, handler: cmdClusterGetkeysinslot},
		&command{name: "cluster|help", arity: 2, flags: flagLoading | flagStale, acl: aclSlow, handler: cmdClusterHelp},
		&command{name: "cluster|info", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterInfo},
		&command{name: "cluster|keyslot", arity: 3, flags: flagStale, acl: aclSlow, handler: cmdClusterKeyslot},
		&command{name: "cluster|links", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterLinks},
		&command{name: "cluster|meet", arity: -4, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterMeet},
		&command{name: "cluster|myid", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterMyid},
		&command{name: "cluster|nodes", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterNodes},
		&command{name: "cluster|replicas", arity: 3, flags: flagAdmin | flagStale, acl: aclAdmin, handler: cmdClusterNodeArg},
		&command{name: "cluster|replicate", arity: 3, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterNodeArg},
		&command{name: "cluster|reset", arity: -2, flags: flagAdmin | flagNoScript | flagStale, acl: aclAdmin, handler: cmdClusterReset},
		&command{name: "cluster|saveconfig", arity: 2, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSaveconfig},
		&command{name: "cluster|set-config-epoch", arity: 3, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSetConfigEpoch},
		&command{name: "cluster|setslot", arity: -4, flags: admin | flagStale, acl: aclAdmin, handler: cmdClusterSetslot},
		&command{name: "cluster|shards", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterShards},
		&command{name: "cluster|slaves", arity: 3, flags: flagAdmin | flagStale, acl: aclAdmin, handler: cmdClusterNodeArg},
		&command{name: "cluster|slots", arity: 2, flags: flagStale, acl: aclSlow, handler: cmdClusterSlots},

		&command{name: "readonly", arity: 1, flags: flagFast | flagLoading | flagStale, acl: []string{"fast", "connection"}, handler: cmdClusterAck},
		&command{name: "readwrite", arity: 1, flags: flagFast | flagLoading | flagStale, acl: []string{"fast", "connection"}, handler: cmdClusterAck},
		&command{name: "asking", arity: 1, flags: flagFast, acl: []string{"fast", "connection"}, handler: cmdClusterAck},
	)
}

// errClusterDisabled answers every cluster command of a store without
// Options.ClusterEnabled, as redis-server without cluster-enabled does.
var errClusterDisabled = ErrorValue("ERR This instance has cluster support disabled")

// clusterOff reports whether the cluster face is off (the command must
// answer errClusterDisabled).
func (c *call) clusterOff() bool { return !c.s.opts.ClusterEnabled }

// myID returns the node ID, drawing it on first use.
func (s *Store) myID() string {
	if g := s.opts.group; g != nil {
		return g.ids[s.opts.groupIndex]
	}
	if s.cluster.myID == "" {
		var b [20]byte
		for i := range b {
			b[i] = byte(s.rnd.Uint32())
		}
		s.cluster.myID = hex.EncodeToString(b[:])
	}
	return s.cluster.myID
}

// nodeAddr returns the IP and port the node announces to the calling
// client: the local address of its TCP connection, else the address of
// a TCP listener, else no IP and the "port" parameter.
func (c *call) nodeAddr() (string, int) {
	if ss, ok := c.cl.conn.(*session); ok {
		if a, ok := ss.conn.LocalAddr().(*net.TCPAddr); ok {
			return a.IP.String(), a.Port
		}
	}
	if ip, port, ok := c.s.wire.tcpAddr(); ok {
		return ip, port
	}
	port, _ := strconv.Atoi(c.s.configValues()["port"])
	return "", port
}

// tcpAddr returns the address of one of the store's TCP listeners (the
// lowest port, so that the choice is stable).
func (w *wireState) tcpAddr() (string, int, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var best *net.TCPAddr
	for l := range w.listeners {
		if a, ok := l.Addr().(*net.TCPAddr); ok && (best == nil || a.Port < best.Port) {
			best = a
		}
	}
	if best == nil {
		return "", 0, false
	}
	return best.IP.String(), best.Port, true
}

// busPort is the cluster bus port Redis derives from the client port.
func busPort(port int) int {
	if port+10000 > 65535 {
		return 0
	}
	return port + 10000
}

func cmdClusterAck(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return okValue
}

func cmdClusterHelp(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return serverHelp(strings.Join(clusterHelp, "\n"))
}

var clusterHelp = []string{
	"CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ADDSLOTS <slot> [<slot> ...]",
	"    Assign slots to current node.",
	"ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
	"    Assign slots which are between <start-slot> and <end-slot> to current node.",
	"BUMPEPOCH",
	"    Advance the cluster config epoch.",
	"COUNT-FAILURE-REPORTS <node-id>",
	"    Return number of failure reports for <node-id>.",
	"COUNTKEYSINSLOT <slot>",
	"    Return the number of keys in <slot>.",
	"DELSLOTS <slot> [<slot> ...]",
	"    Delete slots information from current node.",
	"DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
	"    Delete slots information which are between <start-slot> and <end-slot> from current node.",
	"FAILOVER [FORCE|TAKEOVER]",
	"    Promote current replica node to being a master.",
	"FORGET <node-id>",
	"    Remove a node from the cluster.",
	"GETKEYSINSLOT <slot> <count>",
	"    Return key names stored by current node in a slot.",
	"FLUSHSLOTS",
	"    Delete current node own slots information.",
	"INFO",
	"    Return information about the cluster.",
	"KEYSLOT <key>",
	"    Return the hash slot for <key>.",
	"MEET <ip> <port> [<bus-port>]",
	"    Connect nodes into a working cluster.",
	"MYID",
	"    Return the node id.",
	"NODES",
	"    Return cluster configuration seen by node. Output format:",
	"    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
	"REPLICATE <node-id>",
	"    Configure current node as replica to <node-id>.",
	"RESET [HARD|SOFT]",
	"    Reset current node (default: soft).",
	"SET-CONFIG-EPOCH <epoch>",
	"    Set config epoch of current node.",
	"SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
	"    Set slot state.",
	"REPLICAS <node-id>",
	"    Return <node-id> replicas.",
	"SAVECONFIG",
	"    Force saving cluster configuration on disk.",
	"SLOTS",
	"    Return information about slots range mappings. Each range is made of:",
	"    start, end, master and replicas IP addresses, ports and ids",
	"SHARDS",
	"    Return information about slot range mappings and the nodes associated with them.",
	"LINKS",
	"    Return information about all network links between this node and its peers.",
	"    Output format is an array where each array element is a map containing attributes of a link",
	"HELP",
	"    Prints this help.",
}

func cmdClusterMyid(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return BulkValue(c.s.myID())
}

func cmdClusterKeyslot(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return IntValue(int64(KeySlot(c.args[2])))
}

func cmdClusterInfo(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	var b strings.Builder
	line := func(k string, v string) { b.WriteString(k + ":" + v + "\r\n") }
	line("cluster_state", "ok")
	line("cluster_slots_assigned", "16384")
	line("cluster_slots_ok", "16384")
	line("cluster_slots_pfail", "0")
	line("cluster_slots_fail", "0")
	nodes := "1"
	if g := c.s.opts.group; g != nil {
		nodes = strconv.Itoa(len(g.stores))
	}
	line("cluster_known_nodes", nodes)
	line("cluster_size", nodes)
	e := strconv.FormatInt(c.s.cluster.epoch, 10)
	line("cluster_current_epoch", e)
	line("cluster_my_epoch", e)
	line("cluster_stats_messages_sent", "0")
	line("cluster_stats_messages_received", "0")
	line("total_cluster_links_buffer_limit_exceeded", "0")
	return VerbatimValue("txt", b.String())
}

func cmdClusterSlots(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if g := c.s.opts.group; g != nil {
		return g.groupSlots()
	}
	ip, port := c.nodeAddr()
	node := ArrayValue(BulkValue(ip), IntValue(int64(port)), BulkValue(c.s.myID()), MapValue())
	return ArrayValue(ArrayValue(IntValue(0), IntValue(clusterSlots-1), node))
}

func cmdClusterShards(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if g := c.s.opts.group; g != nil {
		return g.groupShards()
	}
	ip, port := c.nodeAddr()
	node := MapValue(
		BulkValue("id"), BulkValue(c.s.myID()),
		BulkValue("port"), IntValue(int64(port)),
		BulkValue("ip"), BulkValue(ip),
		BulkValue("endpoint"), BulkValue(ip),
		BulkValue("role"), BulkValue("master"),
		BulkValue("replication-offset"), IntValue(0),
		BulkValue("health"), BulkValue("online"),
	)
	shard := MapValue(
		BulkValue("slots"), ArrayValue(IntValue(0), IntValue(clusterSlots-1)),
		BulkValue("nodes"), ArrayValue(node),
	)
	return ArrayValue(shard)
}

func cmdClusterNodes(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if g := c.s.opts.group; g != nil {
		return VerbatimValue("txt", g.groupNodes(c.s.opts.groupIndex))
	}
	ip, port := c.nodeAddr()
	line := c.s.myID() + " " + ip + ":" + strconv.Itoa(port) + "@" + strconv.Itoa(busPort(port)) +
		" myself,master - 0 0 " + strconv.FormatInt(c.s.cluster.epoch, 10) + " connected 0-16383\n"
	return VerbatimValue("txt", line)
}

func cmdClusterLinks(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return ArrayValue()
}

// parseSlot parses a slot argument as Redis's getSlotOrReply does.
func parseSlot(s string) (int, Value, bool) {
	n, ok := parseInt(s)
	if !ok || n < 0 || n >= clusterSlots {
		return 0, ErrorValue("ERR Invalid or out of range slot"), false
	}
	return int(n), Value{}, true
}

func cmdClusterCountkeysinslot(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	n, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if n < 0 || n >= clusterSlots {
		return ErrorValue("ERR Invalid slot")
	}
	var count int64
	// A walk of database 0 (a cluster has no other): the store keeps no
	// slot index, so this is O(keys), unlike Redis's O(1).
	c.s.dbs[0].keys.All(func(k string, _ *entry) bool {
		if KeySlot(k) == int(n) {
			count++
		}
		return true
	})
	return IntValue(count)
}

func cmdClusterGetkeysinslot(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	slot, ok1 := parseInt(c.args[2])
	max, ok2 := parseInt(c.args[3])
	if !ok1 || !ok2 {
		return errNotInteger
	}
	if slot < 0 || slot >= clusterSlots || max < 0 {
		return ErrorValue("ERR Invalid slot or number of keys")
	}
	var keys []Value
	c.s.dbs[0].keys.All(func(k string, _ *entry) bool {
		if int64(len(keys)) >= max {
			return false
		}
		if KeySlot(k) == int(slot) {
			keys = append(keys, BulkValue(k))
		}
		return true
	})
	return ArrayValue(keys...)
}

// errClusterFace refuses the cluster management a one-node face cannot do.
func errClusterFace(sub string) Value {
	return ErrorValue("ERR CLUSTER " + strings.ToUpper(sub) + " is not supported by embedis: it presents one node that owns every slot")
}

// cmdClusterSlotsAdmin answers ADDSLOTS, ADDSLOTSRANGE, DELSLOTS and
// DELSLOTSRANGE: argument errors as Redis's, "already busy" for adding a
// slot (the node owns them all), and a refusal for deleting one.
func cmdClusterSlotsAdmin(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	sub := strings.ToLower(c.args[1])
	ranged := strings.HasSuffix(sub, "range")
	if ranged && len(c.args)%2 == 1 {
		return errArity(c.cmd.name)
	}
	var slots []int
	for i := 2; i < len(c.args); i++ {
		n, errv, ok := parseSlot(c.args[i])
		if !ok {
			return errv
		}
		slots = append(slots, n)
	}
	if ranged {
		for i := 0; i < len(slots); i += 2 {
			if slots[i] > slots[i+1] {
				return ErrorValue("ERR start slot number " + strconv.Itoa(slots[i]) +
					" is greater than end slot number " + strconv.Itoa(slots[i+1]))
			}
		}
	}
	if strings.HasPrefix(sub, "add") {
		return ErrorValue("ERR Slot " + strconv.Itoa(slots[0]) + " is already busy")
	}
	return errClusterFace(sub)
}

func cmdClusterBumpepoch(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	// The only node has the greatest epoch already unless it is 0.
	if c.s.cluster.epoch == 0 {
		c.s.cluster.epoch = 1
		return SimpleValue("BUMPED 1")
	}
	return SimpleValue("STILL " + strconv.FormatInt(c.s.cluster.epoch, 10))
}

// cmdClusterNodeArg answers the subcommands that name a node
// (COUNT-FAILURE-REPORTS, FORGET, REPLICAS, SLAVES, REPLICATE): the only
// node known is this one.
func cmdClusterNodeArg(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	sub := strings.ToLower(c.args[1])
	if c.args[2] != c.s.myID() {
		if g := c.s.opts.group; g != nil && sub != "forget" && sub != "replicate" {
			for _, id := range g.ids {
				if id == c.args[2] {
					if sub == "count-failure-reports" {
						return IntValue(0)
					}
					return ArrayValue() // replicas, slaves: none
				}
			}
		}
		if g := c.s.opts.group; g != nil && (sub == "forget" || sub == "replicate") {
			for _, id := range g.ids {
				if id == c.args[2] {
					return errClusterFace(sub)
				}
			}
		}
		return ErrorValue("ERR Unknown node " + c.args[2])
	}
	switch sub {
	case "count-failure-reports":
		return IntValue(0)
	case "forget":
		return ErrorValue("ERR I tried hard but I can't forget myself...")
	case "replicate":
		return ErrorValue("ERR Can't replicate myself")
	case "replicas", "slaves":
		return ArrayValue()
	}
	return errClusterFace(sub)
}

func cmdClusterFailover(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if len(c.args) == 3 && (eqFold(c.args[2], "force") || eqFold(c.args[2], "takeover")) || len(c.args) == 2 {
		return ErrorValue("ERR You should send CLUSTER FAILOVER to a replica")
	}
	return errSyntax
}

func cmdClusterFlushslots(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if c.s.dbs[0].keys.Len() != 0 {
		return ErrorValue("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.")
	}
	return errClusterFace("flushslots")
}

func cmdClusterReset(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if len(c.args) == 3 && !eqFold(c.args[2], "hard") && !eqFold(c.args[2], "soft") || len(c.args) > 3 {
		return errSyntax
	}
	if c.s.dbs[0].keys.Len() != 0 {
		return ErrorValue("ERR CLUSTER RESET can't be called with master nodes containing keys")
	}
	return errClusterFace("reset")
}

func cmdClusterSaveconfig(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	return okValue // there is no nodes.conf to write
}

func cmdClusterSetConfigEpoch(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	n, ok := parseInt(c.args[2])
	if !ok {
		return errNotInteger
	}
	if n < 0 {
		return ErrorValue("ERR Invalid config epoch specified: " + c.args[2])
	}
	if c.s.cluster.epoch != 0 {
		return ErrorValue("ERR Node config epoch is already non-zero")
	}
	c.s.cluster.epoch = n
	return okValue
}

func cmdClusterMeet(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if len(c.args) > 5 {
		return errSyntax
	}
	port, ok := parseInt(c.args[3])
	if !ok {
		return ErrorValue("ERR Invalid TCP base port specified: " + c.args[3])
	}
	if len(c.args) == 5 {
		if _, ok := parseInt(c.args[4]); !ok {
			return ErrorValue("ERR Invalid TCP bus port specified: " + c.args[4])
		}
	}
	if net.ParseIP(c.args[2]) == nil || port < 0 || port > 65535 {
		return ErrorValue("ERR Invalid node address specified: " + c.args[2] + ":" + c.args[3])
	}
	return errClusterFace("meet")
}

func cmdClusterSetslot(c *call) Value {
	if c.clusterOff() {
		return errClusterDisabled
	}
	if _, errv, ok := parseSlot(c.args[2]); !ok {
		return errv
	}
	switch {
	case eqFold(c.args[3], "stable") && len(c.args) == 4:
		return okValue
	case eqFold(c.args[3], "node") && len(c.args) == 5:
		if c.args[4] != c.s.myID() {
			return ErrorValue("ERR Unknown node " + c.args[4])
		}
		return okValue
	case (eqFold(c.args[3], "migrating") || eqFold(c.args[3], "importing")) && len(c.args) == 5:
		if c.args[4] == c.s.myID() {
			return errClusterFace("setslot")
		}
		return ErrorValue("ERR I don't know about node " + c.args[4])
	}
	return ErrorValue("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP")
}

// clusterEnabledInt is INFO's cluster_enabled field.
func clusterEnabledInt(on bool) int {
	if on {
		return 1
	}
	return 0
}
