package embedis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
)

func TestSubscriptionReceive(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	sub, err := s.Subscribe(ctx, "a", "b")
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, sub.PSubscribe(ctx, "n.*"))

	n, err := s.Publish(ctx, "a", "1")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = s.Publish(ctx, "n.x", "2")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = s.Publish(ctx, "zzz", "3")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)

	m, err := sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, embedis.Message{Channel: "a", Payload: "1"}, m)
	m, err = sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, embedis.Message{Channel: "n.x", Pattern: "n.*", Payload: "2"}, m)

	require.NoError(t, sub.Unsubscribe(ctx, "a"))
	require.NoError(t, sub.PUnsubscribe(ctx))
	n, err = s.Publish(ctx, "a", "gone")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	n, err = s.Publish(ctx, "b", "still")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	m, err = sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, "still", m.Payload)

	// Receive honours its context when nothing arrives.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = sub.Receive(cctx)
	require.ErrorIs(t, err, context.Canceled)

	require.NoError(t, sub.Close())
	require.NoError(t, sub.Close())
	_, err = sub.Receive(ctx)
	require.ErrorIs(t, err, embedis.ErrSubscriptionClosed)
	require.ErrorIs(t, sub.Subscribe(ctx, "x"), embedis.ErrSubscriptionClosed)
	require.ErrorIs(t, sub.Err(), embedis.ErrSubscriptionClosed)
}

func TestSubscriptionShard(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	sub := s.NewSubscription(4)
	defer sub.Close()
	require.NoError(t, sub.SSubscribe(ctx, "s"))
	n, err := s.SPublish(ctx, "s", "m")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = s.Publish(ctx, "s", "not shard")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	m := <-sub.Channel()
	require.Equal(t, embedis.Message{Channel: "s", Payload: "m", Shard: true}, m)
}

// A subscriber whose buffer is full is dropped: it keeps the buffered
// messages, then gets ErrSlowSubscriber; the publisher never waits.
func TestSubscriptionSlowIsDropped(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	sub := s.NewSubscription(3)
	defer sub.Close()
	require.NoError(t, sub.Subscribe(ctx, "c"))
	for i := 0; i < 5; i++ {
		n, err := s.Publish(ctx, "c", strconv.Itoa(i))
		require.NoError(t, err)
		// The message that overflows still counts as received by one,
		// as Redis counts a client it then disconnects.
		want := int64(1)
		if i > 3 {
			want = 0
		}
		require.Equal(t, want, n, "publish %d", i)
	}
	var got []string
	for msg, err := range sub.Messages(ctx) {
		if err != nil {
			require.ErrorIs(t, err, embedis.ErrSlowSubscriber)
			break
		}
		got = append(got, msg.Payload)
	}
	require.Equal(t, []string{"0", "1", "2"}, got)
	require.ErrorIs(t, sub.Err(), embedis.ErrSlowSubscriber)
	v, err := s.Do(ctx, "PUBSUB", "NUMSUB", "c")
	require.NoError(t, err)
	require.Equal(t, "1) \"c\"\n2) (integer) 0", fmt.Sprint(v))
}

func TestSubscriptionStoreClose(t *testing.T) {
	s, err := embedis.Open(embedis.Options{})
	require.NoError(t, err)
	ctx := context.Background()
	sub, err := s.Subscribe(ctx, "c")
	require.NoError(t, err)
	idle := s.NewSubscription(1) // never subscribed
	_, err = s.Publish(ctx, "c", "last")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	m, err := sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, "last", m.Payload)
	_, err = sub.Receive(ctx)
	require.ErrorIs(t, err, embedis.ErrClosed)
	_, ok := <-sub.Channel()
	require.False(t, ok)
	_, err = idle.Receive(ctx)
	require.ErrorIs(t, err, embedis.ErrClosed)
	require.NoError(t, sub.Close())
	_, err = s.Subscribe(ctx, "c")
	require.ErrorIs(t, err, embedis.ErrClosed)
}

