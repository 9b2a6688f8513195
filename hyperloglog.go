package embedis

import (
	"context"
	"math"
	"strconv"
	"unsafe"

	"github.com/embedis/embedis/internal/hll"
)

// HyperLogLog.
//
// An HLL is a string value in Redis 7.0's exact representation (see
// internal/hll): PFADD of the same elements gives the same bytes as
// redis-server, GET returns them, and a string copied from a real Redis
// (GET/SET, DUMP/RESTORE, an RDB file) keeps working here and back. It
// starts sparse and becomes dense (12304 bytes) when a register exceeds 32
// or the sparse form would exceed hll-sparse-max-bytes (CONFIG, default
// 3000).
//
// PFCOUNT of one key caches the estimate in the string's header, so a
// "read" may change the value, as in Redis (which propagates it).
// Every change goes through storeBits, as the bitmap commands' do.

// ---- typed methods ----

// PFAdd adds elements to the HyperLogLog at key, creating it when missing
// (PFADD), and reports whether its estimate may have changed (a register
// changed, or the key was created). ErrNotHLL when key holds a string that
// is not an HLL, ErrHLLCorrupt when its sparse form is corrupt.
func (d *DB) PFAdd(ctx context.Context, key string, elements ...string) (bool, error) {
	args := make([]string, 0, len(elements)+2)
	args = append(args, "pfadd", key)
	return asBool(d.exec(ctx, append(args, elements...)))
}

// PFCount returns the estimated number of distinct elements added to the
// HyperLogLog at key (PFCOUNT), 0 when missing; with several keys, the
// estimate for their union, computed without changing them.
func (d *DB) PFCount(ctx context.Context, keys ...string) (int64, error) {
	args := make([]string, 0, len(keys)+1)
	return asInt(d.exec(ctx, append(append(args, "pfcount"), keys...)))
}

// PFMerge stores at destKey the union of the HyperLogLogs at destKey (when
// it exists) and at keys (PFMERGE).
func (d *DB) PFMerge(ctx context.Context, destKey string, keys ...string) error {
	args := make([]string, 0, len(keys)+2)
	args = append(args, "pfmerge", destKey)
	return asOK(d.exec(ctx, append(args, keys...)))
}

// ---- commands ----

func init() {
	register(
		&command{name: "pfadd", arity: -2, flags: flagWrite | flagDenyOOM | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "hyperloglog", "fast"}, handler: cmdPFAdd},
		&command{name: "pfcount", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: -1, step: 1, acl: []string{"read", "hyperloglog", "slow"}, handler: cmdPFCount},
		&command{name: "pfmerge", arity: -2, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: -1, step: 1, acl: []string{"write", "hyperloglog", "slow"}, handler: cmdPFMerge},
		&command{name: "pfdebug", arity: 3, flags: flagWrite | flagDenyOOM | flagAdmin, firstKey: 2, lastKey: 2, step: 1, acl: []string{"write", "hyperloglog", "admin", "slow", "dangerous"}, handler: cmdPFDebug},
		&command{name: "pfselftest", arity: 1, flags: flagAdmin, acl: []string{"hyperloglog", "admin", "slow", "dangerous"}, handler: cmdPFSelfTest},
	)
}

// HyperLogLog errors.
var (
	// ErrNotHLL: a HyperLogLog command on a string that is not an HLL.
	ErrNotHLL = newError("WRONGTYPE Key is not a valid HyperLogLog string value.")
	// ErrHLLCorrupt: an HLL whose sparse registers are corrupt.
	ErrHLLCorrupt = newError("INVALIDOBJ Corrupted HLL object detected")
)

var (
	errNotHLL     = errValue(ErrNotHLL)
	errHLLCorrupt = errValue(ErrHLLCorrupt)
)

// hllSparseMax is hll-sparse-max-bytes as CONFIG holds it.
func (c *call) hllSparseMax() int {
	n, _ := strconv.ParseInt(c.s.configValues()["hll-sparse-max-bytes"], 10, 64)
	return int(min(n, math.MaxInt32))
}

// hllAt checks that e (a live entry, not nil) holds an HLL, and returns
// the reply to send when it does not.
func hllAt(e *entry) (Value, bool) {
	if e.typ != typeString {
		return errWrongType, false
	}
	if !hll.Valid(e.str) {
		return errNotHLL, false
	}
	return Value{}, true
}

// readBytes returns s's bytes without copying, for reading only.
func readBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// editable returns a copy of s with room for sparse edits to grow it.
func editable(s string) []byte {
	b := make([]byte, len(s), len(s)+8)
	copy(b, s)
	return b
}

// cmdPFAdd: creating the key counts as an update even without elements.
// On a corrupt sparse HLL the registers set before the corruption was met
// stay set, and the error is answered, as Redis does.
func cmdPFAdd(c *call) Value {
	key := c.args[1]
	e := c.lookupWrite(key)
	var h []byte
	updated := 0
	if e == nil {
		h = hll.New()
		updated = 1
	} else {
		if errv, ok := hllAt(e); !ok {
			return errv
		}
		e.enc = encRaw // Redis unshares the string
		h = editable(e.str)
	}
	limit := c.hllSparseMax()
	for _, ele := range c.args[2:] {
		var r int
		h, r = hll.Add(h, ele, limit)
		switch r {
		case 1:
			updated++
		case -1:
			if updated > 0 {
				// Redis keeps these changes without announcing
				// them; here every change passes the mutation path.
				c.storeBits(key, e, ownedString(h), evNone)
			}
			return errHLLCorrupt
		}
	}
	if updated == 0 {
		return IntValue(0)
	}
	hll.Invalidate(h)
	c.storeBits(key, e, ownedString(h), evPFAdd)
	return IntValue(1)
}

