package embedis

import (
	"context"
)

// Generic key commands: existence, deletion, expiry, renaming, iteration.

// ---- typed methods ----

// Del removes the keys and returns how many existed (DEL).
func (d *DB) Del(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"del"}, keys...)))
}

// Exists returns how many of the keys exist, counting repeats (EXISTS).
func (d *DB) Exists(ctx context.Context, keys ...string) (int64, error) {
	return asInt(d.exec(ctx, append([]string{"exists"}, keys...)))
}

// ---- commands ----

func init() {
	register(
		&command{name: "del", arity: -2, flags: flagWrite, firstKey: 1, lastKey: -1, step: 1, acl: []string{"keyspace", "write", "slow"}, handler: cmdDel},
		&command{name: "exists", arity: -2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: -1, step: 1, acl: []string{"keyspace", "read", "fast"}, handler: cmdExists},
	)
}

func cmdDel(c *call) Value {
	var n int64
	for _, k := range c.args[1:] {
		if c.lookup(k) != nil && c.del(k) {
			n++
		}
	}
	return IntValue(n)
}

func cmdExists(c *call) Value {
	var n int64
	for _, k := range c.args[1:] {
		if c.lookup(k) != nil {
			n++
		}
	}
	return IntValue(n)
}
