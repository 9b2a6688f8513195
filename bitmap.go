package embedis

import (
	"context"
	"strconv"
	"unsafe"

	"github.com/embedis/embedis/internal/bitops"
)

// Bitmaps.
//
// A bitmap is a string value read as a sequence of bits, bit 0 being the
// most significant bit of the first byte; SETBIT, BITFIELD and BITOP store
// plain strings, so GET, SETRANGE and the rest see the same bytes, and a
// bitmap may be as long as any string (512 MB, proto-max-bulk-len). The
// algorithms live in internal/bitops; this file parses arguments with
// Redis 7.0's checks and error texts, and stores the results.
//
// Strings are immutable Go strings, so every command that changes bits
// copies the value: SETBIT on a 100 MB bitmap copies 100 MB, where Redis
// flips the bit in place. Every such write goes through storeBits (and
// BITOP's through replaceBits), so a mutable string form needs changes
// there only.

// ---- typed methods ----

// SetBit sets or clears (value 1 or 0) the bit at offset of the string at
// key, growing it with zero bytes as needed, and returns the bit's old
// value (SETBIT). ErrBitOffset for an offset that is negative or beyond
// 512 MB of bits, ErrBitValue for a value other than 0 or 1.
func (d *DB) SetBit(ctx context.Context, key string, offset int64, value int) (int64, error) {
	return asInt(d.execArgs(ctx, "setbit", key, strconv.FormatInt(offset, 10), strconv.Itoa(value)))
}

// GetBit returns the bit at offset of the string at key, 0 beyond its end
// or when the key is missing (GETBIT).
func (d *DB) GetBit(ctx context.Context, key string, offset int64) (int64, error) {
	return asInt(d.execArgs(ctx, "getbit", key, strconv.FormatInt(offset, 10)))
}

// The units of BitCount.Unit and BitPosSpan's span.
const (
	// BitUnitByte counts start and end in bytes (the default).
	BitUnitByte = "BYTE"
	// BitUnitBit counts start and end in bits.
	BitUnitBit = "BIT"
)

// BitCount is a range of a string for DB.BitCount: Start and End inclusive,
// negative counting from the end (-1 is the last byte or bit).
type BitCount struct {
	// Start and End delimit the range.
	Start, End int64
	// Unit is BitUnitByte ("" means the same) or BitUnitBit.
	Unit string
}

// BitCount returns the number of set bits of the string at key (BITCOUNT),
// within r when r is not nil; 0 for a missing key.
func (d *DB) BitCount(ctx context.Context, key string, r *BitCount) (int64, error) {
	if r == nil {
		return asInt(d.execArgs(ctx, "bitcount", key))
	}
	args := []string{"bitcount", key, strconv.FormatInt(r.Start, 10), strconv.FormatInt(r.End, 10)}
	if r.Unit != "" {
		args = append(args, r.Unit)
	}
	return asInt(d.exec(ctx, args))
}

// BitPos returns the position of the first bit equal to bit (0 or 1) of
// the string at key (BITPOS), searching from byte pos[0] to byte pos[1]
// when given (negative counting from the end). It returns -1 when no bit
// is found, except that a search for a 0 without an end finds the first
// bit past the string (strings are zero padded). A missing key answers 0
// for bit 0 and -1 for bit 1. More than two positions are a syntax error.
func (d *DB) BitPos(ctx context.Context, key string, bit int64, pos ...int64) (int64, error) {
	args := []string{"bitpos", key, strconv.FormatInt(bit, 10)}
	for _, p := range pos {
		args = append(args, strconv.FormatInt(p, 10))
	}
	return asInt(d.exec(ctx, args))
}

// BitPosSpan is BitPos between start and end inclusive, counted in span
// units: BitUnitByte or BitUnitBit.
func (d *DB) BitPosSpan(ctx context.Context, key string, bit int8, start, end int64, span string) (int64, error) {
	return asInt(d.exec(ctx, []string{"bitpos", key, strconv.Itoa(int(bit)),
		strconv.FormatInt(start, 10), strconv.FormatInt(end, 10), span}))
}

// BitOperation is the operation of DB.BitOp.
type BitOperation string

