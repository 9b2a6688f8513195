package embedis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var bg = context.Background()

// bulks is an array reply of bulk strings.
func bulks(ss ...string) Value { return bulkStrings(ss) }

// expectIn is expect on another database's handle.
func (ts *testStore) expectIn(n int, want Value, args ...any) {
	ts.t.Helper()
	got, err := ts.Database(n).Do(bg, args...)
	if err != nil {
		ts.t.Fatalf("db %d Do%v: %v", n, args, err)
	}
	if !valuesEqual(got, want) {
		ts.t.Errorf("db %d %v:\n got  %s (%s)\n want %s (%s)", n, args, got, got.Kind(), want, want.Kind())
	}
}

// sortedStrings returns the elements of an array reply, sorted.
func sortedStrings(t *testing.T, v Value) []string {
	t.Helper()
	ss, err := asStrings(v, nil)
	if err != nil {
		t.Fatalf("not an array: %s", v)
	}
	sort.Strings(ss)
	return ss
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestKeyCommandRows checks each row against Redis 7.0.15's COMMAND INFO.
func TestKeyCommandRows(t *testing.T) {
	type row struct {
		name              string
		arity             int
		flags             cmdFlags
		first, last, step int
		acl               []string
	}
	ro, w, f := flagReadonly, flagWrite, flagFast
	for _, r := range []row{
		{"del", -2, w, 1, -1, 1, []string{"keyspace", "write", "slow"}},
		{"unlink", -2, w | f, 1, -1, 1, []string{"keyspace", "write", "fast"}},
		{"exists", -2, ro | f, 1, -1, 1, []string{"keyspace", "read", "fast"}},
		{"touch", -2, ro | f, 1, -1, 1, []string{"keyspace", "read", "fast"}},
		{"type", 2, ro | f, 1, 1, 1, []string{"keyspace", "read", "fast"}},
		{"expire", -3, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"pexpire", -3, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"expireat", -3, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"pexpireat", -3, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"persist", 2, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"ttl", 2, ro | f, 1, 1, 1, []string{"keyspace", "read", "fast"}},
		{"pttl", 2, ro | f, 1, 1, 1, []string{"keyspace", "read", "fast"}},
		{"expiretime", 2, ro | f, 1, 1, 1, []string{"keyspace", "read", "fast"}},
		{"pexpiretime", 2, ro | f, 1, 1, 1, []string{"keyspace", "read", "fast"}},
		{"rename", 3, w, 1, 2, 1, []string{"keyspace", "write", "slow"}},
		{"renamenx", 3, w | f, 1, 2, 1, []string{"keyspace", "write", "fast"}},
		{"copy", -3, w | flagDenyOOM, 1, 2, 1, []string{"keyspace", "write", "slow"}},
		{"move", 3, w | f, 1, 1, 1, []string{"keyspace", "write", "fast"}},
		{"randomkey", 1, ro, 0, 0, 0, []string{"keyspace", "read", "slow"}},
		{"keys", 2, ro, 0, 0, 0, []string{"keyspace", "read", "slow", "dangerous"}},
		{"scan", -2, ro, 0, 0, 0, []string{"keyspace", "read", "slow"}},
		{"object", -2, 0, 0, 0, 0, []string{"slow"}},
		{"object|encoding", 3, ro, 2, 2, 1, []string{"keyspace", "read", "slow"}},
		{"object|freq", 3, ro, 2, 2, 1, []string{"keyspace", "read", "slow"}},
		{"object|idletime", 3, ro, 2, 2, 1, []string{"keyspace", "read", "slow"}},
		{"object|refcount", 3, ro, 2, 2, 1, []string{"keyspace", "read", "slow"}},
		{"object|help", 2, flagLoading | flagStale, 0, 0, 0, []string{"keyspace", "slow"}},
		{"dbsize", 1, ro | f, 0, 0, 0, []string{"keyspace", "read", "fast"}},
		{"flushdb", -1, w, 0, 0, 0, []string{"keyspace", "write", "slow", "dangerous"}},
		{"flushall", -1, w, 0, 0, 0, []string{"keyspace", "write", "slow", "dangerous"}},
		{"swapdb", 3, w | f, 0, 0, 0, []string{"keyspace", "write", "fast", "dangerous"}},
		{"time", 1, flagLoading | flagStale | f, 0, 0, 0, []string{"fast"}},
	} {
		args := []string{r.name}
		if parent, sub, ok := strings.Cut(r.name, "|"); ok {
			args = []string{parent, sub}
		}
		cmd := lookupCommand(commands, args[0])
		if len(args) == 2 && cmd != nil {
			cmd = cmd.subcommands[args[1]]
		}
		if cmd == nil {
			t.Errorf("%s: not registered", r.name)
			continue
		}
		if cmd.name != r.name || cmd.arity != r.arity || cmd.flags != r.flags ||
			cmd.firstKey != r.first || cmd.lastKey != r.last || cmd.step != r.step || !slices.Equal(cmd.acl, r.acl) {
			t.Errorf("%s: row %+v, want %+v", r.name, *cmd, r)
		}
		if cmd.subcommands == nil && cmd.handler == nil {
			t.Errorf("%s: no handler", r.name)
		}
	}
}

func TestDelUnlinkExistsTouchType(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(okValue, "SET", "a", "1")
	ts.expect(okValue, "SET", "b", "2")
	ts.expect(IntValue(3), "EXISTS", "a", "b", "a", "nokey")
	ts.expect(IntValue(2), "TOUCH", "a", "b", "nokey")
	ts.expect(SimpleValue("string"), "TYPE", "a")
	ts.expect(SimpleValue("none"), "TYPE", "nokey")
	ts.expect(IntValue(1), "DEL", "a", "a", "nokey")
	ts.expect(IntValue(1), "UNLINK", "b", "nokey")
	ts.expect(IntValue(0), "EXISTS", "a", "b")
	for _, cmd := range []string{"DEL", "UNLINK", "EXISTS", "TOUCH", "TYPE"} {
		ts.expectErr("ERR wrong number of arguments for '"+lower(cmd)+"' command", cmd)
	}
	ts.expectErr("ERR wrong number of arguments for 'type' command", "TYPE", "a", "b")

	// Typed.
	ctx := bg
	ts.Set(ctx, "x", "1", SetOptions{})
	if n := must[int64](t)(ts.Exists(ctx, "x", "y")); n != 1 {
		t.Errorf("Exists = %d", n)
	}
	if n := must[int64](t)(ts.Touch(ctx, "x", "y")); n != 1 {
		t.Errorf("Touch = %d", n)
	}
	if s := must[string](t)(ts.Type(ctx, "x")); s != "string" {
		t.Errorf("Type = %q", s)
	}
	if s := must[string](t)(ts.Type(ctx, "y")); s != "none" {
		t.Errorf("Type(missing) = %q", s)
	}
	if n := must[int64](t)(ts.Unlink(ctx, "x", "y")); n != 1 {
		t.Errorf("Unlink = %d", n)
	}
	if n := must[int64](t)(ts.Del(ctx, "x")); n != 0 {
		t.Errorf("Del = %d", n)
	}

	// An expired key does not exist for any of them.
	ts.expect(okValue, "SET", "e", "v", "PX", "100")
	ts.clk.Advance(100 * time.Millisecond)
	ts.expect(IntValue(0), "EXISTS", "e")
	ts.expect(SimpleValue("none"), "TYPE", "e")
	ts.expect(IntValue(0), "TOUCH", "e")
	ts.expect(IntValue(0), "DEL", "e")
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestExpireAndTTL(t *testing.T) {
	ts := newTestStore(t)
	now := testStart.UnixMilli()
	ts.expect(IntValue(-2), "TTL", "k")
	ts.expect(IntValue(-2), "PTTL", "k")
	ts.expect(IntValue(-2), "EXPIRETIME", "k")
	ts.expect(IntValue(-2), "PEXPIRETIME", "k")
	ts.expect(IntValue(0), "EXPIRE", "k", "10")
	ts.expect(okValue, "SET", "k", "v")
	ts.expect(IntValue(-1), "TTL", "k")
	ts.expect(IntValue(-1), "PTTL", "k")
	ts.expect(IntValue(-1), "EXPIRETIME", "k")
	ts.expect(IntValue(-1), "PEXPIRETIME", "k")

	ts.expect(IntValue(1), "EXPIRE", "k", "100")
	ts.expect(IntValue(100), "TTL", "k")
	ts.expect(IntValue(100000), "PTTL", "k")
	ts.expect(IntValue(now/1000+100), "EXPIRETIME", "k") // testStart is a whole second
	ts.expect(IntValue(now+100000), "PEXPIRETIME", "k")

	// TTL rounds to the nearest second.
	ts.clk.Advance(1499 * time.Millisecond)
	ts.expect(IntValue(99), "TTL", "k")
	ts.expect(IntValue(98501), "PTTL", "k")
	ts.clk.Advance(2 * time.Millisecond)
	ts.expect(IntValue(98), "TTL", "k")

	ts.expect(IntValue(1), "PEXPIRE", "k", "1500")
	ts.expect(IntValue(1500), "PTTL", "k")
	ts.expect(IntValue(2), "TTL", "k")
	ts.expect(IntValue(1), "EXPIREAT", "k", strconv.FormatInt(now/1000+1000, 10))
	ts.expect(IntValue(now/1000+1000), "EXPIRETIME", "k")
	ts.expect(IntValue(1), "PEXPIREAT", "k", strconv.FormatInt(now+5000, 10))
	ts.expect(IntValue(now+5000), "PEXPIRETIME", "k")
	ts.expect(IntValue(now/1000+5), "EXPIRETIME", "k")

	// The clock moves past the expiry: the key is gone.
	ts.clk.Set(time.UnixMilli(now + 5000))
	ts.expect(IntValue(-2), "TTL", "k")
	ts.expect(nullValue, "GET", "k")

	// A time in the past, zero or negative deletes the key and replies 1.
	for _, args := range [][]any{
		{"EXPIRE", "d", "0"}, {"EXPIRE", "d", "-5"}, {"PEXPIRE", "d", "0"},
		{"EXPIREAT", "d", "1"}, {"PEXPIREAT", "d", "0"}, {"PEXPIREAT", "d", "-9223372036854775808"},
		{"EXPIREAT", "d", strconv.FormatInt(ts.clk.Now().Unix(), 10)},
	} {
		ts.expect(okValue, "SET", "d", "v", "EX", "100")
		ts.expect(IntValue(1), args...)
		ts.expect(IntValue(0), "EXISTS", "d")
	}
	// PEXPIREAT at exactly now is in the past; now+1 is not.
	ts.expect(okValue, "SET", "d", "v")
	ts.expect(IntValue(1), "PEXPIREAT", "d", strconv.FormatInt(ts.clk.Now().UnixMilli()+1, 10))
	ts.expect(IntValue(1), "PTTL", "d")
	ts.expect(IntValue(1), "PEXPIREAT", "d", strconv.FormatInt(ts.clk.Now().UnixMilli(), 10))
	ts.expect(IntValue(0), "EXISTS", "d")

	// PEXPIREAT accepts the largest time.
	ts.expect(okValue, "SET", "d", "v")
	ts.expect(IntValue(1), "PEXPIREAT", "d", "9223372036854775807")
	ts.expect(IntValue(9223372036854775807), "PEXPIRETIME", "d")
	ts.expect(IntValue(9223372036854776), "EXPIRETIME", "d") // rounded up, as Redis does
}

func TestExpireConditions(t *testing.T) {
	ts := newTestStore(t)
	ts.expect(okValue, "SET", "k", "v")
	ts.expect(IntValue(0), "EXPIRE", "k", "100", "XX") // no TTL yet
	ts.expect(IntValue(0), "EXPIRE", "k", "100", "GT") // no TTL is infinite
	ts.expect(IntValue(1), "EXPIRE", "k", "100", "nx")
	ts.expect(IntValue(0), "EXPIRE", "k", "200", "NX")
	ts.expect(IntValue(1), "EXPIRE", "k", "200", "xx")
	ts.expect(IntValue(0), "EXPIRE", "k", "200", "gt") // not greater
	ts.expect(IntValue(1), "EXPIRE", "k", "300", "gt")
	ts.expect(IntValue(0), "EXPIRE", "k", "300", "lt") // not less
	ts.expect(IntValue(1), "EXPIRE", "k", "50", "LT")
	ts.expect(IntValue(50), "TTL", "k")
	ts.expect(IntValue(1), "EXPIRE", "k", "60", "XX", "GT")
	ts.expect(IntValue(0), "EXPIRE", "k", "70", "XX", "LT")
	ts.expect(IntValue(1), "PERSIST", "k")
	ts.expect(IntValue(1), "EXPIRE", "k", "10", "LT") // no TTL: LT applies
	ts.expect(IntValue(10), "TTL", "k")
	// A condition that fails leaves a past time alone: the key survives.
	ts.expect(IntValue(0), "EXPIRE", "k", "-1", "NX")
	ts.expect(IntValue(1), "EXISTS", "k")

	// Option errors come before the integer check, and name the option.
	ts.expectErr("ERR Unsupported option foo", "EXPIRE", "k", "abc", "foo")
	ts.expectErr("ERR Unsupported option a b", "EXPIRE", "k", "10", "a\nb")
	ts.expectErr(ErrExpireNXOptions.Error(), "EXPIRE", "k", "10", "NX", "XX")
	ts.expectErr(ErrExpireNXOptions.Error(), "PEXPIRE", "k", "10", "nx", "gt")
	ts.expectErr(ErrExpireNXOptions.Error(), "EXPIREAT", "k", "10", "LT", "NX")
	ts.expectErr(ErrExpireGTLT.Error(), "PEXPIREAT", "k", "10", "GT", "LT")
	ts.expectErr(ErrExpireNXOptions.Error(), "EXPIRE", "k", "10", "XX", "LT", "NX", "GT")
	ts.expectErr(ErrNotInteger.Error(), "EXPIRE", "k", "abc", "nx")
	ts.expectErr(ErrNotInteger.Error(), "EXPIRE", "k", "1.5")
	ts.expectErr(ErrNotInteger.Error(), "PEXPIRE", "k", "")

	// Overflow.
	ts.expectErr(ErrInvalidExpire.Error(), "EXPIRE", "k", "9223372036854775807")
	ts.expectErr(ErrInvalidExpire.Error(), "EXPIRE", "k", "9223372036854770")  // fits *1000, not +now
	ts.expectErr(ErrInvalidExpire.Error(), "EXPIRE", "k", "-9223372036854776") // < MinInt64/1000
	ts.expectErr(ErrInvalidPExpire.Error(), "PEXPIRE", "k", "9223372036854775807")
	ts.expectErr(ErrInvalidExpireAt.Error(), "EXPIREAT", "k", "9223372036854775807")
	ts.expectErr(ErrInvalidExpire.Error(), "EXPIRE", "nokey", "9223372036854775807") // before the lookup
	for _, cmd := range []string{"expire", "pexpire", "expireat", "pexpireat"} {
		ts.expectErr("ERR wrong number of arguments for '"+cmd+"' command", cmd, "k")
	}
	for _, cmd := range []string{"ttl", "pttl", "expiretime", "pexpiretime", "persist"} {
		ts.expectErr("ERR wrong number of arguments for '"+cmd+"' command", cmd)
		ts.expectErr("ERR wrong number of arguments for '"+cmd+"' command", cmd, "a", "b")
	}
	ts.expect(IntValue(0), "PERSIST", "nokey")
	ts.expect(IntValue(1), "PERSIST", "k") // the TTL of 10 set by LT
	ts.expect(IntValue(0), "PERSIST", "k")
	ts.expect(IntValue(-1), "TTL", "k")
}

func TestExpireTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	if _, err := ts.TTL(ctx, "k"); !errors.Is(err, Nil) {
		t.Fatalf("TTL(missing) err = %v, want Nil", err)
	}
	if _, err := ts.ExpireTime(ctx, "k"); !errors.Is(err, Nil) {
		t.Fatalf("ExpireTime(missing) err = %v, want Nil", err)
	}
	ts.Set(ctx, "k", "v", SetOptions{})
	if d := must[time.Duration](t)(ts.TTL(ctx, "k")); d != NoTTL {
		t.Fatalf("TTL(no ttl) = %v", d)
	}
	if d := must[time.Duration](t)(ts.PTTL(ctx, "k")); d != NoTTL {
		t.Fatalf("PTTL(no ttl) = %v", d)
	}
	if tm := must[time.Time](t)(ts.PExpireTime(ctx, "k")); !tm.IsZero() {
		t.Fatalf("PExpireTime(no ttl) = %v", tm)
	}
	if ok := must[bool](t)(ts.Expire(ctx, "k", 90*time.Second+700*time.Millisecond)); !ok {
		t.Fatal("Expire = false")
	}
	if d := must[time.Duration](t)(ts.TTL(ctx, "k")); d != 90*time.Second {
		t.Fatalf("TTL = %v (Expire truncates to seconds)", d)
	}
	if ok := must[bool](t)(ts.PExpire(ctx, "k", 1500*time.Millisecond, ExpireLT)); !ok {
		t.Fatal("PExpire LT = false")
	}
	if d := must[time.Duration](t)(ts.PTTL(ctx, "k")); d != 1500*time.Millisecond {
		t.Fatalf("PTTL = %v", d)
	}
	if ok := must[bool](t)(ts.Expire(ctx, "k", time.Hour, ExpireNX)); ok {
		t.Fatal("Expire NX on a key with a TTL = true")
	}
	if _, err := ts.Expire(ctx, "k", time.Hour, ExpireNX, ExpireXX); !errors.Is(err, ErrExpireNXOptions) {
		t.Fatalf("Expire NX|XX err = %v", err)
	}
	if _, err := ts.Expire(ctx, "k", time.Hour, ExpireGT|ExpireLT); !errors.Is(err, ErrExpireGTLT) {
		t.Fatalf("Expire GT|LT err = %v", err)
	}
	at := testStart.Add(time.Hour)
	if ok := must[bool](t)(ts.ExpireAt(ctx, "k", at, ExpireXX, ExpireGT)); !ok {
		t.Fatal("ExpireAt = false")
	}
	if tm := must[time.Time](t)(ts.ExpireTime(ctx, "k")); !tm.Equal(at) {
		t.Fatalf("ExpireTime = %v, want %v", tm, at)
	}
	at = at.Add(123 * time.Millisecond)
	if ok := must[bool](t)(ts.PExpireAt(ctx, "k", at)); !ok {
		t.Fatal("PExpireAt = false")
	}
	if tm := must[time.Time](t)(ts.PExpireTime(ctx, "k")); !tm.Equal(at) {
		t.Fatalf("PExpireTime = %v, want %v", tm, at)
	}
	if ok := must[bool](t)(ts.Persist(ctx, "k")); !ok {
		t.Fatal("Persist = false")
	}
	if ok := must[bool](t)(ts.Persist(ctx, "k")); ok {
		t.Fatal("second Persist = true")
	}
	if ok := must[bool](t)(ts.Expire(ctx, "k", -time.Second)); !ok {
		t.Fatal("Expire(negative) = false")
	}
	if n := must[int64](t)(ts.Exists(ctx, "k")); n != 0 {
		t.Fatal("Expire(negative) left the key")
	}
	if ok := must[bool](t)(ts.Expire(ctx, "k", time.Second)); ok {
		t.Fatal("Expire(missing) = true")
	}
	if _, err := ts.Expire(ctx, "k", time.Duration(1<<62)); err != nil {
		t.Fatalf("Expire(huge) on a missing key: %v", err) // fits: 4.6e9 s
	}
}

func TestRename(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr(ErrNoSuchKey.Error(), "RENAME", "nokey", "x")
	ts.expectErr(ErrNoSuchKey.Error(), "RENAME", "nokey", "nokey")
	ts.expectErr(ErrNoSuchKey.Error(), "RENAMENX", "nokey", "x")
	ts.expectErr("ERR wrong number of arguments for 'rename' command", "RENAME", "a")
	ts.expectErr("ERR wrong number of arguments for 'renamenx' command", "RENAMENX", "a", "b", "c")

	ts.expect(okValue, "SET", "a", "1", "EX", "100")
	ts.expect(okValue, "RENAME", "a", "a")
	ts.expect(IntValue(0), "RENAMENX", "a", "a")
	ts.expect(IntValue(100), "TTL", "a")
	ts.expect(okValue, "RENAME", "a", "b")
	ts.expect(IntValue(0), "EXISTS", "a")
	ts.expect(BulkValue("1"), "GET", "b")
	ts.expect(IntValue(100), "TTL", "b") // the TTL moves with the value
	ts.expect(BulkValue("int"), "OBJECT", "ENCODING", "b")

	// Overwriting a key with a TTL gives it the source's (absence of) TTL.
	ts.expect(okValue, "SET", "c", "3")
	ts.expect(okValue, "RENAME", "c", "b")
	ts.expect(BulkValue("3"), "GET", "b")
	ts.expect(IntValue(-1), "TTL", "b")

	ts.expect(okValue, "SET", "d", "4")
	ts.expect(IntValue(0), "RENAMENX", "d", "b")
	ts.expect(BulkValue("3"), "GET", "b")
	ts.expect(IntValue(1), "RENAMENX", "d", "e")
	ts.expect(nullValue, "GET", "d")
	ts.expect(BulkValue("4"), "GET", "e")

	// An expired destination does not block RENAMENX; an expired source is
	// missing.
	ts.expect(okValue, "SET", "x", "old", "PX", "10")
	ts.expect(okValue, "SET", "y", "src", "PX", "10")
	ts.clk.Advance(10 * time.Millisecond)
	ts.expectErr(ErrNoSuchKey.Error(), "RENAME", "y", "z")
	ts.expect(IntValue(1), "RENAMENX", "e", "x")
	ts.expect(BulkValue("4"), "GET", "x")

	// Typed.
	ctx := bg
	if err := ts.Rename(ctx, "x", "r"); err != nil {
		t.Fatal(err)
	}
	if err := ts.Rename(ctx, "x", "r"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("Rename(missing) = %v", err)
	}
	if ok := must[bool](t)(ts.RenameNX(ctx, "r", "b")); ok {
		t.Fatal("RenameNX onto an existing key = true")
	}
	if ok := must[bool](t)(ts.RenameNX(ctx, "r", "r2")); !ok {
		t.Fatal("RenameNX = false")
	}
	if _, err := ts.RenameNX(ctx, "r", "r3"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("RenameNX(missing) = %v", err)
	}
}

func TestCopy(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr(ErrSameObject.Error(), "COPY", "a", "a") // even for a missing key
	ts.expect(IntValue(0), "COPY", "nokey", "b")
	ts.expect(okValue, "SET", "a", "hello", "EX", "100")
	ts.expect(IntValue(1), "COPY", "a", "b")
	ts.expect(BulkValue("hello"), "GET", "b")
	ts.expect(IntValue(100), "TTL", "b")
	ts.expect(IntValue(0), "COPY", "a", "b") // exists
	ts.expect(okValue, "SET", "a", "world")
	ts.expect(IntValue(1), "COPY", "a", "b", "REPLACE")
	ts.expect(BulkValue("world"), "GET", "b")
	ts.expect(IntValue(-1), "TTL", "b") // the source's TTL, which is none now

	// To another database.
	ts.expect(IntValue(1), "COPY", "a", "a", "DB", "1")
	ts.expectIn(1, BulkValue("world"), "GET", "a")
	ts.expect(IntValue(0), "COPY", "a", "a", "db", "1")
	ts.expect(okValue, "SET", "a", "again")
	ts.expect(IntValue(1), "COPY", "a", "a", "replace", "db", "1")
	ts.expectIn(1, BulkValue("again"), "GET", "a")
	ts.expectErr(ErrSameObject.Error(), "COPY", "a", "a", "DB", "0")
	ts.expect(IntValue(1), "COPY", "a", "c", "DB", "0")

	// Errors, in the order Redis parses.
	ts.expectErr(ErrNotInteger.Error(), "COPY", "a", "b", "DB", "x")
	ts.expectErr(ErrIntRange.Error(), "COPY", "a", "b", "DB", "4294967296")
	ts.expectErr(ErrNotInteger.Error(), "COPY", "a", "b", "DB", "99999999999999999999")
	ts.expectErr(ErrDBIndex.Error(), "COPY", "a", "b", "DB", "16")
	ts.expectErr(ErrDBIndex.Error(), "COPY", "a", "b", "DB", "-1", "foo")
	ts.expectErr(ErrSyntax.Error(), "COPY", "a", "b", "foo")
	ts.expectErr(ErrSyntax.Error(), "COPY", "a", "b", "DB")
	ts.expectErr("ERR wrong number of arguments for 'copy' command", "COPY", "a")

	// The copy is independent: changing the source leaves it alone.
	ts.expect(okValue, "SET", "n", "10")
	ts.expect(IntValue(1), "COPY", "n", "m")
	ts.expect(IntValue(11), "INCR", "n")
	ts.expect(BulkValue("10"), "GET", "m")
	ts.expect(BulkValue("int"), "OBJECT", "ENCODING", "m")

	// An expired destination counts as missing.
	ts.expect(okValue, "SET", "old", "x", "PX", "5")
	ts.clk.Advance(5 * time.Millisecond)
	ts.expect(IntValue(1), "COPY", "n", "old")

	// Typed.
	ctx := bg
	if ok := must[bool](t)(ts.Copy(ctx, "n", "t1", CopyOptions{})); !ok {
		t.Fatal("Copy = false")
	}
	if ok := must[bool](t)(ts.Copy(ctx, "n", "t1", CopyOptions{})); ok {
		t.Fatal("Copy onto an existing key = true")
	}
	if ok := must[bool](t)(ts.Copy(ctx, "a", "t1", CopyOptions{Replace: true, ToDB: ts.Database(2)})); !ok {
		t.Fatal("Copy to db 2 = false")
	}
	if v := must[string](t)(ts.Database(2).Get(ctx, "t1")); v != "again" {
		t.Fatalf("db 2 t1 = %q", v)
	}
	if _, err := ts.Copy(ctx, "a", "a", CopyOptions{ToDB: ts.DB}); !errors.Is(err, ErrSameObject) {
		t.Fatalf("Copy to itself = %v", err)
	}
	other := newTestStore(t)
	if _, err := ts.Copy(ctx, "a", "b", CopyOptions{ToDB: other.Database(1)}); err == nil {
		t.Fatal("Copy to another store's database succeeded")
	}

	// A type COPY does not know yet is refused, not shared.
	ts.onExecutor(ctx, func(s *Store) {
		e, _ := s.dbs[0].keys.Put("odd")
		e.typ, e.obj = valueType(200), struct{}{}
	})
	v := ts.do("COPY", "odd", "odd2")
	if v.Kind() != KindError {
		t.Fatalf("COPY of an unknown type = %s", v)
	}
	ts.expect(IntValue(0), "EXISTS", "odd2")
	ts.expect(IntValue(1), "DEL", "odd")
}

func TestMove(t *testing.T) {
	ts := newTestStore(t)
	ts.expectErr(ErrSameObject.Error(), "MOVE", "a", "0")
	ts.expectErr(ErrDBIndex.Error(), "MOVE", "a", "16")
	ts.expectErr(ErrDBIndex.Error(), "MOVE", "a", "-1")
	ts.expectErr(ErrNotInteger.Error(), "MOVE", "a", "x")
	ts.expectErr(ErrIntRange.Error(), "MOVE", "a", "2147483648")
	ts.expectErr(ErrIntRange.Error(), "MOVE", "a", "-2147483649")
	ts.expectErr("ERR wrong number of arguments for 'move' command", "MOVE", "a")
	ts.expect(IntValue(0), "MOVE", "nokey", "1")

	ts.expect(okValue, "SET", "a", "1", "EX", "50")
	ts.expect(IntValue(1), "MOVE", "a", "1")
	ts.expect(IntValue(0), "EXISTS", "a")
	ts.expectIn(1, BulkValue("1"), "GET", "a")
	ts.expectIn(1, IntValue(50), "TTL", "a")

	ts.expect(okValue, "SET", "a", "2")
	ts.expect(IntValue(0), "MOVE", "a", "1") // exists there
	ts.expect(BulkValue("2"), "GET", "a")

	// An expired key in the destination does not block the move.
	ts.clk.Advance(50 * time.Second)
	ts.expect(IntValue(1), "MOVE", "a", "1")
	ts.expectIn(1, BulkValue("2"), "GET", "a")
	ts.expectIn(1, IntValue(-1), "TTL", "a")

	// Typed, from another database back to 0.
	ctx := bg
	if ok := must[bool](t)(ts.Database(1).Move(ctx, "a", 0)); !ok {
		t.Fatal("Move = false")
	}
	if _, err := ts.Move(ctx, "a", 0); !errors.Is(err, ErrSameObject) {
		t.Fatalf("Move to the same db = %v", err)
	}
	if _, err := ts.Move(ctx, "a", 99); !errors.Is(err, ErrDBIndex) {
		t.Fatalf("Move out of range = %v", err)
	}
}

func TestRandomKey(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	ts.expect(nullValue, "RANDOMKEY")
	if _, err := ts.RandomKey(ctx); !errors.Is(err, Nil) {
		t.Fatalf("RandomKey(empty) = %v", err)
	}
	ts.expectErr("ERR wrong number of arguments for 'randomkey' command", "RANDOMKEY", "x")
	ts.expect(okValue, "SET", "only", "v")
	ts.expect(BulkValue("only"), "RANDOMKEY")

	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		ts.Set(ctx, fmt.Sprint("k", i), "v", SetOptions{})
	}
	for i := 0; i < 2000 && len(seen) < 21; i++ {
		seen[must[string](t)(ts.RandomKey(ctx))] = true
	}
	if len(seen) != 21 {
		t.Fatalf("RandomKey reached %d of 21 keys", len(seen))
	}

	// Expired keys are never returned; those drawn are deleted.
	ts.FlushDB(ctx)
	for i := 0; i < 200; i++ {
		ts.Set(ctx, fmt.Sprint("e", i), "v", SetOptions{TTL: time.Second})
	}
	ts.Set(ctx, "live", "v", SetOptions{})
	ts.clk.Advance(time.Second)
	for i := 0; i < 20; i++ {
		if k := must[string](t)(ts.RandomKey(ctx)); k != "live" {
			t.Fatalf("RandomKey returned %q, an expired key", k)
		}
	}
	// Only expired keys: nil, and they are gone.
	ts.Del(ctx, "live")
	if _, err := ts.RandomKey(ctx); !errors.Is(err, Nil) {
		t.Fatalf("RandomKey(all expired) = %v", err)
	}
	if n := must[int64](t)(ts.DBSize(ctx)); n != 0 {
		t.Fatalf("DBSize after RandomKey over expired keys = %d", n)
	}
}

