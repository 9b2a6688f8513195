package benchmarks

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

// The data-type comparison: embedis's typed API (in process, no wire)
// against go-redis → redis-server over loopback, and go-redis → embedis
// over loopback as a third column that separates the wire's cost from the
// data structures'. Every side runs the same operations on the same seeded
// data in the same process.
//
//	cd benchmarks && go test -run '^$' -bench 'DataTypes' -benchtime 300ms -count 3 .

// dataTypes is one side of the comparison.
type dataTypes interface {
	lpushRPop(ctx context.Context, key, v string) error
	saddSIsMember(ctx context.Context, key, m string) error
	hsetHGet(ctx context.Context, key, f, v string) error
	// zadd sets m's score (m exists: the set keeps its size).
	zadd(ctx context.Context, key, m string, score float64) error
	zincrBy(ctx context.Context, key, m string, by float64) error
	zrank(ctx context.Context, key, m string) error
	// zrangeTop10 is ZRANGE key 0 9 REV (the ten highest scores).
	zrangeTop10(ctx context.Context, key string) error
	// zaddMany adds members in one ZADD.
	zaddMany(ctx context.Context, key string, ms []embedis.Z) error
	geoAddMany(ctx context.Context, key string, ls []embedis.GeoLocation) error
	// geoRadius is GEOSEARCH key FROMLONLAT lon lat BYRADIUS km km; it
	// returns the number of members found.
	geoRadius(ctx context.Context, key string, lon, lat, km float64) (int, error)
	// xaddAuto is XADD key * f v.
	xaddAuto(ctx context.Context, key string) error
	// xaddID is XADD key id f v, for building a stream with known IDs.
	xaddMany(ctx context.Context, key string, firstMs, n int) error
	// xrange10 is XRANGE key start + COUNT 10.
	xrange10(ctx context.Context, key, start string) error
	// xgroupCreate is XGROUP CREATE key group 0.
	xgroupCreate(ctx context.Context, key, group string) error
	// xreadGroupAck reads one entry with XREADGROUP ... COUNT 1 STREAMS key >
	// and acknowledges it with XACK.
	xreadGroupAck(ctx context.Context, key, group string) error
}

// typedSide is embedis's typed API.
type typedSide struct{ s *embedis.Store }

var streamFields = []embedis.XField{{Field: "f", Value: "v"}}

func (t typedSide) xaddAuto(ctx context.Context, key string) error {
	_, err := t.s.XAdd(ctx, embedis.XAddArgs{Stream: key, Fields: streamFields})
	return err
}

func (t typedSide) xaddMany(ctx context.Context, key string, firstMs, n int) error {
	p := t.s.Pipeline()
	for i := 0; i < n; i++ {
		p.DoStrings("xadd", key, strconv.Itoa(firstMs+i)+"-1", "f", "v")
	}
	_, err := p.Exec(ctx)
	return err
}

func (t typedSide) xrange10(ctx context.Context, key, start string) error {
	_, err := t.s.XRange(ctx, key, start, "+", 10)
	return err
}

func (t typedSide) xgroupCreate(ctx context.Context, key, group string) error {
	return t.s.XGroupCreate(ctx, key, group, "0", embedis.XGroupOptions{})
}

func (t typedSide) xreadGroupAck(ctx context.Context, key, group string) error {
	ss, err := t.s.XReadGroup(ctx, embedis.XReadGroupArgs{Group: group, Consumer: "c", Streams: []string{key}, IDs: []string{">"}, Count: 1})
	if err != nil {
		return err
	}
	_, err = t.s.XAck(ctx, key, group, ss[0].Messages[0].ID)
	return err
}

func (t typedSide) lpushRPop(ctx context.Context, key, v string) error {
	if _, err := t.s.LPush(ctx, key, v); err != nil {
		return err
	}
	_, err := t.s.RPop(ctx, key)
	return err
}