// Keyspace notifications reach Go subscribers, and expiry on the store's
// clock raises "expired" when a lookup finds the key past its time.
func TestKeyspaceNotificationsExpired(t *testing.T) {
	clk := embedis.NewManualClock(time.Unix(1_700_000_000, 0))
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	ctx := context.Background()
	_, err := s.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "Egx")
	require.NoError(t, err)
	sub, err := s.PSubscribe(ctx, "__keyevent@0__:*")
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, s.Set(ctx, "k", "v", embedis.SetOptions{TTL: time.Second}))
	clk.Advance(2 * time.Second)
	_, err = s.Get(ctx, "k")
	require.ErrorIs(t, err, embedis.Nil)
	m, err := sub.Receive(ctx)
	require.NoError(t, err)
	// SET's "set" is class $, not selected; its "expire" is g.
	require.Equal(t, embedis.Message{Pattern: "__keyevent@0__:*", Channel: "__keyevent@0__:expire", Payload: "k"}, m)
	m, err = sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, embedis.Message{Pattern: "__keyevent@0__:*", Channel: "__keyevent@0__:expired", Payload: "k"}, m)

	v, err := s.Do(ctx, "CONFIG", "GET", "notify-keyspace-events")
	require.NoError(t, err)
	require.Equal(t, "1) \"notify-keyspace-events\"\n2) \"gxE\"", fmt.Sprint(v))
	v, err = s.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "Kw")
	require.NoError(t, err)
	require.EqualError(t, v.Err(), "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
}

func TestGoRedisPubSub(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	ps := c.Subscribe(ctx, "news")
	defer ps.Close()
	// Receive the confirmation, so the subscription is in place.
	v, err := ps.ReceiveTimeout(ctx, 5*time.Second)
	require.NoError(t, err)
	require.Equal(t, &redis.Subscription{Kind: "subscribe", Channel: "news", Count: 1}, v)
	require.NoError(t, ps.PSubscribe(ctx, "n*"))
	v, err = ps.ReceiveTimeout(ctx, 5*time.Second)
	require.NoError(t, err)
	require.Equal(t, &redis.Subscription{Kind: "psubscribe", Channel: "n*", Count: 2}, v)

	n, err := c.Publish(ctx, "news", "hello").Result()
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	ch := ps.Channel()
	m1, m2 := <-ch, <-ch
	require.Equal(t, "news", m1.Channel)
	require.Equal(t, "hello", m1.Payload)
	require.Equal(t, "", m1.Pattern)
	require.Equal(t, "n*", m2.Pattern)
	require.Equal(t, "hello", m2.Payload)

	nums, err := c.PubSubNumSub(ctx, "news").Result()
	require.NoError(t, err)
	require.Equal(t, map[string]int64{"news": 1}, nums)
	np, err := c.PubSubNumPat(ctx).Result()
	require.NoError(t, err)
	require.EqualValues(t, 1, np)
	chans, err := c.PubSubChannels(ctx, "*").Result()
	require.NoError(t, err)
	require.Equal(t, []string{"news"}, chans)
}