func TestKeys(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	ts.expect(ArrayValue(), "KEYS", "*")
	for _, k := range []string{"one", "two", "three", "four", "", "t[x]"} {
		ts.Set(ctx, k, "v", SetOptions{})
	}
	ts.Set(ctx, "tmp", "v", SetOptions{TTL: time.Millisecond})
	ts.clk.Advance(time.Millisecond)
	got := sortedStrings(t, ts.do("KEYS", "*"))
	if want := []string{"", "four", "one", "t[x]", "three", "two"}; !slices.Equal(got, want) {
		t.Errorf("KEYS * = %q, want %q", got, want)
	}
	// "*" is special-cased: "**" does not match the empty key.
	got = sortedStrings(t, ts.do("KEYS", "**"))
	if want := []string{"four", "one", "t[x]", "three", "two"}; !slices.Equal(got, want) {
		t.Errorf("KEYS ** = %q, want %q", got, want)
	}
	for pattern, want := range map[string][]string{
		"t*":      {"t[x]", "three", "two"},
		"t??":     {"two"},
		"*o*":     {"four", "one", "two"},
		"[ot]*e":  {"one", "three"},
		"t\\[*":   {"t[x]"},
		"nomatch": nil,
	} {
		got := sortedStrings(t, ts.do("KEYS", pattern))
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("KEYS %q = %q, want %q", pattern, got, want)
		}
	}
	ts.expectErr("ERR wrong number of arguments for 'keys' command", "KEYS")
	ts.expectErr("ERR wrong number of arguments for 'keys' command", "KEYS", "a", "b")

	// The reply is in table order.
	var order []string
	ts.onExecutor(ctx, func(s *Store) {
		s.dbs[0].keys.All(func(k string, e *entry) bool {
			if !e.expired(s.opts.Clock.Now().UnixMilli()) {
				order = append(order, k)
			}
			return true
		})
	})
	keys := must[[]string](t)(ts.Keys(ctx, "*"))
	if !slices.Equal(keys, order) {
		t.Errorf("Keys = %q, table order %q", keys, order)
	}
	var fromSeq []string
	for k, err := range ts.KeysSeq(ctx, "*") {
		if err != nil {
			t.Fatal(err)
		}
		fromSeq = append(fromSeq, k)
	}
	if !slices.Equal(fromSeq, order) {
		t.Errorf("KeysSeq = %q, want %q", fromSeq, order)
	}
	for range ts.KeysSeq(ctx, "*") {
		break // stopping early must not panic
	}
}