func (t typedSide) saddSIsMember(ctx context.Context, key, m string) error {
	if _, err := t.s.SAdd(ctx, key, m); err != nil {
		return err
	}
	_, err := t.s.SIsMember(ctx, key, m)
	return err
}

func (t typedSide) hsetHGet(ctx context.Context, key, f, v string) error {
	if _, err := t.s.HSet(ctx, key, f, v); err != nil {
		return err
	}
	_, err := t.s.HGet(ctx, key, f)
	return err
}

func (t typedSide) zadd(ctx context.Context, key, m string, score float64) error {
	_, err := t.s.ZAdd(ctx, key, embedis.ZAddOptions{}, embedis.Z{Member: m, Score: score})
	return err
}

func (t typedSide) zincrBy(ctx context.Context, key, m string, by float64) error {
	_, err := t.s.ZIncrBy(ctx, key, by, m)
	return err
}

func (t typedSide) zrank(ctx context.Context, key, m string) error {
	_, err := t.s.ZRank(ctx, key, m)
	return err
}

func (t typedSide) zrangeTop10(ctx context.Context, key string) error {
	ms, err := t.s.ZRange(ctx, key, "0", "9", embedis.ZRangeOptions{Rev: true})
	if err == nil && len(ms) != 10 {
		panic("ZRANGE top-10: " + strconv.Itoa(len(ms)) + " members")
	}
	return err
}

func (t typedSide) zaddMany(ctx context.Context, key string, ms []embedis.Z) error {
	_, err := t.s.ZAdd(ctx, key, embedis.ZAddOptions{}, ms...)
	return err
}

func (t typedSide) geoAddMany(ctx context.Context, key string, ls []embedis.GeoLocation) error {
	_, err := t.s.GeoAdd(ctx, key, embedis.GeoAddOptions{}, ls...)
	return err
}

func (t typedSide) geoRadius(ctx context.Context, key string, lon, lat, km float64) (int, error) {
	res, err := t.s.GeoSearch(ctx, key, embedis.GeoSearchQuery{Longitude: lon, Latitude: lat, Radius: km,
		GeoQueryOptions: embedis.GeoQueryOptions{Unit: "km"}})
	return len(res), err
}

// clientSide is go-redis talking to a server.
type clientSide struct{ c *redis.Client }

func (r clientSide) lpushRPop(ctx context.Context, key, v string) error {
	if err := r.c.LPush(ctx, key, v).Err(); err != nil {
		return err
	}
	return r.c.RPop(ctx, key).Err()
}

func (r clientSide) saddSIsMember(ctx context.Context, key, m string) error {
	if err := r.c.SAdd(ctx, key, m).Err(); err != nil {
		return err
	}
	return r.c.SIsMember(ctx, key, m).Err()
}

func (r clientSide) hsetHGet(ctx context.Context, key, f, v string) error {
	if err := r.c.HSet(ctx, key, f, v).Err(); err != nil {
		return err
	}
	return r.c.HGet(ctx, key, f).Err()
}

func (r clientSide) zadd(ctx context.Context, key, m string, score float64) error {
	return r.c.ZAdd(ctx, key, redis.Z{Member: m, Score: score}).Err()
}

func (r clientSide) zincrBy(ctx context.Context, key, m string, by float64) error {
	return r.c.ZIncrBy(ctx, key, by, m).Err()
}

func (r clientSide) zrank(ctx context.Context, key, m string) error {
	return r.c.ZRank(ctx, key, m).Err()
}

func (r clientSide) zrangeTop10(ctx context.Context, key string) error {
	ms, err := r.c.ZRevRange(ctx, key, 0, 9).Result()
	if err == nil && len(ms) != 10 {
		panic("ZRANGE top-10: " + strconv.Itoa(len(ms)) + " members")
	}
	return err
}

func (r clientSide) zaddMany(ctx context.Context, key string, ms []embedis.Z) error {
	zs := make([]redis.Z, len(ms))
	for i, m := range ms {
		zs[i] = redis.Z{Member: m.Member, Score: m.Score}
	}
	return r.c.ZAdd(ctx, key, zs...).Err()
}

