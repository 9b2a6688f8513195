package embedis

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis/persist/rdb"
	"github.com/stretchr/testify/require"
)

// eventRecorder records keyspace events as "event key".
type eventRecorder struct {
	mu     sync.Mutex
	events []string
}

func (r *eventRecorder) keyEvent(db int, key string, ev keyEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev.name+" "+key)
}

func (r *eventRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// dumpOf returns the DUMP payload of key.
func (ts *testStore) dumpOf(key string) string {
	ts.t.Helper()
	v := ts.do("dump", key)
	if v.Kind() != KindBulk {
		ts.t.Fatalf("DUMP %s: %s", key, v)
	}
	return v.Str()
}

// TestRestoreFeedAndEvents checks what RESTORE propagates and which
// keyspace events it raises, as restoreCommand in Redis 7.0.15 does.
func TestRestoreFeedAndEvents(t *testing.T) {
	ts := newTestStore(t)
	rec := attachFeed(t, ts.Store)
	evs := &eventRecorder{}
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) { s.events = evs }))
	ts.do("set", "src", "hello")
	p := ts.dumpOf("src")
	rec.take()
	evs.take()
	now := testStart.UnixMilli()

	for _, tc := range []struct {
		cmd    []any
		reply  string
		feed   []string
		events []string
	}{
		// A new key: "new" then "restore"; propagated as issued.
		{[]any{"restore", "a", "0", p}, "OK", []string{"restore a 0 " + p}, []string{"new a", "restore a"}},
		// A relative TTL propagates as an absolute one with ABSTTL appended.
		{[]any{"RESTORE", "b", "5000", p, "IDLETIME", "3"}, "OK",
			[]string{"RESTORE b " + strconv.FormatInt(now+5000, 10) + " " + p + " IDLETIME 3 ABSTTL"}, []string{"new b", "restore b"}},
		// ABSTTL in the future: as issued.
		{[]any{"restore", "c", strconv.FormatInt(now+1000, 10), p, "absttl"}, "OK",
			[]string{"restore c " + strconv.FormatInt(now+1000, 10) + " " + p + " absttl"}, []string{"new c", "restore c"}},
		// REPLACE of an existing key: no "del", a "new".
		{[]any{"restore", "a", "0", p, "replace"}, "OK", []string{"restore a 0 " + p + " replace"}, []string{"new a", "restore a"}},
		// A TTL in the past creates nothing and propagates nothing ...
		{[]any{"restore", "d", "1", p, "absttl"}, "OK", nil, nil},
		// ... unless REPLACE deleted a key: then DEL.
		{[]any{"restore", "a", "1", p, "absttl", "replace"}, "OK", []string{"DEL a"}, []string{"del a"}},
		// Errors change nothing.
		{[]any{"restore", "c", "0", p}, "BUSYKEY Target key name already exists.", nil, nil},
		{[]any{"restore", "e", "0", "xx"}, "ERR DUMP payload version or checksum are wrong", nil, nil},
	} {
		v := ts.do(tc.cmd...)
		require.Equal(t, tc.reply, v.Str(), "%v", tc.cmd[:2])
		require.Equal(t, tc.feed, rec.take(), "feed of %v", tc.cmd[:2])
		require.Equal(t, tc.events, evs.take(), "events of %v", tc.cmd[:2])
	}
	ts.expect(IntValue(0), "exists", "a", "d", "e")
	ts.expect(IntValue(3), "object", "idletime", "b")
	ts.expect(IntValue(5000), "pttl", "b")
	ts.expect(BulkValue("hello"), "get", "c")
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) { s.events = nil }))
}

func TestRestoreIdleTimeWraps(t *testing.T) {
	now := testStart.UnixMilli()
	clock := (now / 1000) & lruClockMax
	for _, c := range []struct{ idle, want int64 }{{0, 0}, {10, 10}, {clock, clock}, {clock + 1, 1 << 23}, {1 << 40, 1 << 23}} {
		if got := now/1000 - restoreAccess(now, c.idle)/1000; got != c.want {
			t.Errorf("idle %d: OBJECT IDLETIME %d, want %d", c.idle, got, c.want)
		}
	}
}

