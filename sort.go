package embedis

import (
	"context"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// SORT and SORT_RO.
//
// SORT reads a list, a set or a sorted set, orders its elements (as numbers,
// or as strings with ALPHA), by the elements themselves or by the values of
// other keys (BY pattern), optionally maps each to other keys' values (GET),
// and either replies or stores the result as a list (STORE). It follows
// Redis 7.0's sort.c step by step, because its corner cases are part of
// the contract: which inputs count as numbers (C's strtod, not Go's
// ParseFloat), how LIMIT is clamped, when "BY nosort" keeps the native
// order, and which comparison breaks ties.
//
// Sets and sorted sets live in other files; SORT reads them through the
// sortSource interface, and hash fields (BY/GET "key_*->field") through
// sortHashSource, so those types only need to implement one method each.

// sortSource is how SORT reads the elements of a set or a sorted set.
//
// Hook: the set type (typeSet) and the sorted-set type (typeZSet) must
// implement it. Until they do, SORT of such a key replies with
// errSortUnsupported.
type sortSource interface {
	// sortElements returns every member once, in the value's own order:
	// iteration order for a set; ascending (score, member) order for a
	// sorted set, which "SORT ... BY nosort" returns as is (reversed with
	// DESC).
	sortElements() []string
}

// sortHashSource is how SORT's BY and GET patterns read a hash field
// ("weight_*->field").
//
// Hook: the hash type (typeHash) must implement it. Until it does, a hash
// field pattern finds nothing (as for a missing field).
type sortHashSource interface {
	// sortHashField returns the value of field, ok false when the hash has
	// no such field.
	sortHashField(field string) (value string, ok bool)
}

// sortInScript reports whether the current command runs inside a Lua
// script: there, as with STORE, "SORT set BY nosort" sorts the set
// alphabetically so that the result does not depend on the set's internal
// order.
func sortInScript(c *call) bool { return c.inScript() }

// errSortUnsupported is the reply for a set or sorted set whose type does
// not implement sortSource yet (an embedis gap, not a Redis error).
var errSortUnsupported = ErrorValue("ERR SORT is not supported for this value type yet")

// ---- typed methods ----

// SortOptions are the options of Sort, SortRO and SortStore. The zero value
// sorts the elements themselves as numbers, ascending, all of them.
type SortOptions struct {
	// By sorts by the values of other keys instead of the elements: the
	// first '*' of the pattern is replaced by each element ("weight_*"),
	// and "weight_*->field" reads a field of a hash. A missing key or
	// field sorts as 0 (or first, with Alpha). A pattern without '*'
	// (conventionally "nosort") skips sorting and keeps the list's or
	// sorted set's own order. Empty: sort by the elements (SORT ... BY).
	By string
	// Offset and Count select a window of the sorted result (LIMIT offset
	// count). Count 0 means no limit, a negative Count all elements from
	// Offset; LIMIT is sent only when one of them is not zero.
	Offset, Count int64
	// Get returns, for each element, the values of these patterns instead
	// of the element (SORT ... GET), in this order; "#" is the element
	// itself. Missing values are returned as "" by Sort and stored as "".
	Get []string
	// Desc sorts in descending order (DESC).
	Desc bool
	// Alpha sorts lexicographically instead of numerically (ALPHA).
	// Without it, every element (or By value) must be a number, or the
	// call fails with ErrSortNotDouble.
	Alpha bool
}

func (o SortOptions) args(cmd, key string) []string {
	args := []string{cmd, key}
	if o.By != "" {
		args = append(args, "by", o.By)
	}
	if o.Offset != 0 || o.Count != 0 {
		count := o.Count
		if count == 0 {
			count = -1
		}
		args = append(args, "limit", strconv.FormatInt(o.Offset, 10), strconv.FormatInt(count, 10))
	}
	for _, g := range o.Get {
		args = append(args, "get", g)
	}
	if o.Desc {
		args = append(args, "desc")
	}
	if o.Alpha {
		args = append(args, "alpha")
	}
	return args
}

// Sort returns the elements of the list, set or sorted set at key, sorted
// as opts says (SORT). A missing key gives an empty slice; ErrWrongType for
// other types. With opts.Get, the result has len(opts.Get) values per
// element, "" where a value is missing.
func (d *DB) Sort(ctx context.Context, key string, opts SortOptions) ([]string, error) {
	return asStrings(d.exec(ctx, opts.args("sort", key)))
}

// SortRO is Sort as a read-only command (SORT_RO), which scripts and
// read-only replicas accept.
func (d *DB) SortRO(ctx context.Context, key string, opts SortOptions) ([]string, error) {
	return asStrings(d.exec(ctx, opts.args("sort_ro", key)))
}

// SortStore sorts like Sort and stores the result as a list at dst
// (SORT ... STORE dst), replacing any value and TTL there, and returns the
// number of elements stored. An empty result deletes dst.
func (d *DB) SortStore(ctx context.Context, key, dst string, opts SortOptions) (int64, error) {
	return asInt(d.exec(ctx, append(opts.args("sort", key), "store", dst)))
}

// ---- commands ----

func init() {
	register(
		&command{name: "sort", arity: -2, flags: flagWrite | flagDenyOOM | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: []string{"write", "set", "sortedset", "list", "slow", "dangerous"}, handler: cmdSort},
		&command{name: "sort_ro", arity: -2, flags: flagReadonly | flagMovableKeys, firstKey: 1, lastKey: 1, step: 1, acl: []string{"read", "set", "sortedset", "list", "slow", "dangerous"}, handler: cmdSortRO},
	)
}

func cmdSort(c *call) Value   { return c.sortGeneric(false) }
func cmdSortRO(c *call) Value { return c.sortGeneric(true) }

// sortKeys returns the argument positions of the keys of a SORT call: the
// sorted key and the last STORE destination, as Redis's sortGetKeys finds
// them (for COMMAND GETKEYS and key extraction). BY and GET patterns name
// keys too, but only at run time, as in Redis.
func sortKeys(args []string) []int {
	pos := []int{1}
	store := 0
	for i := 2; i < len(args); i++ {
		switch {
		case eqFold(args[i], "limit"):
			i += 2
		case eqFold(args[i], "get"), eqFold(args[i], "by"):
			i++
		case eqFold(args[i], "store") && i+1 < len(args):
			store = i + 1
		}
	}
	if store != 0 {
		pos = append(pos, store)
	}
	return pos
}

// sortItem is one element being sorted with its sort key.
type sortItem struct {
	elem string
	// score is the numeric sort key (0 when the BY key is missing).
	score float64
	// cmp is the ALPHA sort key read through a BY pattern; hasCmp is false
	// when the BY key is missing, which sorts first.
	cmp    string
	hasCmp bool
}

// cString returns s up to its first NUL byte: the part of a pattern or
// value that Redis's C string functions (strchr, strstr, strcoll, strtod)
// see.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func (c *call) sortGeneric(readonly bool) Value {
	var (
		desc, alpha, dontsort bool
		by                    string
		hasBy                 bool
		limitStart            int64 = 0
		limitCount            int64 = -1
		gets                  []string
		store                 string
		hasStore              bool
	)
	args := c.args
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case eqFold(a, "asc"):
			desc = false
		case eqFold(a, "desc"):
			desc = true
		case eqFold(a, "alpha"):
			alpha = true
		case eqFold(a, "limit") && left >= 2:
			s, ok1 := parseInt(args[j+1])
			n, ok2 := parseInt(args[j+2])
			if !ok1 || !ok2 {
				return errNotInteger
			}
			limitStart, limitCount = s, n
			j += 2
		case eqFold(a, "store") && left >= 1 && !readonly:
			store, hasStore = args[j+1], true
			j++
		case eqFold(a, "by") && left >= 1:
			by, hasBy = args[j+1], true
			// A pattern without '*' means "do not sort" (BY nosort); once
			// seen it stays in force even if a later BY has a '*', as in
			// Redis.
			if !strings.Contains(cString(by), "*") {
				dontsort = true
			}
			j++
		case eqFold(a, "get") && left >= 1:
			gets = append(gets, args[j+1])
			j++
		default:
			return errSyntax
		}
	}

	// The value to sort: a list, set or sorted set; a missing key sorts
	// as an empty list.
	// A read lookup with STORE too, as Redis 7.0 (keymiss).
	e := c.lookupRead(args[1])
	typ := typeList
	var elems []string // for sets and sorted sets
	var l *list        // for lists
	if e != nil {
		typ = e.typ
		switch e.typ {
		case typeList:
			l = e.obj.(*list)
		case typeSet, typeZSet:
			src, ok := e.obj.(sortSource)
			if !ok {
				return errSortUnsupported
			}
			elems = src.sortElements()
		default:
			return errWrongType
		}
	}
	if l == nil && typ == typeList {
		l = &list{}
	}

	// A set has no order of its own: when its order would become visible
	// (stored, or inside a script) "BY nosort" sorts alphabetically.
	if dontsort && typ == typeSet && (hasStore || sortInScript(c)) {
		dontsort, alpha, hasBy = false, true, false
	}

	n := int64(len(elems))
	if typ == typeList {
		n = int64(l.len())
	}

	// LIMIT sanity, with Redis 7.0's clamping (which also prevents
	// start+count from overflowing).
	start := min(max(limitStart, 0), n)
	count := min(max(limitCount, -1), n)
	end := n - 1
	if count >= 0 {
		end = start + count - 1
	}
	if start >= n {
		start, end = n-1, n-2
	}
	if end >= n {
		end = n - 1
	}

	// Load the items. With nothing to sort, a list or sorted set gives
	// just the requested window, in its own order (reversed with DESC).
	var items []sortItem
	switch {
	case dontsort && typ != typeSet:
		if end >= start {
			items = make([]sortItem, 0, end-start+1)
			total := int(n)
			for i := start; i <= end; i++ {
				idx := int(i)
				if desc {
					idx = total - 1 - idx
				}
				var v string
				if typ == typeList {
					v = l.d.At(idx)
				} else {
					v = elems[idx]
				}
				items = append(items, sortItem{elem: v})
			}
		}
		end -= start
		start = 0
	default:
		items = make([]sortItem, 0, n)
		if typ == typeList {
			l.d.Range(0, l.len(), false, func(_ int, v string) bool {
				items = append(items, sortItem{elem: v})
				return true
			})
		} else {
			for _, v := range elems {
				items = append(items, sortItem{elem: v})
			}
		}
	}

	// Compute the sort keys and sort.
	convErr := false
	if !dontsort {
		for i := range items {
			it := &items[i]
			byval := it.elem
			if hasBy {
				v, ok := c.sortLookup(by, it.elem)
				if !ok {
					continue
				}
				byval = v
			}
			if alpha {
				if hasBy {
					it.cmp, it.hasCmp = byval, true
				}
			} else {
				f, ok := strtodRedis(byval)
				if !ok {
					convErr = true
				}
				it.score = f
			}
		}
		cmp := sortComparer(alpha, hasBy, hasStore)
		slices.SortStableFunc(items, func(a, b sortItem) int {
			r := cmp(&a, &b)
			if desc {
				return -r
			}
			return r
		})
	}

	if convErr {
		return errSortNotDouble
	}
	window := items
	if end >= start {
		window = items[start : end+1]
	} else {
		window = nil
	}
	if !hasStore {
		out := make([]Value, 0, len(window)*max(len(gets), 1))
		for _, it := range window {
			if len(gets) == 0 {
				out = append(out, BulkValue(it.elem))
			}
			for _, g := range gets {
				if v, ok := c.sortLookup(g, it.elem); ok {
					out = append(out, BulkValue(v))
				} else {
					out = append(out, nullValue)
				}
			}
		}
		return ArrayValue(out...)
	}
	dst := &list{}
	for _, it := range window {
		if len(gets) == 0 {
			dst.d.PushBack(it.elem)
		}
		for _, g := range gets {
			v, _ := c.sortLookup(g, it.elem)
			dst.d.PushBack(v)
		}
	}
	if dst.len() > 0 {
		c.setObject(store, typeList, dst, evSortSt)
	} else if c.lookup(store) != nil {
		c.del(store)
	}
	return IntValue(int64(dst.len()))
}