func (r clientSide) geoAddMany(ctx context.Context, key string, ls []embedis.GeoLocation) error {
	gs := make([]*redis.GeoLocation, len(ls))
	for i, l := range ls {
		gs[i] = &redis.GeoLocation{Name: l.Name, Longitude: l.Longitude, Latitude: l.Latitude}
	}
	return r.c.GeoAdd(ctx, key, gs...).Err()
}

func (r clientSide) geoRadius(ctx context.Context, key string, lon, lat, km float64) (int, error) {
	res, err := r.c.GeoSearch(ctx, key, &redis.GeoSearchQuery{Longitude: lon, Latitude: lat, Radius: km, RadiusUnit: "km"}).Result()
	return len(res), err
}

// serverTime is the time a redis-server spent executing commands, from
// INFO commandstats, so its figures can be split into the command itself
// and the round trip. embedis does not keep commandstats; for it
// serverTime reports false.
func (r clientSide) xaddAuto(ctx context.Context, key string) error {
	return r.c.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []string{"f", "v"}}).Err()
}

func (r clientSide) xaddMany(ctx context.Context, key string, firstMs, n int) error {
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := 0; i < n; i++ {
			p.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: strconv.Itoa(firstMs+i) + "-1", Values: []string{"f", "v"}})
		}
		return nil
	})
	return err
}

func (r clientSide) xrange10(ctx context.Context, key, start string) error {
	return r.c.XRangeN(ctx, key, start, "+", 10).Err()
}

func (r clientSide) xgroupCreate(ctx context.Context, key, group string) error {
	return r.c.XGroupCreate(ctx, key, group, "0").Err()
}

func (r clientSide) xreadGroupAck(ctx context.Context, key, group string) error {
	ss, err := r.c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: "c", Streams: []string{key, ">"}, Count: 1}).Result()
	if err != nil {
		return err
	}
	return r.c.XAck(ctx, key, group, ss[0].Messages[0].ID).Err()
}

// groups numbers the consumer groups XREADGROUP+XACK creates, one per run.
var groups int

// buildStream fills key with n entries with IDs 1-1, 2-1, ... in batches.
func buildStream(b *testing.B, d dataTypes, key string, n int) {
	ctx := context.Background()
	for i := 0; i < n; i += 1000 {
		if err := d.xaddMany(ctx, key, i+1, min(1000, n-i)); err != nil {
			b.Fatal(err)
		}
	}
}

func serverTime(ctx context.Context, d dataTypes, cmds ...string) (time.Duration, bool) {
	r, ok := d.(clientSide)
	if !ok {
		return 0, false
	}
	info, err := r.c.Info(ctx, "commandstats").Result()
	if err != nil {
		return 0, false
	}
	var usec int64
	found := false
	for _, line := range strings.Split(info, "\r\n") {
		for _, c := range cmds {
			rest, ok := strings.CutPrefix(line, "cmdstat_"+c+":")
			if !ok {
				continue
			}
			for _, f := range strings.Split(rest, ",") {
				if v, ok := strings.CutPrefix(f, "usec="); ok {
					n, err := strconv.ParseInt(v, 10, 64)
					if err == nil {
						usec += n
						found = true
					}
				}
			}
		}
	}
	return time.Duration(usec) * time.Microsecond, found
}

// resetStats clears a server's commandstats (CONFIG RESETSTAT); errors
// are ignored (embedis keeps none).
func resetStats(ctx context.Context, d dataTypes) {
	if r, ok := d.(clientSide); ok {
		r.c.ConfigResetStat(ctx)
	}
}

