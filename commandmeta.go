package embedis

import (
	"strconv"
	"strings"
)

// Command metadata beyond the table: the key specs, tips and docs that
// COMMAND INFO and COMMAND DOCS report, as redis-server 7.0.15 reports them.
// commanddata_gen.go holds them as RESP3 text, generated from a running
// redis-server by internal/gen/commanddata (regenerate with
//
//	go run ./internal/gen/commanddata -addr <redis-server 7.0.15> -out commanddata_gen.go
//
// after adding a command); TestCommandMetaMatchesRedis checks every row of
// the table against redis-server. The table stays the source of a row's
// name, arity, flags, ACL categories and subcommands.

// commandMetaRaw is one command's generated metadata: RESP3 texts of its
// tips (a set), its key specs (a set of maps) and its docs (a map, without
// subcommands).
type commandMetaRaw struct{ tips, specs, docs string }

// metaValue decodes one of the generated RESP3 texts; ok is false when
// the command has no generated metadata (a command redis-server lacks) or
// the text is empty.
func metaValue(name string, pick func(commandMetaRaw) string) (Value, bool) {
	raw, ok := commandMetaText[name]
	if !ok || pick(raw) == "" {
		return Value{}, false
	}
	v, rest, ok := decodeMeta(pick(raw))
	if !ok || rest != "" {
		// The file is generated and checked by a test: a bad entry is
		// a bug in the generator.
		panic("embedis: bad generated command metadata for " + name)
	}
	return v, true
}

// decodeMeta decodes the RESP3 subset the generator writes: simple
// strings, integers, bulk strings, arrays, sets and maps.
func decodeMeta(s string) (Value, string, bool) {
	if len(s) < 3 {
		return Value{}, s, false
	}
	i := strings.Index(s, "\r\n")
	if i < 1 {
		return Value{}, s, false
	}
	kind, head, rest := s[0], s[1:i], s[i+2:]
	switch kind {
	case '+':
		return SimpleValue(head), rest, true
	case ':':
		n, err := strconv.ParseInt(head, 10, 64)
		return IntValue(n), rest, err == nil
	case '$':
		n, err := strconv.Atoi(head)
		if err != nil || n < 0 || len(rest) < n+2 {
			return Value{}, s, false
		}
		return BulkValue(rest[:n]), rest[n+2:], true
	case '*', '~', '%':
		n, err := strconv.Atoi(head)
		if err != nil || n < 0 {
			return Value{}, s, false
		}
		count := n
		if kind == '%' {
			count = 2 * n
		}
		elems := make([]Value, 0, count)
		for range count {
			var e Value
			var ok bool
			if e, rest, ok = decodeMeta(rest); !ok {
				return Value{}, s, false
			}
			elems = append(elems, e)
		}
		switch kind {
		case '~':
			return SetValue(elems...), rest, true
		case '%':
			return MapValue(elems...), rest, true
		}
		return ArrayValue(elems...), rest, true
	}
	return Value{}, s, false
}

// metaTips returns the row's tips for COMMAND INFO.
func (cmd *command) metaTips() (Value, bool) {
	return metaValue(cmd.name, func(m commandMetaRaw) string { return m.tips })
}

// metaSpecs returns the row's key specs for COMMAND INFO.
func (cmd *command) metaSpecs() (Value, bool) {
	return metaValue(cmd.name, func(m commandMetaRaw) string { return m.specs })
}

// metaDocs returns the row's COMMAND DOCS entry: the generated docs with
// the subcommands of the table.
func (cmd *command) metaDocs() (Value, bool) {
	v, ok := metaValue(cmd.name, func(m commandMetaRaw) string { return m.docs })
	if !ok {
		return Value{}, false
	}
	if len(cmd.subcommands) > 0 {
		var subs []Value
		for _, sub := range subcommandsOf(cmd) {
			subs = append(subs, BulkValue(sub.name), sub.docValue())
		}
		v.elems = append(v.elems, BulkValue("subcommands"), MapValue(subs...))
	}
	return v, true
}
