package embedis

import "context"

// Server and connection commands that apply in one process.

// Ping checks that the store is serving and returns "PONG" (PING).
func (d *DB) Ping(ctx context.Context) (string, error) {
	return asString(d.execArgs(ctx, "ping"))
}

func init() {
	register(
		&command{name: "ping", arity: -1, flags: flagFast, acl: []string{"fast", "connection"}, handler: cmdPing},
		&command{name: "echo", arity: 2, flags: flagFast, acl: []string{"fast", "connection"}, handler: cmdEcho},
	)
}

func cmdPing(c *call) Value {
	switch len(c.args) {
	case 1:
		return SimpleValue("PONG")
	case 2:
		return BulkValue(c.args[1])
	}
	return errArity(c.cmd.name)
}

func cmdEcho(c *call) Value { return BulkValue(c.args[1]) }