// measured runs body under b.Loop and, for a server that keeps
// commandstats, reports the time it spent executing cmds per operation as
// srv-ns/op.
func measured(b *testing.B, d dataTypes, cmds []string, body func(i int) error) {
	ctx := context.Background()
	b.ReportAllocs()
	resetStats(ctx, d)
	for i := 0; b.Loop(); i++ {
		if err := body(i); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if t, ok := serverTime(ctx, d, cmds...); ok {
		b.ReportMetric(float64(t.Nanoseconds())/float64(b.N), "srv-ns/op")
	}
}

// Sizes of the big structures.
const (
	bigZSet   = 1_000_000
	smallZSet = 1_000
	geoPoints = 100_000
)

// zsetMember is the name of member i of the benchmark sets.
func zsetMember(i int) string { return "member:" + strconv.Itoa(i) }

// buildZSet fills key with n members whose scores are seeded random
// numbers, 1,000 members per ZADD.
func buildZSet(b *testing.B, d dataTypes, key string, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, uint64(n)))
	ms := make([]embedis.Z, 0, 1000)
	for i := range n {
		ms = append(ms, embedis.Z{Member: zsetMember(i), Score: float64(r.IntN(10 * n))})
		if len(ms) == cap(ms) || i == n-1 {
			if err := d.zaddMany(ctx, key, ms); err != nil {
				b.Fatal(err)
			}
			ms = ms[:0]
		}
	}
}

// buildGeo fills key with n points spread uniformly over a 10 by 10 degree
// square (longitude 5–15, latitude 40–50: about 1,100 km across).
func buildGeo(b *testing.B, d dataTypes, key string, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(42, 42))
	ls := make([]embedis.GeoLocation, 0, 1000)
	for i := range n {
		ls = append(ls, embedis.GeoLocation{Name: "p" + strconv.Itoa(i), Longitude: 5 + 10*r.Float64(), Latitude: 40 + 10*r.Float64()})
		if len(ls) == cap(ls) || i == n-1 {
			if err := d.geoAddMany(ctx, key, ls); err != nil {
				b.Fatal(err)
			}
			ls = ls[:0]
		}
	}
}

func dataTypeSides() []struct {
	name string
	open func(b *testing.B) dataTypes
} {
	return []struct {
		name string
		open func(b *testing.B) dataTypes
	}{
		{"embedis-typed", func(b *testing.B) dataTypes { return typedSide{openStore(b)} }},
		{"embedis-tcp", func(b *testing.B) dataTypes {
			s := openStore(b)
			return clientSide{newClient(b, &redis.Options{Addr: serveLoopback(b, s)})}
		}},
		{"redis-server", func(b *testing.B) dataTypes {
			return clientSide{newClient(b, &redis.Options{Addr: startRedis(b)})}
		}},
	}
}

