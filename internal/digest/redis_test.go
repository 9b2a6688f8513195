package digest

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/embedis/embedis/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestAgainstRedis builds values of every type and encoding in a real
// redis-server 7.0, reads them back over RESP into the neutral form,
// computes the digests here and compares them with DEBUG DIGEST-VALUE of
// every key and DEBUG DIGEST of the whole dataset.
func TestAgainstRedis(t *testing.T) {
	addr := redistest.StartWith(t, "--enable-debug-command", "yes")
	ctx := context.Background()
	const dbs = 4
	clients := make([]*redis.Client, dbs)
	for db := range clients {
		clients[db] = redis.NewClient(&redis.Options{Addr: addr, DB: db, Protocol: 2})
		t.Cleanup(func() { clients[db].Close() })
	}
	rng := rand.New(rand.NewSource(20260708))
	for db, c := range clients {
		if db == 2 {
			continue // an empty database in the middle
		}
		populate(t, ctx, c, rng, db)
	}

	var ds Dataset
	keys := 0
	encodings := map[string]bool{}
	for db, c := range clients {
		all, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range all {
			v, hasExpire := readValue(t, ctx, c, k)
			got := OfValue(v, hasExpire)
			res, err := c.Do(ctx, "DEBUG", "DIGEST-VALUE", k).Slice()
			if err != nil {
				t.Fatalf("db %d DEBUG DIGEST-VALUE %q: %v", db, k, err)
			}
			if want := res[0].(string); got.String() != want {
				enc, _ := c.ObjectEncoding(ctx, k).Result()
				t.Errorf("db %d key %q (%T, encoding %s, ttl %v): digest %s, redis says %s", db, k, v, enc, hasExpire, got, want)
			}
			enc, err := c.ObjectEncoding(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			encodings[fmt.Sprintf("%T/%s", v, enc)] = true
			ds.Add(db, k, v, hasExpire)
			keys++
		}
	}
	want, err := clients[0].Do(ctx, "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Sum().String(); got != want {
		t.Errorf("dataset digest %s, redis DEBUG DIGEST %s", got, want)
	}
	t.Logf("%d keys compared", keys)
	// Every encoding of every type took part.
	for _, e := range []string{
		"digest.String/int", "digest.String/embstr", "digest.String/raw",
		"digest.List/quicklist", // 7.0 has no listpack lists or sets
		"digest.Set/intset", "digest.Set/hashtable",
		"digest.ZSet/listpack", "digest.ZSet/skiplist",
		"digest.Hash/listpack", "digest.Hash/hashtable",
		"digest.Stream/stream",
	} {
		if !encodings[e] {
			t.Errorf("no key of type/encoding %s was compared (have %v)", e, encodings)
		}
	}

	// A missing key's DIGEST-VALUE is all zeros, as is an empty server's
	// DEBUG DIGEST.
	res, err := clients[0].Do(ctx, "DEBUG", "DIGEST-VALUE", "no-such-key").Slice()
	if err != nil || res[0].(string) != strings.Repeat("0", 40) {
		t.Errorf("DIGEST-VALUE of a missing key: %v %v", res, err)
	}
	if err := clients[0].FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	empty, err := clients[0].Do(ctx, "DEBUG", "DIGEST").Text()
	if err != nil {
		t.Fatal(err)
	}
	var none Dataset
	if none.Sum().String() != empty {
		t.Errorf("empty dataset: %s, redis %s", none.Sum(), empty)
	}
}

func randString(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		if rng.Intn(4) == 0 {
			b[i] = byte(rng.Intn(256)) // binary, NUL included
		} else {
			b[i] = byte('a' + rng.Intn(26))
		}
	}
	return string(b)
}

// randElem returns a short or long string, or an integer text, so listpack
// integers, intsets and int-encoded strings all occur.
func randElem(rng *rand.Rand, long bool) string {
	switch rng.Intn(4) {
	case 0:
		return strconv.FormatInt(rng.Int63n(1<<40)-1<<39, 10)
	case 1:
		return strconv.Itoa(rng.Intn(100))
	}
	if long {
		return randString(rng, 65+rng.Intn(200))
	}
	return randString(rng, 1+rng.Intn(12))
}

var scores = []float64{0, math.Copysign(0, -1), 1e-5, 5e-324, math.MaxFloat64, 1, -1, 1.5, 0.1, 1e17, -1e-7, 3.141592653589793, 1e300, math.Inf(1), math.Inf(-1), 123456789012345678}

func randScore(rng *rand.Rand) float64 {
	if rng.Intn(2) == 0 {
		return scores[rng.Intn(len(scores))]
	}
	return (rng.Float64() - 0.5) * math.Pow(10, float64(rng.Intn(40)-20))
}

