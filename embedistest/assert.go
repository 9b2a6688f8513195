package embedistest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/embedis/embedis"
	"github.com/stretchr/testify/assert"
)

// Doer runs a command and returns its reply. *embedis.Store, *embedis.DB
// (for a database other than 0) and *Server have it, so the assertions
// work on any of them.
type Doer interface {
	Do(ctx context.Context, args ...any) (embedis.Value, error)
}

// The assertions below read a key with the commands a client would use
// and compare with testify, so a failure prints the key, what was expected
// and what was there (with a diff for collections). Each reports whether
// it held, like testify's assert functions, and lets the test go on; wrap
// in require-style checks with `if !AssertX(...) { t.FailNow() }`.

// do runs a command for an assertion; a failed call or an error reply
// fails the assertion.
func do(t assert.TestingT, d Doer, args ...any) (embedis.Value, bool) {
	v, err := d.Do(context.Background(), args...)
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		assert.Fail(t, fmt.Sprintf("embedistest: %v: %v", args, err))
		return v, false
	}
	return v, true
}

func helper(t assert.TestingT) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
}

// AssertExists asserts that key exists.
func AssertExists(t assert.TestingT, d Doer, key string) bool {
	helper(t)
	v, ok := do(t, d, "EXISTS", key)
	return ok && assert.Equal(t, int64(1), v.Int(), "key %q does not exist", key)
}

// AssertNotExists asserts that key does not exist (or has expired).
func AssertNotExists(t assert.TestingT, d Doer, key string) bool {
	helper(t)
	v, ok := do(t, d, "EXISTS", key)
	return ok && assert.Equal(t, int64(0), v.Int(), "key %q exists", key)
}

// AssertType asserts the type of key as TYPE names it: "string", "list",
// "set", "zset", "hash", "stream", or "none" for a missing key.
func AssertType(t assert.TestingT, d Doer, key, want string) bool {
	helper(t)
	v, ok := do(t, d, "TYPE", key)
	return ok && assert.Equal(t, want, v.Str(), "TYPE %q", key)
}

// AssertString asserts that key holds the string want.
func AssertString(t assert.TestingT, d Doer, key, want string) bool {
	helper(t)
	if !AssertType(t, d, key, "string") {
		return false
	}
	v, ok := do(t, d, "GET", key)
	return ok && assert.Equal(t, want, v.Str(), "value of %q", key)
}

// AssertList asserts that key holds a list with exactly want, in order.
func AssertList(t assert.TestingT, d Doer, key string, want []string) bool {
	helper(t)
	if !AssertType(t, d, key, "list") {
		return false
	}
	v, ok := do(t, d, "LRANGE", key, 0, -1)
	return ok && assert.Equal(t, want, strs(v), "list %q", key)
}

// AssertSet asserts that key holds a set with exactly the members of want,
// in any order.
func AssertSet(t assert.TestingT, d Doer, key string, want []string) bool {
	helper(t)
	if !AssertType(t, d, key, "set") {
		return false
	}
	v, ok := do(t, d, "SMEMBERS", key)
	if !ok {
		return false
	}
	got := strs(v)
	sort.Strings(got)
	w := append([]string(nil), want...)
	sort.Strings(w)
	return assert.Equal(t, w, got, "set %q (members sorted)", key)
}

// AssertHash asserts that key holds a hash with exactly the fields and
// values of want.
func AssertHash(t assert.TestingT, d Doer, key string, want map[string]string) bool {
	helper(t)
	if !AssertType(t, d, key, "hash") {
		return false
	}
	v, ok := do(t, d, "HGETALL", key)
	if !ok {
		return false
	}
	kv := strs(v)
	got := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		got[kv[i]] = kv[i+1]
	}
	return assert.Equal(t, want, got, "hash %q", key)
}

// Z is a sorted-set member and its score, for AssertZSet.
type Z struct {
	Member string
	Score  float64
}

// AssertZSet asserts that key holds a sorted set with exactly want, in
// rank order (ascending score, then member).
func AssertZSet(t assert.TestingT, d Doer, key string, want []Z) bool {
	helper(t)
	if !AssertType(t, d, key, "zset") {
		return false
	}
	v, ok := do(t, d, "ZRANGE", key, 0, -1, "WITHSCORES")
	if !ok {
		return false
	}
	var got []Z
	es := v.Elems()
	if len(es) > 0 && es[0].Kind() == embedis.KindArray { // RESP3: [member, score] pairs
		for _, p := range es {
			got = append(got, Z{p.Elems()[0].Str(), score(p.Elems()[1])})
		}
	} else {
		for i := 0; i+1 < len(es); i += 2 {
			got = append(got, Z{es[i].Str(), score(es[i+1])})
		}
	}
	if want == nil {
		want = []Z{}
	}
	if got == nil {
		got = []Z{}
	}
	return assert.Equal(t, want, got, "sorted set %q", key)
}

// AssertTTL asserts that key exists with a time to live between min and
// max (inclusive), read with PTTL. With a running clock the TTL shrinks as
// the test runs: give a range, or Freeze the clock for an exact value.
func AssertTTL(t assert.TestingT, d Doer, key string, min, max time.Duration) bool {
	helper(t)
	v, ok := do(t, d, "PTTL", key)
	if !ok {
		return false
	}
	switch ms := v.Int(); ms {
	case -2:
		return assert.Fail(t, fmt.Sprintf("key %q does not exist; want a TTL between %v and %v", key, min, max))
	case -1:
		return assert.Fail(t, fmt.Sprintf("key %q has no TTL; want one between %v and %v", key, min, max))
	default:
		got := time.Duration(ms) * time.Millisecond
		if got < min || got > max {
			return assert.Fail(t, fmt.Sprintf("TTL of %q is %v; want between %v and %v", key, got, min, max))
		}
	}
	return true
}

// strs returns the elements of an array (or map, or set) reply as strings.
func strs(v embedis.Value) []string {
	out := make([]string, 0, v.Len())
	for _, e := range v.Elems() {
		out = append(out, e.Str())
	}
	return out
}

// score reads a score reply: a double (RESP3) or its text (RESP2).
func score(v embedis.Value) float64 {
	if v.Kind() == embedis.KindDouble {
		return v.Float()
	}
	f, _ := strconv.ParseFloat(v.Str(), 64)
	return f
}