// The BITOP operations.
const (
	BitAnd BitOperation = "AND"
	BitOr  BitOperation = "OR"
	BitXor BitOperation = "XOR"
	BitNot BitOperation = "NOT"
)

// BitOp stores op applied to the strings at keys into destKey and returns
// the result's length, that of the longest source (BITOP); shorter sources
// count as zero padded and missing keys as empty. When every source is
// empty destKey is deleted. BitNot takes exactly one key
// (ErrBitOpNotOneKey otherwise).
func (d *DB) BitOp(ctx context.Context, op BitOperation, destKey string, keys ...string) (int64, error) {
	args := make([]string, 0, len(keys)+3)
	args = append(args, "bitop", string(op), destKey)
	return asInt(d.exec(ctx, append(args, keys...)))
}

// BitOpAnd is BitOp with BitAnd.
func (d *DB) BitOpAnd(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return d.BitOp(ctx, BitAnd, destKey, keys...)
}

// BitOpOr is BitOp with BitOr.
func (d *DB) BitOpOr(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return d.BitOp(ctx, BitOr, destKey, keys...)
}

// BitOpXor is BitOp with BitXor.
func (d *DB) BitOpXor(ctx context.Context, destKey string, keys ...string) (int64, error) {
	return d.BitOp(ctx, BitXor, destKey, keys...)
}

// BitOpNot is BitOp with BitNot: the bitwise complement of key.
func (d *DB) BitOpNot(ctx context.Context, destKey, key string) (int64, error) {
	return d.BitOp(ctx, BitNot, destKey, key)
}

// BitFieldArgs lists the operations of one BITFIELD call, in order; build
// it with its methods, which append and return it:
//
//	var ops embedis.BitFieldArgs
//	ops.IncrBy("u8", 0, 10).Overflow(embedis.OverflowSat).IncrBy("u8", 8, 300)
//
// Types are "i1" to "i64" (signed) and "u1" to "u63" (unsigned); offsets
// are in bits. Redis's "#N" offsets (the Nth field of the type's width)
// are offset N times the width.
type BitFieldArgs struct {
	args []string
	// writes records whether an operation other than GET was added.
	writes bool
}

// The OVERFLOW behaviours of BitFieldArgs.Overflow.
const (
	// OverflowWrap wraps around (the default).
	OverflowWrap = "WRAP"
	// OverflowSat saturates at the type's minimum or maximum.
	OverflowSat = "SAT"
	// OverflowFail leaves the field unchanged; its result is nil.
	OverflowFail = "FAIL"
)

// Get reads the field of type typ at offset.
func (b *BitFieldArgs) Get(typ string, offset int64) *BitFieldArgs {
	b.args = append(b.args, "GET", typ, strconv.FormatInt(offset, 10))
	return b
}

// Set writes value to the field; its result is the old value.
func (b *BitFieldArgs) Set(typ string, offset, value int64) *BitFieldArgs {
	b.args = append(b.args, "SET", typ, strconv.FormatInt(offset, 10), strconv.FormatInt(value, 10))
	b.writes = true
	return b
}

// IncrBy adds incr to the field; its result is the new value.
func (b *BitFieldArgs) IncrBy(typ string, offset, incr int64) *BitFieldArgs {
	b.args = append(b.args, "INCRBY", typ, strconv.FormatInt(offset, 10), strconv.FormatInt(incr, 10))
	b.writes = true
	return b
}

// Overflow sets how the following Set and IncrBy operations handle
// overflow: OverflowWrap, OverflowSat or OverflowFail.
func (b *BitFieldArgs) Overflow(mode string) *BitFieldArgs {
	b.args = append(b.args, "OVERFLOW", mode)
	return b
}

// BitField runs the operations of ops on the string at key, creating or
// growing it as writes need (BITFIELD), and returns one result per Get,
// Set and IncrBy: nil where OverflowFail refused a write. Invalid types
// answer ErrBitFieldType, invalid offsets ErrBitOffset.
func (d *DB) BitField(ctx context.Context, key string, ops *BitFieldArgs) ([]*int64, error) {
	return asOptInts(d.exec(ctx, bitFieldArgs("bitfield", key, ops)))
}