// scanAllDo runs a whole SCAN through Do and returns the keys seen.
func scanAllDo(t *testing.T, ts *testStore, opts ...any) map[string]int {
	t.Helper()
	seen := map[string]int{}
	cursor := "0"
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("SCAN does not end")
		}
		v := ts.do(append([]any{"SCAN", cursor}, opts...)...)
		if v.Kind() != KindArray || v.Len() != 2 {
			t.Fatalf("SCAN reply %s", v)
		}
		for _, k := range v.Elems()[1].Elems() {
			seen[k.Str()]++
		}
		cursor = v.Elems()[0].Str()
		if cursor == "0" {
			return seen
		}
	}
}

func TestScan(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	ts.expect(ArrayValue(BulkValue("0"), ArrayValue()), "SCAN", "0")
	for i := 0; i < 300; i++ {
		ts.Set(ctx, fmt.Sprint("key:", i), "v", SetOptions{})
	}
	ts.Set(ctx, "other", "v", SetOptions{})
	seen := scanAllDo(t, ts)
	if len(seen) != 301 {
		t.Fatalf("SCAN saw %d keys, want 301", len(seen))
	}
	seen = scanAllDo(t, ts, "MATCH", "key:1*", "COUNT", "7")
	if len(seen) != 111 { // 1, 10-19, 100-199
		t.Fatalf("SCAN MATCH saw %d keys, want 111", len(seen))
	}
	seen = scanAllDo(t, ts, "TYPE", "STRING", "MATCH", "o*")
	if len(seen) != 1 || seen["other"] != 1 {
		t.Fatalf("SCAN TYPE STRING MATCH o* = %v", seen)
	}
	seen = scanAllDo(t, ts, "TYPE", "list")
	if len(seen) != 0 {
		t.Fatalf("SCAN TYPE list = %v", seen)
	}
	seen = scanAllDo(t, ts, "MATCH", "") // matches only the empty key
	if len(seen) != 0 {
		t.Fatalf("SCAN MATCH \"\" = %v", seen)
	}
	seen = scanAllDo(t, ts, "TYPE", "")
	if len(seen) != 0 {
		t.Fatalf("SCAN TYPE \"\" = %v", seen)
	}
	seen = scanAllDo(t, ts, "TYPE", "nosuchtype")
	if len(seen) != 0 {
		t.Fatalf("SCAN TYPE nosuchtype = %v", seen)
	}

	// COUNT is a hint: a big COUNT returns everything at once.
	v := ts.do("SCAN", "0", "COUNT", "1000")
	if v.Elems()[0].Str() != "0" || v.Elems()[1].Len() != 301 {
		t.Fatalf("SCAN 0 COUNT 1000: cursor %s, %d keys", v.Elems()[0], v.Elems()[1].Len())
	}
	// MATCH filters after collecting: a pattern matching nothing returns
	// empty pages with a cursor that goes on.
	v = ts.do("SCAN", "0", "MATCH", "nomatch")
	if v.Elems()[0].Str() == "0" || v.Elems()[1].Len() != 0 {
		t.Fatalf("SCAN 0 MATCH nomatch = %s", v)
	}
	// COUNT 1 returns at least one key per call (a bucket may hold more).
	v = ts.do("SCAN", "0", "COUNT", "1")
	if v.Elems()[1].Len() < 1 {
		t.Fatalf("SCAN 0 COUNT 1 = %s", v)
	}

	// Expired keys are never returned, and SCAN deletes those it meets.
	ts.FlushAll(ctx)
	for i := 0; i < 50; i++ {
		ts.Set(ctx, fmt.Sprint("e", i), "v", SetOptions{TTL: time.Second})
		ts.Set(ctx, fmt.Sprint("l", i), "v", SetOptions{})
	}
	ts.clk.Advance(time.Second)
	for _, opts := range [][]any{nil, {"TYPE", "string"}, {"MATCH", "e*"}} {
		for k := range scanAllDo(t, ts, opts...) {
			if k[0] == 'e' {
				t.Fatalf("SCAN %v returned expired key %q", opts, k)
			}
		}
	}
	var withTTL int
	ts.onExecutor(ctx, func(s *Store) { withTTL = s.dbs[0].expires.Len() })
	if withTTL != 0 {
		t.Fatalf("%d expired keys left after full SCANs", withTTL)
	}

	// Cursor parsing is strtoul's.
	for _, c := range []string{"", "+0", "007", "-1", "-18446744073709551615", "18446744073709551615", "0\x00junk"} {
		if v := ts.do("SCAN", c); v.Kind() != KindArray {
			t.Errorf("SCAN %q = %s", c, v)
		}
	}
	for _, c := range []string{" 1", "1 ", "-", "+", "x", "0x10", "1.5", "18446744073709551616", "-18446744073709551616"} {
		ts.expectErr(ErrInvalidCursor.Error(), "SCAN", c)
	}
	ts.expectErr(ErrInvalidCursor.Error(), "SCAN", "x", "COUNT", "0") // the cursor first
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "COUNT", "0")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "COUNT", "-1")
	ts.expectErr(ErrNotInteger.Error(), "SCAN", "0", "COUNT", "x")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "COUNT")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "MATCH")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "TYPE")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "foo", "bar")
	ts.expectErr(ErrSyntax.Error(), "SCAN", "0", "COUNT", "0", "MATCH")
	ts.expectErr("ERR wrong number of arguments for 'scan' command", "SCAN")
	if v := ts.do("SCAN", "0", "COUNT", "9223372036854775807"); v.Kind() != KindArray {
		t.Fatalf("SCAN with the largest COUNT = %s", v)
	}
}

func TestScanTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	want := map[string]bool{}
	for i := 0; i < 100; i++ {
		k := fmt.Sprint("u:", i)
		ts.Set(ctx, k, "v", SetOptions{})
		want[k] = true
	}
	ts.Set(ctx, "x", "v", SetOptions{})
	got := map[string]bool{}
	var cursor uint64
	for {
		keys, next, err := ts.Scan(ctx, cursor, ScanOptions{Match: "u:*", Count: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			got[k] = true
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	if len(got) != len(want) {
		t.Fatalf("Scan saw %d keys, want %d", len(got), len(want))
	}
	got = map[string]bool{}
	for k, err := range ts.ScanAll(ctx, ScanOptions{Type: "string", Count: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		got[k] = true
	}
	if len(got) != 101 {
		t.Fatalf("ScanAll saw %d keys, want 101", len(got))
	}
	n := 0
	for range ts.ScanAll(ctx, ScanOptions{}) {
		n++
		if n == 3 {
			break
		}
	}
	if _, _, err := ts.Scan(ctx, 0, ScanOptions{Count: -1}); !errors.Is(err, ErrSyntax) {
		t.Fatalf("Scan Count -1 = %v", err)
	}
	for _, err := range ts.ScanAll(ctx, ScanOptions{Count: -1}) {
		if !errors.Is(err, ErrSyntax) {
			t.Fatalf("ScanAll Count -1 = %v", err)
		}
	}
}

// TestScanGuaranteeConcurrent: a SCAN through the store returns every key
// that exists for the whole scan while other goroutines insert and delete
// keys (the table grows, shrinks and rehashes between the steps).
func TestScanGuaranteeConcurrent(t *testing.T) {
	ts := newTestStore(t, func(o *Options) { o.Databases = 1 })
	ctx := bg
	const stable = 500
	for i := 0; i < stable; i++ {
		ts.Set(ctx, fmt.Sprint("s:", i), "v", SetOptions{})
	}
	var done atomic.Bool
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(g), 5))
			// Bursts of inserts, then of deletes, until the scan is done
			// (bounded in any case).
			for round := 0; round < 200 && !done.Load(); round++ {
				n := 50 + rnd.IntN(200)
				keys := make([]string, n)
				for i := range keys {
					keys[i] = fmt.Sprint("c:", g, ":", round, ":", i)
				}
				for _, k := range keys {
					if err := ts.Set(ctx, k, "v", SetOptions{}); err != nil {
						t.Error(err)
						return
					}
				}
				if _, err := ts.Del(ctx, keys...); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	seen := map[string]bool{}
	for k, err := range ts.ScanAll(ctx, ScanOptions{Count: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[k] = true
	}
	done.Store(true)
	wg.Wait()
	for i := 0; i < stable; i++ {
		if k := fmt.Sprint("s:", i); !seen[k] {
			t.Fatalf("stable key %q not returned by the scan", k)
		}
	}
}

func TestObject(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	for _, sub := range []string{"ENCODING", "REFCOUNT", "IDLETIME", "FREQ"} {
		ts.expect(nullValue, "OBJECT", sub, "nokey")
		ts.expectErr("ERR wrong number of arguments for 'object|"+lower(sub)+"' command", "OBJECT", sub)
		ts.expectErr("ERR wrong number of arguments for 'object|"+lower(sub)+"' command", "OBJECT", sub, "a", "b")
	}
	ts.expectErr("ERR wrong number of arguments for 'object' command", "OBJECT")
	ts.expectErr("ERR unknown subcommand 'foo'. Try OBJECT HELP.", "OBJECT", "foo")
	ts.expectErr("ERR wrong number of arguments for 'object|help' command", "OBJECT", "HELP", "x")
	help := ts.do("OBJECT", "help")
	if help.Kind() != KindArray || help.Len() != 15 || help.Elems()[0].Str() != "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" ||
		help.Elems()[14].Str() != "    Prints this help." || help.Elems()[0].Kind() != KindSimple {
		t.Fatalf("OBJECT HELP = %s", help)
	}

	for val, enc := range map[string]string{
		"12345": "int", "-1": "int", "9223372036854775807": "int", "01": "embstr",
		"hello": "embstr", "123456789012345678901": "embstr",
		"12345678901234567890123456789012345678901234":  "embstr",
		"123456789012345678901234567890123456789012345": "raw",
	} {
		ts.Set(ctx, "s", val, SetOptions{})
		ts.expect(BulkValue(enc), "OBJECT", "ENCODING", "s")
		if got := must[string](t)(ts.ObjectEncoding(ctx, "s")); got != enc {
			t.Errorf("ObjectEncoding(%q) = %q, want %q", val, got, enc)
		}
	}
	for val, rc := range map[string]int64{"0": 2147483647, "9999": 2147483647, "10000": 1, "-1": 1, "abc": 1} {
		ts.Set(ctx, "s", val, SetOptions{})
		ts.expect(IntValue(rc), "OBJECT", "REFCOUNT", "s")
		if got := must[int64](t)(ts.ObjectRefCount(ctx, "s")); got != rc {
			t.Errorf("ObjectRefCount(%q) = %d, want %d", val, got, rc)
		}
	}

	ts.expectErr(ErrNoLFU.Error(), "OBJECT", "FREQ", "s")
	if _, err := ts.ObjectFreq(ctx, "s"); !errors.Is(err, ErrNoLFU) {
		t.Fatalf("ObjectFreq = %v", err)
	}
	if _, err := ts.ObjectFreq(ctx, "nokey"); !errors.Is(err, Nil) {
		t.Fatalf("ObjectFreq(missing) = %v", err)
	}

	// IDLETIME: reads that touch reset it; TYPE, TTL, EXISTS and OBJECT do
	// not.
	ts.Set(ctx, "i", "v", SetOptions{})
	ts.expect(IntValue(0), "OBJECT", "IDLETIME", "i")
	ts.clk.Advance(10 * time.Second)
	ts.do("TYPE", "i")
	ts.do("TTL", "i")
	ts.do("EXISTS", "i")
	ts.do("OBJECT", "ENCODING", "i")
	ts.expect(IntValue(10), "OBJECT", "IDLETIME", "i")
	if d := must[time.Duration](t)(ts.ObjectIdleTime(ctx, "i")); d != 10*time.Second {
		t.Fatalf("ObjectIdleTime = %v", d)
	}
	ts.do("GET", "i")
	ts.expect(IntValue(0), "OBJECT", "IDLETIME", "i")
	ts.clk.Advance(5 * time.Second)
	ts.do("TOUCH", "i")
	ts.expect(IntValue(0), "OBJECT", "IDLETIME", "i")
	ts.clk.Advance(5 * time.Second)
	ts.do("EXPIRE", "i", "100") // a write touches too
	ts.expect(IntValue(0), "OBJECT", "IDLETIME", "i")
	if _, err := ts.ObjectIdleTime(ctx, "nokey"); !errors.Is(err, Nil) {
		t.Fatalf("ObjectIdleTime(missing) = %v", err)
	}
}

func TestDBSizeAndFlush(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	ts.expect(IntValue(0), "DBSIZE")
	ts.expectErr("ERR wrong number of arguments for 'dbsize' command", "DBSIZE", "x")
	for i := 0; i < 10; i++ {
		ts.Set(ctx, fmt.Sprint(i), "v", SetOptions{TTL: time.Duration(i+1) * time.Hour})
		ts.Database(1).Set(ctx, fmt.Sprint(i), "v", SetOptions{})
	}
	ts.expect(IntValue(10), "DBSIZE")
	ts.expectErr(ErrSyntax.Error(), "FLUSHDB", "x")
	ts.expectErr(ErrSyntax.Error(), "FLUSHDB", "ASYNC", "x")
	ts.expectErr(ErrSyntax.Error(), "FLUSHALL", "SYNC", "SYNC")
	ts.expect(okValue, "FLUSHDB", "async")
	ts.expect(IntValue(0), "DBSIZE")
	ts.expectIn(1, IntValue(10), "DBSIZE")
	ts.expect(okValue, "FLUSHDB", "SYNC")
	ts.expect(okValue, "FLUSHDB")
	ts.Set(ctx, "a", "v", SetOptions{})
	ts.expect(okValue, "FLUSHALL", "Async")
	ts.expectIn(1, IntValue(0), "DBSIZE")
	ts.expect(IntValue(0), "DBSIZE")
	ts.expect(okValue, "FLUSHALL", "sync")
	ts.expect(okValue, "FLUSHALL")

	ts.Database(3).Set(ctx, "z", "v", SetOptions{TTL: time.Hour})
	if n := must[int64](t)(ts.Database(3).DBSize(ctx)); n != 1 {
		t.Fatalf("DBSize = %d", n)
	}
	if err := ts.Database(3).FlushDB(ctx); err != nil {
		t.Fatal(err)
	}
	ts.Database(3).Set(ctx, "z", "v", SetOptions{})
	if err := ts.FlushAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := must[int64](t)(ts.Database(3).DBSize(ctx)); n != 0 {
		t.Fatalf("DBSize after FlushAll = %d", n)
	}
}

func TestSwapDB(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	ts.expectErr(ErrInvalidFirstDB.Error(), "SWAPDB", "x", "0")
	ts.expectErr(ErrInvalidFirstDB.Error(), "SWAPDB", "x", "y")
	ts.expectErr(ErrInvalidSecondDB.Error(), "SWAPDB", "0", "x")
	ts.expectErr(ErrInvalidSecondDB.Error(), "SWAPDB", "99", "x") // both parsed before the range check
	ts.expectErr(ErrInvalidSecondDB.Error(), "SWAPDB", "0", "99999999999")
	ts.expectErr(ErrDBIndex.Error(), "SWAPDB", "0", "16")
	ts.expectErr(ErrDBIndex.Error(), "SWAPDB", "-1", "0")
	ts.expectErr("ERR wrong number of arguments for 'swapdb' command", "SWAPDB", "0")
	ts.expect(okValue, "SWAPDB", "0", "0")

	ts.Set(ctx, "a", "in0", SetOptions{TTL: time.Hour})
	ts.Database(1).Set(ctx, "b", "in1", SetOptions{})
	ts.expect(okValue, "SWAPDB", "0", "1")
	ts.expect(nullValue, "GET", "a")
	ts.expect(BulkValue("in1"), "GET", "b")
	ts.expectIn(1, BulkValue("in0"), "GET", "a")
	ts.expectIn(1, IntValue(3600), "TTL", "a")
	ts.onExecutor(ctx, func(s *Store) {
		for i, d := range s.dbs {
			if d.id != i {
				t.Errorf("dbs[%d].id = %d", i, d.id)
			}
		}
	})
	if err := ts.Database(5).SwapDB(ctx, 1, 5); err != nil {
		t.Fatal(err)
	}
	if v := must[string](t)(ts.Database(5).Get(ctx, "a")); v != "in0" {
		t.Fatalf("db 5 a = %q", v)
	}
	if err := ts.SwapDB(ctx, 0, 16); !errors.Is(err, ErrDBIndex) {
		t.Fatalf("SwapDB out of range = %v", err)
	}
	// MOVE after a swap uses the new numbering.
	ts.expect(IntValue(1), "MOVE", "b", "5")
	ts.expectIn(5, BulkValue("in1"), "GET", "b")
}

func TestTime(t *testing.T) {
	ts := newTestStore(t)
	ts.clk.Set(time.Unix(1700000000, 123456789))
	ts.expect(bulks("1700000000", "123456"), "TIME")
	ts.expectErr("ERR wrong number of arguments for 'time' command", "TIME", "x")
	tm := must[time.Time](t)(ts.Time(bg))
	if !tm.Equal(time.Unix(1700000000, 123456000)) {
		t.Fatalf("Time = %v", tm)
	}
}

// TestActiveExpireCycle runs the active expiry cycle by hand: it removes
// expired keys without any command touching them, leaves live ones, and
// examines a bounded number of keys per tick.
func TestActiveExpireCycle(t *testing.T) {
	ts := newTestStore(t)
	ctx := bg
	const n = 5000
	for i := 0; i < n; i++ {
		ts.Set(ctx, fmt.Sprint("e", i), "v", SetOptions{TTL: time.Second})
	}
	for i := 0; i < 100; i++ {
		ts.Set(ctx, fmt.Sprint("later", i), "v", SetOptions{TTL: time.Hour})
		ts.Set(ctx, fmt.Sprint("live", i), "v", SetOptions{})
	}
	var maxTick, afterTen, ticks, left int
	ts.onExecutor(ctx, func(s *Store) {
		// Inside one executor turn nothing else (the timer's cycle
		// included) runs, so the counts are exact.
		ts.clk.Advance(time.Second)
		now := ts.clk.Now().UnixMilli()
		d := s.dbs[0]
		for ticks = 0; d.expires.Len() > 100 && ticks < 10000; ticks++ {
			before := d.keys.Len()
			s.activeExpireCycle(now)
			maxTick = max(maxTick, before-d.keys.Len())
			if ticks == 9 {
				afterTen = d.expires.Len() - 100
			}
		}
		left = d.keys.Len()
	})
	// Each tick does bounded work...
	if maxTick == 0 || maxTick > expireMaxPerTick {
		t.Fatalf("a tick removed %d keys; want between 1 and %d", maxTick, expireMaxPerTick)
	}
	// ...and keeps going while most sampled keys are expired, so a few
	// ticks remove the bulk; the tail (under about a quarter of the keys
	// with a TTL) is left to later ticks and lazy expiry, as in Redis.
	if afterTen > 100 {
		t.Fatalf("%d of %d expired keys left after ten ticks", afterTen, n)
	}
	if left != 200 {
		t.Fatalf("%d keys left after %d ticks, want the 200 live ones", left, ticks)
	}
	if got := must[int64](t)(ts.Exists(ctx, "later0", "live0")); got != 2 {
		t.Fatalf("live keys removed: Exists = %d", got)
	}
}

func ExampleDB_ScanAll() {
	s, _ := Open(Options{})
	defer s.Close()
	ctx := context.Background()
	for _, k := range []string{"user:1", "user:2", "order:1"} {
		s.Set(ctx, k, "v", SetOptions{})
	}
	var users []string
	for key, err := range s.ScanAll(ctx, ScanOptions{Match: "user:*"}) {
		if err != nil {
			panic(err)
		}
		users = append(users, key)
	}
	sort.Strings(users) // SCAN returns keys in no particular order
	fmt.Println(users)
	// Output: [user:1 user:2]
}

func ExampleDB_Expire() {
	clk := NewManualClock(time.Unix(1700000000, 0))
	s, _ := Open(Options{Clock: clk})
	defer s.Close()
	ctx := context.Background()
	s.Set(ctx, "session", "data", SetOptions{})
	s.Expire(ctx, "session", time.Minute)
	ttl, _ := s.TTL(ctx, "session")
	fmt.Println(ttl)
	// Only a later expiry replaces it (GT).
	ok, _ := s.Expire(ctx, "session", 30*time.Second, ExpireGT)
	fmt.Println(ok)
	clk.Advance(time.Minute)
	_, err := s.TTL(ctx, "session")
	fmt.Println(errors.Is(err, Nil))
	// Output:
	// 1m0s
	// false
	// true
}