// sortComparer returns Redis's sortCompare for the mode (ascending; the
// caller negates for DESC).
func sortComparer(alpha, byPattern, store bool) func(a, b *sortItem) int {
	// Redis compares with strcoll when replying (a C string comparison in
	// the C locale, which stops at a NUL byte) and byte-wise when storing.
	strcmp := func(x, y string) int { return strings.Compare(cString(x), cString(y)) }
	if store {
		strcmp = strings.Compare
	}
	switch {
	case !alpha:
		return func(a, b *sortItem) int {
			switch {
			case a.score > b.score:
				return 1
			case a.score < b.score:
				return -1
			}
			// Equal scores: the elements decide, byte-wise, so the
			// result is deterministic.
			return strings.Compare(a.elem, b.elem)
		}
	case byPattern:
		return func(a, b *sortItem) int {
			switch {
			case !a.hasCmp && !b.hasCmp:
				return 0
			case !a.hasCmp:
				return -1
			case !b.hasCmp:
				return 1
			}
			return strcmp(a.cmp, b.cmp)
		}
	default:
		return func(a, b *sortItem) int { return strcmp(a.elem, b.elem) }
	}
}

// sortLookup resolves a BY or GET pattern for one element, as Redis's
// lookupKeyByPattern: "#" is the element itself; otherwise the first '*'
// is replaced by the element to name a key, whose string value is the
// result, or, with "->field" after the '*', the field of the hash at that
// key. A pattern without '*', a missing key or field, or a key of another
// type finds nothing.
func (c *call) sortLookup(pattern, elem string) (string, bool) {
	cpat := cString(pattern)
	if cpat == "#" {
		return elem, true
	}
	star := strings.IndexByte(cpat, '*')
	if star < 0 {
		return "", false
	}
	keyEnd, field, hasField := len(pattern), "", false
	if f := strings.Index(cpat[star+1:], "->"); f >= 0 {
		f += star + 1
		if f+2 < len(cpat) {
			keyEnd, field, hasField = f, pattern[f+2:], true
		}
	}
	key := pattern[:star] + elem + pattern[star+1:keyEnd]
	e := c.lookupRead(key)
	if e == nil {
		return "", false
	}
	if hasField {
		if e.typ != typeHash {
			return "", false
		}
		h, ok := e.obj.(sortHashSource)
		if !ok {
			return "", false
		}
		return h.sortHashField(field)
	}
	if e.typ != typeString {
		return "", false
	}
	return e.str, true
}