// BitFieldRO runs the Get operations of ops (BITFIELD_RO, which replicas
// and read-only scripts accept); ops with a Set or IncrBy is refused with
// ErrBitFieldRO.
func (d *DB) BitFieldRO(ctx context.Context, key string, ops *BitFieldArgs) ([]int64, error) {
	vals, err := asOptInts(d.exec(ctx, bitFieldArgs("bitfield_ro", key, ops)))
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(vals))
	for i, v := range vals {
		if v != nil {
			out[i] = *v
		}
	}
	return out, nil
}

func bitFieldArgs(name, key string, ops *BitFieldArgs) []string {
	args := []string{name, key}
	if ops != nil {
		args = append(args, ops.args...)
	}
	return args
}

// asOptInts returns an array reply of integers and nils.
func asOptInts(v Value, err error) ([]*int64, error) {
	if err != nil {
		return nil, err
	}
	if v.kind == KindError {
		return nil, v.Err()
	}
	out := make([]*int64, len(v.elems))
	for i, e := range v.elems {
		if e.kind == KindInt {
			n := e.num
			out[i] = &n
		}
	}
	return out, nil
}

// ---- commands ----

func init() {
	w, r := []string{"write", "bitmap", "slow"}, []string{"read", "bitmap", "slow"}
	register(
		&command{name: "setbit", arity: 4, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: w, handler: cmdSetBit},
		&command{name: "getbit", arity: 3, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "bitmap", "fast"}, handler: cmdGetBit},
		&command{name: "bitcount", arity: -2, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: r, handler: cmdBitCount},
		&command{name: "bitpos", arity: -3, flags: flagReadonly, firstKey: 1, lastKey: 1, step: 1, acl: r, handler: cmdBitPos},
		&command{name: "bitop", arity: -4, flags: flagWrite | flagDenyOOM, firstKey: 2, lastKey: -1, step: 1, acl: w, handler: cmdBitOp},
		&command{name: "bitfield", arity: -2, flags: flagWrite | flagDenyOOM, firstKey: 1, lastKey: 1, step: 1, acl: w, handler: cmdBitField},
		&command{name: "bitfield_ro", arity: -2, flags: flagReadonly | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "bitmap", "fast"}, handler: cmdBitFieldRO},
	)
}

// Error replies of the bitmap commands.
var (
	errBitOffset = errValue(ErrBitOffset)
	errBitValue  = errValue(ErrBitValue)
)

// storeBits stores val as the new content of the string at key, whose live
// entry e came from lookupWrite (nil: the key is missing and is created),
// and raises ev. Bitmap and HLL writes store raw-encoded strings, as
// Redis's unshared copies are. This is the one place where these commands
// change a key (point 3 of the mutation path, mutate.go; lookupWrite and
// setString's put did point 1).
func (c *call) storeBits(key string, e *entry, val string, ev keyEvent) {
	if e == nil {
		c.setString(key, val, encRaw, false, ev)
		return
	}
	e.str, e.enc, e.obj, e.access = val, encRaw, nil, c.now
	c.changed(key, ev)
}

// replaceBits stores val at key as a new raw string, replacing whatever
// the key held and clearing its TTL (BITOP's destination).
func (c *call) replaceBits(key, val string) {
	c.setString(key, val, encRaw, false, evSet)
}

// The keyspace events of the bitmap and HLL commands (BITOP raises "set"
// or "del").
var (
	evSetBit = keyEvent{classString, "setbit"}
	evPFAdd  = keyEvent{classString, "pfadd"}
)

// ownedString returns b as a string without copying; b must not be
// modified afterwards. The buffers the bitmap and HLL commands build are
// theirs alone, so storing them this way saves a copy per write.
func ownedString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// bitLimit is the longest string bit offsets may address, in bytes:
// proto-max-bulk-len (512 MB unless CONFIG SET changed it).
func (c *call) bitLimit() int64 {
	if n := c.s.wire.maxBulk.Load(); n > 0 {
		return n
	}
	return stringLimit
}