// TestPubSubRace has publishers and subscribers (Go and wire) come and go
// at once. For each subscription and publisher, the messages received are
// consecutive (none lost, none twice, in publish order), and the first
// one is neither older than what the publisher had finished before the
// subscription began nor newer than the first it published after the
// subscription was acknowledged.
func TestPubSubRace(t *testing.T) {
	const (
		publishers  = 4
		subscribers = 6
		perPub      = 400
	)
	s := embedistest.Open(t)
	ctx := context.Background()
	var acked [publishers]atomic.Int64 // messages whose Publish returned
	var pubWG, subWG sync.WaitGroup
	done := make(chan struct{})
	for p := 0; p < publishers; p++ {
		pubWG.Add(1)
		go func() {
			defer pubWG.Done()
			for i := 0; i < perPub; i++ {
				if _, err := s.Publish(ctx, "race", fmt.Sprintf("%d:%d", p, i)); err != nil {
					t.Errorf("publish: %v", err)
					return
				}
				acked[p].Add(1)
			}
		}()
	}
	snapshot := func() (a [publishers]int64) {
		for p := range a {
			a[p] = acked[p].Load()
		}
		return a
	}
	for k := 0; k < subscribers; k++ {
		subWG.Add(1)
		go func() {
			defer subWG.Done()
			rnd := rand.New(rand.NewPCG(uint64(k), 7))
			for {
				before := snapshot()
				next, closeSub := subscribeForRace(t, s, k%2 == 0)
				after := snapshot()
				select {
				case <-done: // "stop" may have gone out before the ack
					closeSub()
					return
				default:
				}
				first := map[int]bool{}
				last := map[int]int{}
				stop := false
				for n := 5 + rnd.IntN(100); n > 0 && !stop; n-- {
					payload, err := next()
					if err != nil {
						t.Errorf("receive: %v", err)
						break
					}
					if payload == "stop" {
						stop = true
						break
					}
					var p, i int
					if _, err := fmt.Sscanf(payload, "%d:%d", &p, &i); err != nil {
						t.Errorf("bad payload %q", payload)
						continue
					}
					if !first[p] {
						first[p] = true
						if int64(i) < before[p] || int64(i) > after[p]+1 {
							t.Errorf("subscriber %d: first message %d of publisher %d outside [%d, %d]", k, i, p, before[p], after[p]+1)
						}
					} else if i != last[p]+1 {
						t.Errorf("subscriber %d: publisher %d: message %d after %d", k, p, i, last[p])
					}
					last[p] = i
				}
				closeSub()
				if stop {
					return
				}
			}
		}()
	}
	pubWG.Wait()
	close(done)
	if _, err := s.Publish(ctx, "race", "stop"); err != nil {
		t.Fatal(err)
	}
	subWG.Wait()
}

// subscribeForRace subscribes to "race" through the Go API or a go-redis
// connection and returns once the subscription is acknowledged.
func subscribeForRace(t *testing.T, s *embedis.Store, goAPI bool) (next func() (string, error), closeSub func()) {
	ctx := context.Background()
	if goAPI {
		sub, err := s.Subscribe(ctx, "race")
		if err != nil {
			t.Errorf("subscribe: %v", err)
			return func() (string, error) { return "", err }, func() {}
		}
		return func() (string, error) { m, err := sub.Receive(ctx); return m.Payload, err }, func() { sub.Close() }
	}
	c := redis.NewClient(&redis.Options{Dialer: s.DialContext})
	ps := c.Subscribe(ctx, "race")
	if _, err := ps.Receive(ctx); err != nil { // the confirmation
		t.Errorf("subscribe: %v", err)
	}
	return func() (string, error) {
			m, err := ps.ReceiveMessage(ctx)
			if err != nil {
				return "", err
			}
			return m.Payload, nil
		}, func() {
			ps.Close()
			c.Close()
		}
}

func TestClientListPubSub(t *testing.T) {
	c, _ := newGoRedis(t)
	ctx := context.Background()
	ps := c.Subscribe(ctx, "a", "b")
	defer ps.Close()
	require.NoError(t, ps.PSubscribe(ctx, "p*"))
	require.NoError(t, ps.SSubscribe(ctx, "s"))
	for i := 0; i < 4; i++ { // the confirmations: the subscriptions are in place
		_, err := ps.Receive(ctx)
		require.NoError(t, err)
	}
	list, err := c.ClientList(ctx).Result()
	require.NoError(t, err)
	require.Contains(t, list, " flags=P db=0 sub=2 psub=1 ssub=1 ")
	typed, err := c.Do(ctx, "CLIENT", "LIST", "TYPE", "pubsub").Text()
	require.NoError(t, err)
	require.Contains(t, typed, " sub=2 psub=1 ssub=1 ")
	require.Equal(t, 1, strings.Count(typed, "\n"))
	info, err := c.Info(ctx, "stats").Result()
	require.NoError(t, err)
	require.Contains(t, info, "pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n")
}