// cmdPFCount: several keys are merged into plain registers and estimated,
// changing nothing; one key answers its cached estimate, or computes and
// caches it (a change of the value).
func cmdPFCount(c *call) Value {
	if len(c.args) > 2 {
		var regs [hll.Registers]uint8
		for _, key := range c.args[1:] {
			e := c.lookupRead(key)
			if e == nil {
				continue
			}
			if errv, ok := hllAt(e); !ok {
				return errv
			}
			if !hll.Merge(&regs, readBytes(e.str)) {
				return errHLLCorrupt
			}
		}
		return IntValue(int64(hll.CountRegisters(&regs)))
	}
	key := c.args[1]
	e := c.lookupRead(key)
	if e == nil {
		return IntValue(0)
	}
	if errv, ok := hllAt(e); !ok {
		return errv
	}
	e.enc = encRaw
	if card, ok := hll.Cached(e.str); ok {
		return IntValue(int64(card))
	}
	card, ok := hll.Count(readBytes(e.str))
	if !ok {
		return errHLLCorrupt
	}
	h := editable(e.str)
	hll.SetCache(h, card)
	// A read-only command that writes: the key passes the mutation path
	// (lookupWrite is its point 1; the read lookup above counted the hit),
	// and PFCOUNT propagates as itself, as Redis propagates it.
	c.storeBits(key, c.lookupWrite(key), ownedString(h), evNone)
	c.propagateAs(c.args...)
	return IntValue(int64(card))
}

// cmdPFMerge checks and merges every source (the destination among them)
// before it writes the destination, which becomes dense when any source
// is dense.
func cmdPFMerge(c *call) Value {
	var regs [hll.Registers]uint8
	useDense := false
	for _, key := range c.args[1:] {
		e := c.lookupRead(key)
		if e == nil {
			continue
		}
		if errv, ok := hllAt(e); !ok {
			return errv
		}
		if e.str[4] == hll.Dense {
			useDense = true
		}
		if !hll.Merge(&regs, readBytes(e.str)) {
			return errHLLCorrupt
		}
	}
	dest := c.args[1]
	e := c.lookupWrite(dest)
	var h []byte
	if e == nil {
		h = hll.New()
	} else {
		h = editable(e.str)
	}
	if useDense {
		var ok bool
		if h, ok = hll.ToDense(h); !ok {
			return errHLLCorrupt
		}
	}
	limit := c.hllSparseMax()
	for i, v := range regs {
		if v != 0 {
			h, _ = hll.Set(h, i, v, limit)
		}
	}
	hll.Invalidate(h)
	c.storeBits(dest, e, ownedString(h), evPFAdd)
	return okValue
}

// cmdPFDebug serves PFDEBUG GETREG, DECODE, ENCODING and TODENSE. The key
// is checked before the subcommand; GETREG and TODENSE convert a sparse
// HLL to dense and store it, a write without a keyspace event. (Redis
// does not signal that change to WATCH; here it passes the mutation path
// like every change, so it does.)
func cmdPFDebug(c *call) Value {
	sub, key := cstr(c.args[1]), c.args[2]
	e := c.lookupWrite(key)
	if e == nil {
		return ErrorValue("ERR The specified key does not exist")
	}
	if errv, ok := hllAt(e); !ok {
		return errv
	}
	e.enc = encRaw
	toDense := func() ([]byte, Value, bool) {
		h := readBytes(e.str)
		if h[4] == hll.Dense {
			return h, Value{}, false
		}
		d, ok := hll.ToDense(editable(e.str))
		if !ok {
			return nil, errHLLCorrupt, false
		}
		c.storeBits(key, e, ownedString(d), evNone)
		return d, Value{}, true
	}
	switch {
	case eqFold(sub, "getreg"):
		h, errv, _ := toDense()
		if h == nil {
			return errv
		}
		out := make([]Value, hll.Registers)
		for i := range out {
			out[i] = IntValue(int64(hll.Register(h, i)))
		}
		return ArrayValue(out...)
	case eqFold(sub, "decode"):
		if e.str[4] != hll.Sparse {
			return ErrorValue("ERR HLL encoding is not sparse")
		}
		return BulkValue(hll.Decode(readBytes(e.str)))
	case eqFold(sub, "encoding"):
		if e.str[4] == hll.Dense {
			return SimpleValue("dense")
		}
		return SimpleValue("sparse")
	case eqFold(sub, "todense"):
		h, errv, converted := toDense()
		if h == nil {
			return errv
		}
		if converted {
			return IntValue(1)
		}
		return IntValue(0)
	}
	return ErrorValue("ERR Unknown PFDEBUG subcommand '" + sanitize(sub) + "'")
}

// cmdPFSelfTest runs the register and estimator checks of internal/hll
// (about a second: ten million adds) on the executor, as Redis runs them
// on its main thread.
func cmdPFSelfTest(c *call) Value {
	if msg := hll.SelfTest(c.s.rnd.Uint64, c.hllSparseMax()); msg != "" {
		return ErrorValue("ERR " + msg)
	}
	return okValue
}