// TestDumpRestoreTyped exercises the typed methods and their errors.
func TestDumpRestoreTyped(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	db := ts.Database(0)
	_, err := db.Dump(ctx, "missing")
	require.ErrorIs(t, err, Nil)

	_, err = db.HSet(ctx, "h", "f", "v", "g", "w")
	require.NoError(t, err)
	p, err := db.Dump(ctx, "h")
	require.NoError(t, err)

	require.NoError(t, db.Restore(ctx, "h2", 0, p, nil))
	got, err := db.HGetAll(ctx, "h2")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"f": "v", "g": "w"}, got)
	require.ErrorIs(t, db.Restore(ctx, "h2", 0, p, nil), ErrBusyKey)
	require.ErrorIs(t, db.Restore(ctx, "x", 0, "junk", nil), ErrDumpPayload)
	bad, _ := rdb.EncodeDump(rdb.String("x"), rdb.DefaultConfig())
	bad[0] = 6 // a module value: the CRC64 no longer matches
	require.ErrorIs(t, db.Restore(ctx, "x", 0, string(bad), nil), ErrDumpPayload)

	require.NoError(t, db.Restore(ctx, "h2", time.Minute, p, &RestoreOptions{Replace: true, IdleTime: 30 * time.Second}))
	ttl, err := db.PTTL(ctx, "h2")
	require.NoError(t, err)
	require.Equal(t, time.Minute, ttl)
	ts.expect(IntValue(30), "object", "idletime", "h2")

	at := testStart.Add(time.Hour)
	freq := 5
	require.NoError(t, db.Restore(ctx, "h3", 0, p, &RestoreOptions{ExpireAt: at, Freq: &freq}))
	ts.expect(IntValue(at.UnixMilli()), "pexpiretime", "h3")
	freq = 256
	err = db.Restore(ctx, "h4", 0, p, &RestoreOptions{Freq: &freq})
	require.EqualError(t, err, "ERR Invalid FREQ value, must be >= 0 and <= 255")
	err = db.Restore(ctx, "h4", -time.Second, p, nil)
	require.EqualError(t, err, "ERR Invalid TTL value, must be >= 0")

	// A past ExpireAt creates nothing.
	require.NoError(t, db.Restore(ctx, "h5", 0, p, &RestoreOptions{ExpireAt: testStart.Add(-time.Hour)}))
	n, err := db.Exists(ctx, "h5")
	require.NoError(t, err)
	require.Zero(t, n)
}

// TestRestoreRoundTripAllTypes restores the DUMP of every case of
// rdbConvCases under another name and checks the copy: same digest, the
// encoding Redis would load, and a DUMP identical to the original's where
// the store keeps Redis's order.
func TestRestoreRoundTripAllTypes(t *testing.T) {
	for _, tc := range rdbConvCases() {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestStore(t)
			for i := 0; i+1 < len(tc.config); i += 2 {
				ts.expect(okValue, "config", "set", tc.config[i], tc.config[i+1])
			}
			for _, c := range tc.cmds {
				if v := ts.do(c...); v.Kind() == KindError {
					t.Fatalf("%v: %s", c, v)
				}
			}
			p := ts.dumpOf("k")
			if at := ts.do("pexpiretime", "k").Int(); at > 0 {
				ts.expect(okValue, "restore", "copy", at, p, "absttl")
			} else {
				ts.expect(okValue, "restore", "copy", "0", p)
			}
			enc := tc.loadEnc
			if enc == "" {
				enc = tc.enc
			}
			ts.expect(BulkValue(enc), "object", "encoding", "copy")
			want := ts.do("debug", "digest-value", "k")
			ts.expect(want, "debug", "digest-value", "copy")
			if enc == tc.enc && enc != "hashtable" {
				if got := ts.dumpOf("copy"); got != p {
					t.Errorf("DUMP of the copy differs:\n%q\n%q", p, got)
				}
			}
		})
	}
}

// TestRestoreErrorsAreSentinels checks that failing payloads give one of
// the two payload errors, matched by errors.Is.
func TestRestoreErrorsAreSentinels(t *testing.T) {
	ts := newTestStore(t)
	for i, c := range []struct {
		p    string
		want error
	}{
		{"", ErrDumpPayload},
		{"x", ErrDumpPayload},
		{"\x00\x05hello\n\x00cr\xdfve4 \x0b", ErrDumpPayload},
		{"\x0b\x00\x05hello\x0a\x00\xd8y\xbc\x8f\xe2\xb53\xab", ErrDumpPayload},
		{"\x14\x05hello\x0a\x00\xd8y\xbc\x8f\xe2\xb53\xab", ErrBadDataFormat},
		{"\x02\x00\x0a\x00:\xce9\x00\x9b\x899\xe8", ErrBadDataFormat},
	} {
		err := ts.do("restore", "k"+strconv.Itoa(i), "0", c.p).Err()
		if !errors.Is(err, c.want) {
			t.Errorf("payload %q: %v, want %v", c.p, err, c.want)
		}
	}
	// Ten zero bytes are a valid payload: version 0, CRC64 0, and the
	// value an empty string read from the footer, as Redis reads it.
	ts.expect(okValue, "restore", "z", "0", strings.Repeat("\x00", 10))
	ts.expect(BulkValue(""), "get", "z")
}
