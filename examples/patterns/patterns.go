package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

// sessionCache: a session stored as JSON with a sliding 30-minute TTL,
// refreshed on every access and deleted at logout.
func sessionCache(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	type session struct {
		User  string   `json:"user"`
		Roles []string `json:"roles"`
	}
	b, _ := json.Marshal(session{User: "alice", Roles: []string{"admin"}})
	if err := rdb.Set(ctx, "session:abc", b, 30*time.Minute).Err(); err != nil {
		return err
	}
	// On each request: read it and push its expiry back (GETEX does both).
	raw, err := rdb.GetEx(ctx, "session:abc", 30*time.Minute).Bytes()
	if err != nil {
		return err
	}
	var got session
	if err := json.Unmarshal(raw, &got); err != nil {
		return err
	}
	ttl, err := rdb.TTL(ctx, "session:abc").Result()
	if err != nil {
		return err
	}
	fmt.Printf("session abc: user=%s roles=%v, expires within 30m: %v\n", got.User, got.Roles, ttl > 29*time.Minute && ttl <= 30*time.Minute)
	// Logout.
	rdb.Del(ctx, "session:abc")
	fmt.Println("after logout:", rdb.Get(ctx, "session:abc").Err())
	return nil
}

// pageViews: a counter per page and a per-day breakdown in a hash.
func pageViews(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	for _, hit := range []struct{ page, day string }{
		{"/home", "2026-01-01"}, {"/home", "2026-01-01"}, {"/pricing", "2026-01-01"}, {"/home", "2026-01-02"},
	} {
		pipe := rdb.Pipeline()
		pipe.Incr(ctx, "views:"+hit.page)
		pipe.HIncrBy(ctx, "views:"+hit.page+":daily", hit.day, 1)
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
	}
	home, err := rdb.Get(ctx, "views:/home").Int()
	if err != nil {
		return err
	}
	daily, err := rdb.HGetAll(ctx, "views:/home:daily").Result()
	if err != nil {
		return err
	}
	fmt.Printf("/home: %d views, by day %v\n", home, daily)
	return nil
}