// bitOffsetArg parses a bit offset as Redis's getBitOffsetFromArgument:
// with hash (BITFIELD), "#N" means N times bits.
func (c *call) bitOffsetArg(arg string, hash bool, bits int) (uint64, bool) {
	s := arg
	useHash := hash && bits > 0 && len(s) > 0 && s[0] == '#'
	if useHash {
		s = s[1:]
	}
	n, ok := parseInt(s)
	if !ok {
		return 0, false
	}
	if useHash {
		n *= int64(bits) // wraps as Redis's does; a wrapped negative is refused below
	}
	if n < 0 || n>>3 >= c.bitLimit() {
		return 0, false
	}
	return uint64(n), true
}

// writableBits returns a copy of the string at key (a write lookup) grown
// with zero bytes to hold bit maxBit, as Redis's lookupStringForBitCommand
// does; grown reports whether the key was created or lengthened. ok is
// false when the key holds another type.
func (c *call) writableBits(key string, maxBit uint64) (e *entry, b []byte, grown, ok bool) {
	e = c.lookupWrite(key)
	if e != nil && e.typ != typeString {
		return nil, nil, false, false
	}
	need := int(maxBit>>3) + 1
	var old string
	if e != nil {
		old = e.str
	}
	b = make([]byte, max(need, len(old)))
	copy(b, old)
	return e, b, e == nil || need > len(old), true
}

// cmdSetBit: the offset is checked, then the bit, then the key's type.
// A string is stored even when the bit does not change, as Redis unshares
// it (its encoding becomes raw); the change is announced only when the
// key was created or grown or the bit flipped.
func cmdSetBit(c *call) Value {
	off, ok := c.bitOffsetArg(c.args[2], false, 0)
	if !ok {
		return errBitOffset
	}
	on, ok := parseInt(c.args[3])
	if !ok || on&^1 != 0 {
		return errBitValue
	}
	key := c.args[1]
	e, b, grown, ok := c.writableBits(key, off)
	if !ok {
		return errWrongType
	}
	byteIdx, shift := off>>3, 7-off&7
	old := int64(b[byteIdx]>>shift) & 1
	if !grown && old == on {
		e.enc = encRaw
		return IntValue(old)
	}
	b[byteIdx] = b[byteIdx]&^(1<<shift) | byte(on)<<shift
	c.storeBits(key, e, ownedString(b), evSetBit)
	return IntValue(old)
}

func cmdGetBit(c *call) Value {
	off, ok := c.bitOffsetArg(c.args[2], false, 0)
	if !ok {
		return errBitOffset
	}
	s, _, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	if off>>3 >= uint64(len(s)) {
		return IntValue(0)
	}
	return IntValue(int64(s[off>>3]>>(7-off&7)) & 1)
}

// unitArg parses BITCOUNT's and BITPOS's BYTE|BIT argument.
func unitArg(arg string) (bitops.Unit, bool) {
	switch a := cstr(arg); {
	case eqFold(a, "bit"):
		return bitops.Bit, true
	case eqFold(a, "byte"):
		return bitops.Byte, true
	}
	return 0, false
}

// cmdBitCount follows Redis's order: the key (missing: 0, wrong type)
// before the range, the range's integers before the unit, and two negative
// indexes with start > end answering 0 before the unit is looked at.
func cmdBitCount(c *call) Value {
	s, found, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	if !found {
		return IntValue(0)
	}
	switch len(c.args) {
	case 2:
		return IntValue(bitops.Count(s))
	case 4, 5:
	default:
		return errSyntax
	}
	start, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	end, errv, ok := intArg(c.args[3])
	if !ok {
		return errv
	}
	if start < 0 && end < 0 && start > end {
		return IntValue(0)
	}
	unit := bitops.Byte
	if len(c.args) == 5 {
		if unit, ok = unitArg(c.args[4]); !ok {
			return errSyntax
		}
	}
	return IntValue(bitops.CountRange(s, start, end, unit))
}

