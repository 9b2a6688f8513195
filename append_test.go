package embedis

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAppendBuffer: APPEND grows a string in place, and every value handed
// out before stays what it was: replies, a COPY, values replaced by SET
// or SETRANGE.
func TestAppendBuffer(t *testing.T) {
	ts := newTestStore(t)
	ctx := context.Background()
	var want strings.Builder
	var seen []string
	for i := 0; i < 200; i++ {
		part := strings.Repeat(string(rune('a'+i%26)), i%7+1)
		want.WriteString(part)
		require.Equal(t, int64(want.Len()), ts.do("APPEND", "k", part).Int())
		got, err := ts.Get(ctx, "k")
		require.NoError(t, err)
		require.Equal(t, want.String(), got)
		seen = append(seen, got)
		if i == 50 {
			ts.do("COPY", "k", "c")
		}
	}
	// Every earlier reply is unchanged.
	var prefix strings.Builder
	for i, s := range seen {
		prefix.WriteString(strings.Repeat(string(rune('a'+i%26)), i%7+1))
		require.Equal(t, prefix.String(), s, "reply %d changed after later appends", i)
	}
	// The copy took the value at that moment, and grows on its own.
	c := ts.do("GET", "c").Str()
	require.Equal(t, seen[50], c)
	ts.do("APPEND", "c", "X")
	require.Equal(t, seen[50]+"X", ts.do("GET", "c").Str())
	require.Equal(t, want.String(), ts.do("GET", "k").Str())

	// SETRANGE and SET replace the value; appends go on from there.
	ts.do("SETRANGE", "k", "0", "ZZ")
	v := ts.do("GET", "k").Str()
	require.Equal(t, "ZZ"+want.String()[2:], v)
	ts.do("APPEND", "k", "!")
	require.Equal(t, v+"!", ts.do("GET", "k").Str())
	ts.do("SET", "k", "x")
	ts.do("APPEND", "k", "y")
	require.Equal(t, "xy", ts.do("GET", "k").Str())
	require.Equal(t, "raw", ts.do("OBJECT", "ENCODING", "k").Str())
}

// BenchmarkAppend100k appends 10 bytes 100,000 times to one key (a 1 MB
// value): amortized O(1) per append, not a copy of the value each time.
func BenchmarkAppend100k(b *testing.B) {
	ts := newTestStore(b)
	ctx := context.Background()
	part := "0123456789"
	b.ReportAllocs()
	for b.Loop() {
		ts.do("DEL", "k")
		for i := 0; i < 100000; i++ {
			if _, err := ts.DoStrings(ctx, "APPEND", "k", part); err != nil {
				b.Fatal(err)
			}
		}
	}
}