func do(t *testing.T, ctx context.Context, c *redis.Client, args ...any) {
	t.Helper()
	if err := c.Do(ctx, args...).Err(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}

func populate(t *testing.T, ctx context.Context, c *redis.Client, rng *rand.Rand, db int) {
	t.Helper()
	n := 0
	key := func(kind string) string {
		n++
		return fmt.Sprintf("%s:%d:%d", kind, db, n)
	}
	sizes := []int{0, 1, 3, 20, 200} // 200 passes every listpack / intset limit
	for round := 0; round < 6; round++ {
		// Strings: int, embstr, raw, empty, binary.
		for _, v := range []string{"12345", "-7", strconv.FormatInt(math.MaxInt64, 10), "", "short", randString(rng, 100), randString(rng, 5000), "3.5", "007"} {
			do(t, ctx, c, "SET", key("s"), v)
		}
		for _, size := range sizes[1:] {
			long := rng.Intn(3) == 0
			k := key("l")
			args := []any{"RPUSH", k}
			for i := 0; i < size; i++ {
				args = append(args, randElem(rng, long))
			}
			do(t, ctx, c, args...)

			k = key("set")
			args = []any{"SADD", k}
			allInts := rng.Intn(2) == 0
			for i := 0; i < size; i++ {
				if allInts {
					args = append(args, strconv.Itoa(rng.Intn(1000000)-500000))
				} else {
					args = append(args, randElem(rng, long))
				}
			}
			do(t, ctx, c, args...)

			k = key("z")
			args = []any{"ZADD", k}
			for i := 0; i < size; i++ {
				args = append(args, strconv.FormatFloat(randScore(rng), 'g', -1, 64), randElem(rng, long))
			}
			do(t, ctx, c, args...)

			k = key("h")
			args = []any{"HSET", k}
			for i := 0; i < size; i++ {
				args = append(args, randElem(rng, false), randElem(rng, long))
			}
			do(t, ctx, c, args...)

			k = key("x")
			for i := 0; i < size; i++ {
				fields := []any{"XADD", k, "*"}
				nf := 1 + rng.Intn(3)
				if rng.Intn(3) == 0 {
					fields = append(fields, "a", randElem(rng, long), "a", "dup") // a repeated field
				}
				for j := 0; j < nf; j++ {
					fields = append(fields, "f"+strconv.Itoa(j), randElem(rng, long))
				}
				do(t, ctx, c, fields...)
			}
			if size > 2 {
				// Deleted entries, consumer groups with pending entries.
				ids, err := c.XRange(ctx, k, "-", "+").Result()
				if err != nil {
					t.Fatal(err)
				}
				do(t, ctx, c, "XDEL", k, ids[1].ID)
				do(t, ctx, c, "XGROUP", "CREATE", k, "g1", "0")
				do(t, ctx, c, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", k, ">")
				do(t, ctx, c, "XGROUP", "CREATE", k, "g2", "$")
			}
		}
		// Explicit stream IDs with large parts, and an empty stream.
		k := key("x")
		do(t, ctx, c, "XADD", k, "18446744073709551614-18446744073709551615", "f", "v")
		do(t, ctx, c, "XGROUP", "CREATE", key("x"), "g", "$", "MKSTREAM")
		k = key("x")
		do(t, ctx, c, "XADD", k, "5-1", "f", "v")
		do(t, ctx, c, "XDEL", k, "5-1")
	}
	// Expiry on a share of the keys (far in the future, so none passes).
	all, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range all {
		if i%3 == 0 {
			do(t, ctx, c, "EXPIRE", k, 100000+i)
		}
	}
}

// readValue reads key back into the neutral form.
func readValue(t *testing.T, ctx context.Context, c *redis.Client, k string) (Value, bool) {
	t.Helper()
	typ, err := c.Type(ctx, k).Result()
	if err != nil {
		t.Fatal(err)
	}
	ttl, err := c.Do(ctx, "PTTL", k).Int64()
	if err != nil {
		t.Fatal(err)
	}
	hasExpire := ttl >= 0
	strs := func(args ...any) []string {
		t.Helper()
		s, err := c.Do(ctx, args...).StringSlice()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return s
	}
	switch typ {
	case "string":
		s, err := c.Get(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		return String(s), hasExpire
	case "list":
		return List(strs("LRANGE", k, 0, -1)), hasExpire
	case "set":
		return Set(strs("SMEMBERS", k)), hasExpire
	case "zset":
		flat := strs("ZRANGE", k, 0, -1, "WITHSCORES")
		var z ZSet
		for i := 0; i < len(flat); i += 2 {
			f, err := strconv.ParseFloat(flat[i+1], 64)
			if err != nil {
				t.Fatalf("score %q: %v", flat[i+1], err)
			}
			z = append(z, ZMember{flat[i], f})
		}
		return z, hasExpire
	case "hash":
		flat := strs("HGETALL", k)
		var h Hash
		for i := 0; i < len(flat); i += 2 {
			h = append(h, HashField{flat[i], flat[i+1]})
		}
		return h, hasExpire
	case "stream":
		raw, err := c.Do(ctx, "XRANGE", k, "-", "+").Slice()
		if err != nil {
			t.Fatal(err)
		}
		var s Stream
		for _, r := range raw {
			pair := r.([]any)
			id := pair[0].(string)
			msText, seqText, _ := strings.Cut(id, "-")
			ms, err1 := strconv.ParseUint(msText, 10, 64)
			seq, err2 := strconv.ParseUint(seqText, 10, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("stream id %q", id)
			}
			e := StreamEntry{MS: ms, Seq: seq}
			for _, f := range pair[1].([]any) {
				e.Fields = append(e.Fields, f.(string))
			}
			s = append(s, e)
		}
		return s, hasExpire
	}
	t.Fatalf("key %q has type %q", k, typ)
	return nil, false
}