// strtodRedis converts a sort key to a number the way Redis 7.0's SORT
// does, with C's strtod: leading white space is skipped, decimal and
// hexadecimal ("0x1.8p1", "0x10") forms and inf/infinity are accepted, the
// whole string (up to a NUL byte) must be consumed, and NaN and results
// that overflow or underflow (ERANGE) are rejected. The empty string is 0.
func strtodRedis(s string) (float64, bool) {
	s = cString(s)
	if s == "" {
		return 0, true
	}
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	t := s[i:]
	body, neg := t, false
	if body != "" && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch lower := strings.ToLower(body); lower {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	hex := len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	var ok bool
	if hex {
		ok = scanNumber(body[2:], true)
	} else {
		ok = scanNumber(body, false)
	}
	if !ok {
		return 0, false
	}
	text := t
	if hex && !strings.ContainsAny(body, "pP") {
		text += "p0"
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		// Overflow (ERANGE).
		return 0, false
	}
	if f != 0 && math.Abs(f) >= 0x1p-1022 {
		return f, true
	}
	// Zero or subnormal: glibc's strtod reports ERANGE when the result
	// underflowed, that is when it is not exact.
	return f, exactFloat(text, hex, f)
}

// scanNumber reports whether s is a complete strtod mantissa with an
// optional exponent: digits with at most one '.', at least one digit, then
// e[+-]digits (p[+-]digits for hex).
func scanNumber(s string, hex bool) bool {
	isDigit := func(b byte) bool {
		if hex {
			return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
		}
		return '0' <= b && b <= '9'
	}
	i, digits, dot := 0, 0, false
	for ; i < len(s); i++ {
		switch {
		case isDigit(s[i]):
			digits++
			continue
		case s[i] == '.' && !dot:
			dot = true
			continue
		}
		break
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	exp := byte('e')
	if hex {
		exp = 'p'
	}
	if s[i]|0x20 != exp {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// exactFloat reports whether f is exactly the value written in text (a
// number scanNumber accepted), for the tiny results where strtod's
// underflow matters.
func exactFloat(text string, hex bool, f float64) bool {
	if f == 0 {
		// Zero is exact only for a zero mantissa; checking the digits
		// also avoids expanding a huge negative exponent below.
		m := text
		if hex {
			m = m[strings.IndexAny(m, "xX")+1:]
		}
		if i := strings.IndexAny(m, "eEpP"); i >= 0 {
			m = m[:i]
		}
		return strings.Trim(m, "+-0.") == ""
	}
	if hex {
		want, _, err := big.ParseFloat(text, 0, uint(4*len(text)+64), big.ToNearestEven)
		return err == nil && big.NewFloat(f).Cmp(want) == 0
	}
	r, ok := new(big.Rat).SetString(text)
	return ok && new(big.Rat).SetFloat64(f).Cmp(r) == 0
}