// A wire subscriber that does not read is disconnected by
// client-output-buffer-limit pubsub, and its subscriptions go with it.
func TestSlowWireSubscriberDisconnected(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	v, err := s.Do(ctx, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 4kb 0 0")
	require.NoError(t, err)
	require.NoError(t, v.Err())
	nc, err := s.DialContext(ctx, "", "")
	require.NoError(t, err)
	defer nc.Close()
	_, err = nc.Write([]byte("*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\nc\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 64)
	_, err = nc.Read(buf) // the confirmation; nothing is read after it
	require.NoError(t, err)
	// The in-memory connection holds up to 1mb unread; beyond it the
	// pushes stay queued and count against the 4kb limit.
	big := strings.Repeat("x", 64<<10)
	dropped := false
	for i := 0; i < 64 && !dropped; i++ {
		n, err := s.Publish(ctx, "c", big)
		require.NoError(t, err)
		dropped = n == 0
	}
	require.True(t, dropped, "the subscriber was never dropped")
	n, err := s.Do(ctx, "PUBSUB", "NUMSUB", "c")
	require.NoError(t, err)
	require.Equal(t, "1) \"c\"\n2) (integer) 0", fmt.Sprint(n))
}

// notify-keyspace-events as CONFIG GET shows it, checked against
// redis-server 7.0.15 by hand: A hides n, and K, E, m come last.
func TestNotifyKeyspaceEventsConfig(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	for in, want := range map[string]string{
		"KEA": "AKE", "Kgmn$": "g$nKm", "KEAnm": "AKEm", "": "", "x": "x", "Ag$lshzxetdKE": "AKE", "zE": "zE",
	} {
		v, err := s.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", in)
		require.NoError(t, err)
		require.NoError(t, v.Err())
		v, err = s.Do(ctx, "CONFIG", "GET", "notify-keyspace-events")
		require.NoError(t, err)
		require.Equal(t, "1) \"notify-keyspace-events\"\n2) \""+want+"\"", fmt.Sprint(v), "set %q", in)
	}
	require.Equal(t, "__keyspace@3__:k", embedis.KeyspaceChannel(3, "k"))
	require.Equal(t, "__keyevent@0__:expired", embedis.KeyeventChannel(0, "expired"))
}

func TestSubscriptionCloseDiscardsBuffered(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	sub, err := s.Subscribe(ctx, "c")
	require.NoError(t, err)
	_, err = s.Publish(ctx, "c", "unread")
	require.NoError(t, err)
	require.NoError(t, sub.Close())
	_, err = sub.Receive(ctx)
	require.ErrorIs(t, err, embedis.ErrSubscriptionClosed)
	_, ok := <-sub.Channel()
	require.False(t, ok)
}

// The active expiry cycle raises "expired" too: no lookup touches the key.
func TestKeyspaceNotificationsActiveExpiry(t *testing.T) {
	clk := embedis.NewManualClock(time.Unix(1_700_000_000, 0))
	s := embedistest.Open(t, embedis.Options{Clock: clk})
	ctx := context.Background()
	_, err := s.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "Ex")
	require.NoError(t, err)
	sub, err := s.Subscribe(ctx, embedis.KeyeventChannel(0, "expired"))
	require.NoError(t, err)
	defer sub.Close()
	require.NoError(t, s.Set(ctx, "k", "v", embedis.SetOptions{TTL: time.Second}))
	clk.Advance(2 * time.Second)
	// The cycle runs on the executor's timer: wait for its event (bounded
	// so that a regression fails instead of hanging).
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	m, err := sub.Receive(wctx)
	require.NoError(t, err)
	require.Equal(t, "k", m.Payload)
}

func TestSubscribeThroughDoRefused(t *testing.T) {
	s := embedistest.Open(t)
	ctx := context.Background()
	for _, cmd := range [][]any{{"SUBSCRIBE", "c"}, {"PSUBSCRIBE", "c*"}, {"SSUBSCRIBE", "c"}, {"UNSUBSCRIBE"}, {"PUNSUBSCRIBE"}, {"SUNSUBSCRIBE"}} {
		v, err := s.Do(ctx, cmd...)
		require.NoError(t, err)
		require.EqualError(t, v.Err(), "ERR subscriptions need a connection; use Store.Subscribe or Store.PSubscribe", "%v", cmd)
	}
	v, err := s.Do(ctx, "PUBLISH", "c", "m")
	require.NoError(t, err)
	require.Equal(t, "(integer) 0", fmt.Sprint(v))
}