// BenchmarkDataTypes measures, per side: LPUSH+RPOP, SADD+SISMEMBER and
// HSET+HGET pairs (ns/op is per pair, two commands); ZADD (a score
// update), ZINCRBY, ZRANK and ZRANGE top-10 on a 1,000,000-member sorted
// set, ZRANK on a 1,000-member one; and GEOSEARCH BYRADIUS over 100,000
// points. The big structures are built once per side (and per -count) and
// shared by the sub-benchmarks; the log says how long that took.
// For redis-server, srv-ns/op is the time the server itself spent in the
// commands (INFO commandstats), the rest being the round trip.
func BenchmarkDataTypes(b *testing.B) {
	ctx := context.Background()
	for _, side := range dataTypeSides() {
		b.Run(side.name, func(b *testing.B) {
			d := side.open(b)
			pairs := []struct {
				name string
				cmds []string
				do   func(i int) error
			}{
				{"LPUSH+RPOP", []string{"lpush", "rpop"}, func(i int) error { return d.lpushRPop(ctx, "list", "value") }},
				{"SADD+SISMEMBER", []string{"sadd", "sismember"}, func(i int) error { return d.saddSIsMember(ctx, "set", zsetMember(i%10_000)) }},
				{"HSET+HGET", []string{"hset", "hget"}, func(i int) error { return d.hsetHGet(ctx, "hash", zsetMember(i%10_000), "value") }},
			}
			for _, p := range pairs {
				b.Run(p.name, func(b *testing.B) { measured(b, d, p.cmds, p.do) })
			}

			start := time.Now()
			buildZSet(b, d, "z1000", smallZSet)
			buildZSet(b, d, "z1000000", bigZSet)
			buildGeo(b, d, "geo", geoPoints)
			b.Logf("%s: built the sorted sets and the geo set in %v", side.name, time.Since(start).Round(time.Millisecond))

			// Members to touch, drawn from a seeded stream so that every
			// side sees the same sequence.
			pick := func(n int) func() string {
				r := rand.New(rand.NewPCG(7, 7))
				return func() string { return zsetMember(r.IntN(n)) }
			}
			for _, n := range []int{smallZSet, bigZSet} {
				key := "z" + strconv.Itoa(n)
				b.Run("ZRANK/"+strconv.Itoa(n), func(b *testing.B) {
					next := pick(n)
					measured(b, d, []string{"zrank"}, func(int) error { return d.zrank(ctx, key, next()) })
				})
			}
			key := "z" + strconv.Itoa(bigZSet)
			b.Run("ZADD/1000000", func(b *testing.B) {
				next := pick(bigZSet)
				r := rand.New(rand.NewPCG(8, 8))
				measured(b, d, []string{"zadd"}, func(int) error { return d.zadd(ctx, key, next(), float64(r.IntN(10*bigZSet))) })
			})
			b.Run("ZINCRBY/1000000", func(b *testing.B) {
				next := pick(bigZSet)
				measured(b, d, []string{"zincrby"}, func(int) error { return d.zincrBy(ctx, key, next(), 1) })
			})
			b.Run("ZRANGE-top10/1000000", func(b *testing.B) {
				// go-redis sends ZREVRANGE; the typed API ZRANGE ... REV.
				measured(b, d, []string{"zrevrange", "zrange"}, func(int) error { return d.zrangeTop10(ctx, key) })
			})
			b.Run("XADD-auto", func(b *testing.B) {
				measured(b, d, []string{"xadd"}, func(int) error { return d.xaddAuto(ctx, "xauto") })
			})
			start = time.Now()
			buildStream(b, d, "x1000000", bigZSet)
			b.Logf("%s: built the 1,000,000-entry stream in %v", side.name, time.Since(start).Round(time.Millisecond))
			b.Run("XRANGE-10-mid/1000000", func(b *testing.B) {
				r := rand.New(rand.NewPCG(10, 10))
				measured(b, d, []string{"xrange"}, func(int) error {
					return d.xrange10(ctx, "x1000000", strconv.Itoa(bigZSet/4+r.IntN(bigZSet/2)))
				})
			})
			b.Run("XREADGROUP+XACK", func(b *testing.B) {
				// A fresh group per run reads the big stream from its start.
				groups++
				group := "g" + strconv.Itoa(groups)
				if err := d.xgroupCreate(ctx, "x1000000", group); err != nil {
					b.Fatal(err)
				}
				if b.N > bigZSet {
					b.Fatalf("b.N %d exceeds the stream's %d entries", b.N, bigZSet)
				}
				measured(b, d, []string{"xreadgroup", "xack"}, func(int) error { return d.xreadGroupAck(ctx, "x1000000", group) })
			})
			for _, km := range []float64{10, 30, 170} {
				b.Run("GEOSEARCH/radius="+strconv.FormatFloat(km, 'f', -1, 64)+"km", func(b *testing.B) {
					r := rand.New(rand.NewPCG(9, 9))
					found := 0
					measured(b, d, []string{"geosearch"}, func(int) error {
						n, err := d.geoRadius(ctx, "geo", 7+6*r.Float64(), 42+6*r.Float64(), km)
						found += n
						return err
					})
					b.ReportMetric(float64(found)/float64(b.N), "results/op")
				})
			}
		})
	}
}