// releaseScript deletes the lock only while it holds the caller's token,
// so a client whose lock expired cannot release another client's lock.
var releaseScript = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`)

// distributedLock: SET NX PX with a random token, and the safe release.
func distributedLock(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	acquire := func(token string) (bool, error) {
		return rdb.SetNX(ctx, "lock:report", token, 10*time.Second).Result()
	}
	ok1, err := acquire("token-worker-1")
	if err != nil {
		return err
	}
	ok2, err := acquire("token-worker-2")
	if err != nil {
		return err
	}
	fmt.Printf("worker-1 acquired: %v, worker-2 acquired: %v\n", ok1, ok2)
	n, err := releaseScript.Run(ctx, rdb, []string{"lock:report"}, "token-worker-2").Int()
	if err != nil {
		return err
	}
	fmt.Printf("worker-2 release with its own token: %d (not its lock)\n", n)
	n, err = releaseScript.Run(ctx, rdb, []string{"lock:report"}, "token-worker-1").Int()
	if err != nil {
		return err
	}
	fmt.Printf("worker-1 release: %d\n", n)
	ok2, err = acquire("token-worker-2")
	fmt.Printf("worker-2 acquired after release: %v\n", ok2)
	return err
}

// fixedWindow allows ARGV[2] calls per ARGV[1] seconds for KEYS[1].
var fixedWindow = redis.NewScript(`local current = redis.call('INCR', KEYS[1]) if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end if current > tonumber(ARGV[2]) then return 0 end return 1`)

// slidingWindow keeps the timestamps (ms, ARGV[1]) of the calls of the
// last ARGV[2] ms in a sorted set, and admits a call while fewer than
// ARGV[3] are in the window. ARGV[4] makes each member unique.
var slidingWindow = redis.NewScript(`
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1] .. '-' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1`)

// rateLimiters: a fixed window (INCR + EXPIRE) and a sliding window (a
// sorted set of call times), both as scripts so each check is atomic.
func rateLimiters(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	allowed := 0
	for range 7 {
		ok, err := fixedWindow.Run(ctx, rdb, []string{"rl:fixed:alice"}, 60, 5).Int()
		if err != nil {
			return err
		}
		allowed += ok
	}
	fmt.Printf("fixed window: allowed %d of 7 (limit 5 per minute)\n", allowed)

	// Call times in ms, given explicitly so the run is reproducible: at
	// most 3 calls in any 1000 ms.
	var verdicts []string
	for i, at := range []int64{0, 100, 200, 300, 1050, 1100, 1150, 2500} {
		ok, err := slidingWindow.Run(ctx, rdb, []string{"rl:sliding:alice"}, at, 1000, 3, i).Int()
		if err != nil {
			return err
		}
		verdicts = append(verdicts, fmt.Sprintf("%d:%v", at, ok == 1))
	}
	fmt.Println("sliding window:", strings.Join(verdicts, " "))
	return nil
}

// leaderboard: scores in a sorted set, the top N and a player's rank.
func leaderboard(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	if err := rdb.ZAdd(ctx, "game:scores",
		redis.Z{Score: 250, Member: "alice"}, redis.Z{Score: 180, Member: "bob"},
		redis.Z{Score: 300, Member: "carol"}, redis.Z{Score: 90, Member: "dave"}).Err(); err != nil {
		return err
	}
	rdb.ZIncrBy(ctx, "game:scores", 10, "carol")
	top, err := rdb.ZRevRangeWithScores(ctx, "game:scores", 0, 2).Result()
	if err != nil {
		return err
	}
	var parts []string
	for _, z := range top {
		parts = append(parts, fmt.Sprintf("%s=%g", z.Member, z.Score))
	}
	rank, err := rdb.ZRevRank(ctx, "game:scores", "dave").Result()
	if err != nil {
		return err
	}
	fmt.Printf("top 3: %s; dave is #%d\n", strings.Join(parts, " "), rank+1)
	return nil
}

// messageQueue: producers LPUSH jobs, a worker takes them with BRPOP,
// waiting while the queue is empty.
func messageQueue(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	got := make(chan string)
	errc := make(chan error, 1)
	go func() {
		for range 3 {
			kv, err := rdb.BRPop(ctx, 5*time.Second, "jobs").Result()
			if err != nil {
				errc <- err
				return
			}
			got <- kv[1]
		}
		errc <- nil
	}()
	for i := 1; i <= 3; i++ {
		if err := rdb.LPush(ctx, "jobs", fmt.Sprintf("job-%d", i)).Err(); err != nil {
			return err
		}
	}
	for range 3 {
		select {
		case j := <-got:
			fmt.Println("worker processed", j)
		case err := <-errc:
			return err
		}
	}
	return <-errc
}

// activityFeed: each user's latest events, newest first, capped at 5 with
// LTRIM after every push.
func activityFeed(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	for i := 1; i <= 8; i++ {
		pipe := rdb.TxPipeline()
		pipe.LPush(ctx, "feed:alice", fmt.Sprintf("event-%d", i))
		pipe.LTrim(ctx, "feed:alice", 0, 4)
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
	}
	feed, err := rdb.LRange(ctx, "feed:alice", 0, -1).Result()
	if err != nil {
		return err
	}
	fmt.Printf("feed (%d kept): %s\n", len(feed), strings.Join(feed, " "))
	return nil
}

// tagsAndFriends: sets of friends and of tagged articles, intersected.
func tagsAndFriends(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	rdb.SAdd(ctx, "friends:alice", "bob", "carol", "dave", "erin")
	rdb.SAdd(ctx, "friends:bob", "alice", "carol", "erin", "frank")
	mutual, err := rdb.SInter(ctx, "friends:alice", "friends:bob").Result()
	if err != nil {
		return err
	}
	sort.Strings(mutual)
	fmt.Println("mutual friends of alice and bob:", mutual)
	rdb.SAdd(ctx, "tag:go", "article:1", "article:2", "article:4")
	rdb.SAdd(ctx, "tag:redis", "article:2", "article:3", "article:4")
	both, err := rdb.SInter(ctx, "tag:go", "tag:redis").Result()
	if err != nil {
		return err
	}
	sort.Strings(both)
	fmt.Println("articles tagged go and redis:", both)
	return nil
}

// nearbyDrivers: driver positions with GEOADD, the nearest within a
// radius with GEOSEARCH.
func nearbyDrivers(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	if err := rdb.GeoAdd(ctx, "drivers",
		&redis.GeoLocation{Name: "driver-1", Longitude: 2.3522, Latitude: 48.8566}, // Paris centre
		&redis.GeoLocation{Name: "driver-2", Longitude: 2.2945, Latitude: 48.8584}, // Eiffel Tower
		&redis.GeoLocation{Name: "driver-3", Longitude: 2.3376, Latitude: 48.8606}, // Louvre
		&redis.GeoLocation{Name: "driver-4", Longitude: 2.5479, Latitude: 49.0097}, // CDG airport
	).Err(); err != nil {
		return err
	}
	near, err := rdb.GeoSearchLocation(ctx, "drivers", &redis.GeoSearchLocationQuery{
		GeoSearchQuery: redis.GeoSearchQuery{Longitude: 2.3470, Latitude: 48.8589, Radius: 5, RadiusUnit: "km", Sort: "ASC"},
		WithDist:       true,
	}).Result()
	if err != nil {
		return err
	}
	var parts []string
	for _, l := range near {
		parts = append(parts, fmt.Sprintf("%s %.2fkm", l.Name, l.Dist))
	}
	fmt.Println("drivers within 5 km:", strings.Join(parts, ", "))
	return nil
}

// eventLog: a stream read by a consumer group; entries a crashed consumer
// left pending are taken over with XAUTOCLAIM.
func eventLog(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	for _, typ := range []string{"signup", "login", "purchase"} {
		if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: "events", Values: []string{"type", typ}}).Err(); err != nil {
			return err
		}
	}
	if err := rdb.XGroupCreate(ctx, "events", "workers", "0").Err(); err != nil {
		return err
	}
	// consumer-a reads everything, handles the first entry and crashes.
	read, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "workers", Consumer: "consumer-a", Streams: []string{"events", ">"}}).Result()
	if err != nil {
		return err
	}
	msgs := read[0].Messages
	rdb.XAck(ctx, "events", "workers", msgs[0].ID)
	fmt.Printf("consumer-a read %d, acked 1, then crashed\n", len(msgs))
	// consumer-b takes over what is pending. In production MinIdle would
	// be a minute or so: only entries nobody touched for that long.
	claimed, _, err := rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: "events", Group: "workers", Consumer: "consumer-b", MinIdle: 0, Start: "0"}).Result()
	if err != nil {
		return err
	}
	var types []string
	for _, m := range claimed {
		types = append(types, m.Values["type"].(string))
		rdb.XAck(ctx, "events", "workers", m.ID)
	}
	pending, err := rdb.XPending(ctx, "events", "workers").Result()
	if err != nil {
		return err
	}
	fmt.Printf("consumer-b recovered %v; %d pending\n", types, pending.Count)
	return nil
}

// optimisticLocking: concurrent read-modify-write with WATCH; a
// transaction whose key changed meanwhile fails and is retried.
func optimisticLocking(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	incr := func() error {
		for {
			err := rdb.Watch(ctx, func(tx *redis.Tx) error {
				n, err := tx.Get(ctx, "balance").Int()
				if err != nil && !errors.Is(err, redis.Nil) {
					return err
				}
				_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.Set(ctx, "balance", strconv.Itoa(n+10), 0)
					return nil
				})
				return err
			}, "balance")
			if !errors.Is(err, redis.TxFailedErr) {
				return err
			}
			// Another client changed balance between GET and EXEC: retry.
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- incr()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	n, err := rdb.Get(ctx, "balance").Int()
	fmt.Printf("balance after 20 concurrent deposits of 10: %d\n", n)
	return err
}

// dailyActiveUsers: a bitmap per day indexed by user ID (exact counts,
// AND across days), and a HyperLogLog per day (approximate counts of any
// IDs in 12 KB).
func dailyActiveUsers(ctx context.Context, _ *embedis.Store, rdb *redis.Client) error {
	days := map[string][]int64{
		"2026-01-01": {1, 5, 9, 12, 40},
		"2026-01-02": {5, 9, 41},
	}
	for day, ids := range days {
		for _, id := range ids {
			rdb.SetBit(ctx, "dau:"+day, id, 1)
			rdb.PFAdd(ctx, "dau:hll:"+day, "user-"+strconv.FormatInt(id, 10))
		}
	}
	d1, _ := rdb.BitCount(ctx, "dau:2026-01-01", nil).Result()
	d2, _ := rdb.BitCount(ctx, "dau:2026-01-02", nil).Result()
	rdb.BitOpAnd(ctx, "dau:both", "dau:2026-01-01", "dau:2026-01-02")
	both, err := rdb.BitCount(ctx, "dau:both", nil).Result()
	if err != nil {
		return err
	}
	fmt.Printf("bitmaps: %d active on day 1, %d on day 2, %d on both\n", d1, d2, both)
	uniq, err := rdb.PFCount(ctx, "dau:hll:2026-01-01", "dau:hll:2026-01-02").Result()
	if err != nil {
		return err
	}
	fmt.Printf("hyperloglog: about %d distinct users over the two days\n", uniq)
	return nil
}