// cmdBitPos: the bit argument is checked first, then the key (a missing
// key answers at once, whatever the range), then the range.
func cmdBitPos(c *call) Value {
	bit, errv, ok := intArg(c.args[2])
	if !ok {
		return errv
	}
	if bit != 0 && bit != 1 {
		return errValue(ErrBitPosBit)
	}
	s, found, errv, ok := c.getString(c.args[1])
	if !ok {
		return errv
	}
	if !found {
		return IntValue(-bit)
	}
	start, end := int64(0), int64(-1)
	endGiven := false
	unit := bitops.Byte
	switch len(c.args) {
	case 3:
	case 4, 5, 6:
		if start, errv, ok = intArg(c.args[3]); !ok {
			return errv
		}
		if len(c.args) == 6 {
			if unit, ok = unitArg(c.args[5]); !ok {
				return errSyntax
			}
		}
		if len(c.args) >= 5 {
			if end, errv, ok = intArg(c.args[4]); !ok {
				return errv
			}
			endGiven = true
		}
	default:
		return errSyntax
	}
	return IntValue(bitops.PosRange(s, int(bit), start, end, endGiven, unit))
}

// cmdBitOp reads every source (a read lookup each; the first key of
// another type answers WRONGTYPE) and stores the result, or deletes the
// destination when every source is empty.
func cmdBitOp(c *call) Value {
	var op bitops.Operation
	switch name := cstr(c.args[1]); {
	case eqFold(name, "and"):
		op = bitops.And
	case eqFold(name, "or"):
		op = bitops.Or
	case eqFold(name, "xor"):
		op = bitops.Xor
	case eqFold(name, "not"):
		op = bitops.Not
	default:
		return errSyntax
	}
	if op == bitops.Not && len(c.args) != 4 {
		return errValue(ErrBitOpNotOneKey)
	}
	srcs := make([]string, len(c.args)-3)
	for i, key := range c.args[3:] {
		s, _, errv, ok := c.getString(key)
		if !ok {
			return errv
		}
		srcs[i] = s
	}
	res := bitops.Op(op, srcs)
	dest := c.args[2]
	if len(res) == 0 {
		c.del(dest)
		return IntValue(0)
	}
	c.replaceBits(dest, ownedString(res))
	return IntValue(int64(len(res)))
}

// bitFieldOp is one parsed BITFIELD operation.
type bitFieldOp struct {
	offset uint64
	value  int64 // SET's value or INCRBY's increment
	kind   byte  // 'g', 's' or 'i'
	ow     bitops.Overflow
	bits   uint
	signed bool
}

// bitFieldType parses a type as Redis's getBitfieldTypeFromArgument: i1
// to i64, u1 to u63 (the width read as a C string).
func bitFieldType(arg string) (signed bool, bits int, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		return false, 0, false
	}
	signed = arg[0] == 'i'
	n, ok := parseInt(cstr(arg[1:]))
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		return false, 0, false
	}
	return signed, int(n), true
}

func cmdBitField(c *call) Value   { return c.bitField(false) }
func cmdBitFieldRO(c *call) Value { return c.bitField(true) }

// bitField runs BITFIELD and BITFIELD_RO: every operation is parsed
// (the first bad one answers its error) before the key is looked at.
func (c *call) bitField(readOnly bool) Value {
	var ops []bitFieldOp
	ow := bitops.Wrap
	writes := false
	var highest uint64
	args := c.args
	for j := 2; j < len(args); j++ {
		rem := len(args) - j - 1
		sub := cstr(args[j])
		var op bitFieldOp
		switch {
		case eqFold(sub, "get") && rem >= 2:
			op.kind = 'g'
		case eqFold(sub, "set") && rem >= 3:
			op.kind = 's'
		case eqFold(sub, "incrby") && rem >= 3:
			op.kind = 'i'
		case eqFold(sub, "overflow") && rem >= 1:
			j++
			switch mode := cstr(args[j]); {
			case eqFold(mode, "wrap"):
				ow = bitops.Wrap
			case eqFold(mode, "sat"):
				ow = bitops.Sat
			case eqFold(mode, "fail"):
				ow = bitops.Fail
			default:
				return errValue(ErrBitFieldOverflow)
			}
			continue
		default:
			return errSyntax
		}
		signed, bits, ok := bitFieldType(args[j+1])
		if !ok {
			return errValue(ErrBitFieldType)
		}
		off, ok := c.bitOffsetArg(args[j+2], true, bits)
		if !ok {
			return errBitOffset
		}
		if op.kind != 'g' {
			writes = true
			highest = max(highest, off+uint64(bits)-1)
			v, errv, ok := intArg(args[j+3])
			if !ok {
				return errv
			}
			op.value = v
			j++
		}
		op.offset, op.ow, op.bits, op.signed = off, ow, uint(bits), signed
		ops = append(ops, op)
		j += 2
	}

	key := args[1]
	var e *entry
	var b []byte
	grown := false
	if !writes {
		s, _, errv, ok := c.getString(key)
		if !ok {
			return errv
		}
		b = unsafe.Slice(unsafe.StringData(s), len(s)) // read only
	} else {
		if readOnly {
			return errValue(ErrBitFieldRO)
		}
		var ok bool
		if e, b, grown, ok = c.writableBits(key, highest); !ok {
			return errWrongType
		}
	}

	out := make([]Value, len(ops))
	changes := 0
	for i, op := range ops {
		if op.kind == 'g' {
			if op.signed {
				out[i] = IntValue(bitops.GetSigned(b, op.offset, op.bits))
			} else {
				out[i] = IntValue(int64(bitops.GetUnsigned(b, op.offset, op.bits)))
			}
			continue
		}
		var oldV, newV, ret int64
		var over int
		if op.signed {
			oldV = bitops.GetSigned(b, op.offset, op.bits)
			if op.kind == 'i' {
				var wrapped int64
				wrapped, over = bitops.CheckSigned(oldV, op.value, op.bits, op.ow)
				newV = oldV + op.value
				if over != 0 {
					newV = wrapped
				}
				ret = newV
			} else {
				var wrapped int64
				newV = op.value
				if wrapped, over = bitops.CheckSigned(newV, 0, op.bits, op.ow); over != 0 {
					newV = wrapped
				}
				ret = oldV
			}
		} else {
			u := bitops.GetUnsigned(b, op.offset, op.bits)
			oldV = int64(u)
			var nv, wrapped uint64
			if op.kind == 'i' {
				nv = u + uint64(op.value)
				if wrapped, over = bitops.CheckUnsigned(u, op.value, op.bits, op.ow); over != 0 {
					nv = wrapped
				}
				ret = int64(nv)
			} else {
				nv = uint64(op.value)
				if wrapped, over = bitops.CheckUnsigned(nv, 0, op.bits, op.ow); over != 0 {
					nv = wrapped
				}
				ret = oldV
			}
			newV = int64(nv)
		}
		if over != 0 && op.ow == bitops.Fail {
			out[i] = nullValue
			continue
		}
		out[i] = IntValue(ret)
		bitops.SetUnsigned(b, op.offset, op.bits, uint64(newV))
		if grown || oldV != newV {
			changes++
		}
	}
	if writes {
		if grown || changes > 0 {
			c.storeBits(key, e, ownedString(b), evSetBit)
		} else {
			e.enc = encRaw
		}
	}
	return ArrayValue(out...)
}

// Bitmap errors.
var (
	// ErrBitOffset: a bit offset (SETBIT, GETBIT, BITFIELD) that is not an
	// integer, is negative, or lies beyond proto-max-bulk-len bytes.
	ErrBitOffset = newError("ERR bit offset is not an integer or out of range")
	// ErrBitValue: SETBIT with a value other than 0 or 1.
	ErrBitValue = newError("ERR bit is not an integer or out of range")
	// ErrBitPosBit: BITPOS looking for a bit other than 0 or 1.
	ErrBitPosBit = newError("ERR The bit argument must be 1 or 0.")
	// ErrBitOpNotOneKey: BITOP NOT with other than one source key.
	ErrBitOpNotOneKey = newError("ERR BITOP NOT must be called with a single source key.")
	// ErrBitFieldType: a BITFIELD type other than i1..i64 or u1..u63.
	ErrBitFieldType = newError("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
	// ErrBitFieldOverflow: BITFIELD OVERFLOW with a mode other than WRAP,
	// SAT or FAIL.
	ErrBitFieldOverflow = newError("ERR Invalid OVERFLOW type specified")
	// ErrBitFieldRO: BITFIELD_RO with SET or INCRBY.
	ErrBitFieldRO = newError("ERR BITFIELD_RO only supports the GET subcommand")
)
