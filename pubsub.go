package embedis

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"

	"github.com/embedis/embedis/internal/glob"
)

// Pub/Sub: SUBSCRIBE and friends over the wire, PUBLISH from anywhere
// (wire, Do, MULTI, scripts), and in-process subscribers (Subscription).
//
// The registry (pubsubState) belongs to the executor, so subscribing,
// unsubscribing and publishing are ordered like any other command: a
// message published after a SUBSCRIBE was answered (or after
// Store.Subscribe returned) reaches that subscriber, exactly once, and the
// messages of one publisher arrive in the order they were published.
//
// Delivery never blocks the executor. A wire subscriber's messages go to
// its connection's out-of-band output (wire_out.go), where
// client-output-buffer-limit pubsub (default 32mb hard, 8mb for 60s soft)
// closes a client that does not read them, as Redis does. A Go
// subscriber has a bounded buffer; when a message finds it full the
// subscriber is dropped: it is unsubscribed from everything, receives the
// messages already buffered, and then ErrSlowSubscriber.
//
// Wire shapes are Redis 7.0.15's: confirmations ["subscribe", channel,
// count] (a RESP3 push, an array in RESP2), one per channel, where count
// is the client's channels plus patterns (shard channels count apart);
// ["message", channel, payload], ["pmessage", pattern, channel, payload],
// ["smessage", channel, payload]. In RESP2 a client with any subscription
// may run only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET; in
// RESP3 it runs anything, and messages arrive between its replies.
//
// Differences from Redis: UNSUBSCRIBE without arguments confirms the
// channels in the order they were subscribed (Redis: its hash table's
// order); SUBSCRIBE inside MULTI sends its confirmations, and messages a
// transaction publishes to its own client, before the EXEC reply rather
// than inside it.

// ErrSlowSubscriber is returned by Subscription.Receive (and ends
// Subscription.Messages) after a message found the subscription's buffer
// full: the store dropped the subscriber rather than block or grow
// without bound. The messages buffered before it are delivered first.
var ErrSlowSubscriber = errors.New("embedis: subscriber dropped: its message buffer was full")

// ErrSubscriptionClosed is returned by the methods of a Subscription after
// Close.
var ErrSubscriptionClosed = errors.New("embedis: subscription closed")

// DefaultSubscriptionBuffer is the buffer, in messages, of a Subscription
// made by Store.Subscribe and Store.PSubscribe.
const DefaultSubscriptionBuffer = 1024

// pubsubState is the registry of subscriptions. Owned by the executor.
type pubsubState struct {
	channels map[string][]*subscriber // channel -> subscribers, in subscription order
	shard    map[string][]*subscriber // shard channel -> subscribers
	patterns []*patternSubs           // in order of first subscription
	patIndex map[string]*patternSubs

	// goSubs are the Go subscriptions that have subscribed at least once
	// and not ended, closed with the store.
	goSubs map[*Subscription]struct{}

	// notify is notify-keyspace-events as flags (notify.go).
	notify notifyFlags
}

// patternSubs is one pattern and its subscribers.
type patternSubs struct {
	pattern string
	m       *glob.Pattern
	subs    []*subscriber
}

// subscriber is a client with subscriptions: a wire connection (oc) or a
// Go Subscription (gs). Owned by the executor.
type subscriber struct {
	oc outConn
	gs *Subscription

	channels, patterns, shard orderedSet
	dead                      bool // dropped: no more deliveries
}

// orderedSet is a small set of strings that remembers insertion order.
type orderedSet struct {
	items []string
	index map[string]int
}

func (o *orderedSet) has(s string) bool { _, ok := o.index[s]; return ok }

func (o *orderedSet) add(s string) bool {
	if o.has(s) {
		return false
	}
	if o.index == nil {
		o.index = map[string]int{}
	}
	o.index[s] = len(o.items)
	o.items = append(o.items, s)
	return true
}

func (o *orderedSet) remove(s string) bool {
	i, ok := o.index[s]
	if !ok {
		return false
	}
	delete(o.index, s)
	copy(o.items[i:], o.items[i+1:])
	o.items = o.items[:len(o.items)-1]
	for j := i; j < len(o.items); j++ {
		o.index[o.items[j]] = j
	}
	return true
}

func (o *orderedSet) len() int { return len(o.items) }

// count is the number Redis reports in (un)subscribe confirmations of
// channels and patterns.
func (sb *subscriber) count() int64 { return int64(sb.channels.len() + sb.patterns.len()) }

// confirmCount is the count a (un)subscribe confirmation carries: shard
// channels are counted on their own, the others together, as in Redis.
func (sb *subscriber) confirmCount(shard bool) int64 {
	if shard {
		return int64(sb.shard.len())
	}
	return sb.count()
}

// total is every subscription; the client is in subscribed mode while it
// is non-zero.
func (sb *subscriber) total() int { return sb.channels.len() + sb.patterns.len() + sb.shard.len() }

// removeSub deletes sb from list.
func removeSub(list []*subscriber, sb *subscriber) []*subscriber {
	for i, x := range list {
		if x == sb {
			copy(list[i:], list[i+1:])
			list[len(list)-1] = nil
			return list[:len(list)-1]
		}
	}
	return list
}

func (ps *pubsubState) subscribe(sb *subscriber, ch string, shard bool) {
	set, m := &sb.channels, &ps.channels
	if shard {
		set, m = &sb.shard, &ps.shard
	}
	if !set.add(ch) {
		return
	}
	if *m == nil {
		*m = map[string][]*subscriber{}
	}
	(*m)[ch] = append((*m)[ch], sb)
}

func (ps *pubsubState) unsubscribe(sb *subscriber, ch string, shard bool) bool {
	set, m := &sb.channels, ps.channels
	if shard {
		set, m = &sb.shard, ps.shard
	}
	if !set.remove(ch) {
		return false
	}
	if l := removeSub(m[ch], sb); len(l) == 0 {
		delete(m, ch)
	} else {
		m[ch] = l
	}
	return true
}

func (ps *pubsubState) psubscribe(sb *subscriber, pat string) {
	if !sb.patterns.add(pat) {
		return
	}
	p := ps.patIndex[pat]
	if p == nil {
		p = &patternSubs{pattern: pat, m: glob.Compile(pat, false)}
		if ps.patIndex == nil {
			ps.patIndex = map[string]*patternSubs{}
		}
		ps.patIndex[pat] = p
		ps.patterns = append(ps.patterns, p)
	}
	p.subs = append(p.subs, sb)
}

func (ps *pubsubState) punsubscribe(sb *subscriber, pat string) bool {
	if !sb.patterns.remove(pat) {
		return false
	}
	p := ps.patIndex[pat]
	p.subs = removeSub(p.subs, sb)
	if len(p.subs) == 0 {
		delete(ps.patIndex, pat)
		for i, x := range ps.patterns {
			if x == p {
				ps.patterns = append(ps.patterns[:i], ps.patterns[i+1:]...)
				break
			}
		}
	}
	return true
}

// drop removes every subscription of sb and stops deliveries to it.
func (ps *pubsubState) drop(sb *subscriber) {
	for sb.channels.len() > 0 {
		ps.unsubscribe(sb, sb.channels.items[0], false)
	}
	for sb.shard.len() > 0 {
		ps.unsubscribe(sb, sb.shard.items[0], true)
	}
	for sb.patterns.len() > 0 {
		ps.punsubscribe(sb, sb.patterns.items[0])
	}
	sb.dead = true
}

// Message kinds, as the first element of a wire message.
const (
	kindMessage  = "message"
	kindPMessage = "pmessage"
	kindSMessage = "smessage"
)

// encodedMessage is one message as its wire subscribers receive it,
// encoded at most once per protocol however many subscribers get it.
type encodedMessage struct {
	kind, pattern, channel, payload string
	enc                             [2][]byte // RESP2, RESP3
}

func (m *encodedMessage) bytes(proto int) []byte {
	i := 0
	if proto >= 3 {
		i = 1
	}
	if m.enc[i] == nil {
		var v Value
		if m.kind == kindPMessage {
			v = PushValue(BulkValue(m.kind), BulkValue(m.pattern), BulkValue(m.channel), BulkValue(m.payload))
		} else {
			v = PushValue(BulkValue(m.kind), BulkValue(m.channel), BulkValue(m.payload))
		}
		m.enc[i] = appendReply(nil, v, proto)
	}
	return m.enc[i]
}

// deliver sends one message to sb and reports false when sb is gone (its
// connection closed, or its Go buffer full): the caller drops it.
func (sb *subscriber) deliver(m *encodedMessage) bool {
	if sb.dead {
		return true
	}
	if sb.gs != nil {
		return sb.gs.offer(Message{Channel: m.channel, Pattern: m.pattern, Payload: m.payload, Shard: m.kind == kindSMessage})
	}
	if ss, ok := sb.oc.(*session); ok {
		return ss.pushEncoded(m.bytes(ss.cl.proto))
	}
	var v Value
	if m.kind == kindPMessage {
		v = PushValue(BulkValue(m.kind), BulkValue(m.pattern), BulkValue(m.channel), BulkValue(m.payload))
	} else {
		v = PushValue(BulkValue(m.kind), BulkValue(m.channel), BulkValue(m.payload))
	}
	return sb.oc.push(v)
}

// publish delivers payload on channel to its subscribers and to the
// subscribers of matching patterns, and returns how many received it (a
// client subscribed to the channel and to two matching patterns counts
// three times, as in Redis). Executor only.
func (s *Store) publish(channel, payload string) int64 {
	ps := &s.ps
	var n int64
	var gone []*subscriber
	if subs := ps.channels[channel]; len(subs) > 0 {
		m := &encodedMessage{kind: kindMessage, channel: channel, payload: payload}
		for _, sb := range subs {
			if !sb.deliver(m) {
				gone = append(gone, sb)
			}
			n++
		}
	}
	for _, p := range ps.patterns {
		if !p.m.Match(channel) {
			continue
		}
		m := &encodedMessage{kind: kindPMessage, pattern: p.pattern, channel: channel, payload: payload}
		for _, sb := range p.subs {
			if !sb.deliver(m) {
				gone = append(gone, sb)
			}
			n++
		}
	}
	for _, sb := range gone {
		s.dropSubscriber(sb)
	}
	return n
}

// spublish delivers payload on shard channel channel. Executor only.
func (s *Store) spublish(channel, payload string) int64 {
	var n int64
	var gone []*subscriber
	m := &encodedMessage{kind: kindSMessage, channel: channel, payload: payload}
	for _, sb := range s.ps.shard[channel] {
		if !sb.deliver(m) {
			gone = append(gone, sb)
		}
		n++
	}
	for _, sb := range gone {
		s.dropSubscriber(sb)
	}
	return n
}

// dropSubscriber ends every subscription of sb: a wire client that went
// away, a slow Go subscriber, a closed Subscription. Executor only.
func (s *Store) dropSubscriber(sb *subscriber) {
	if sb.dead {
		return
	}
	s.ps.drop(sb)
	if sb.gs != nil {
		sb.gs.finish(ErrSlowSubscriber)
	} else if sb.oc != nil {
		sb.oc.setOutputClass(outNormal)
	}
}

// ---- typed methods ----

// Message is a message received by a Subscription.
type Message struct {
	// Channel is the channel the message was published to.
	Channel string
	// Pattern is the subscribed pattern that matched Channel, for a
	// pattern subscription (PSubscribe); empty otherwise.
	Pattern string
	// Payload is the message.
	Payload string
	// Shard is true for a message of a shard channel (SPUBLISH).
	Shard bool
}

// Subscription is an in-process subscriber: the Go counterpart of a
// connection in SUBSCRIBE mode. Messages are buffered (a bounded buffer,
// see Store.NewSubscription) and read with Receive, Messages or Channel.
// Its methods are safe for concurrent use, but messages should be read by
// one goroutine.
//
// Back-pressure: publishing never waits for a subscriber. When a message
// finds the buffer full, the subscription is dropped: it is unsubscribed
// from everything, the buffered messages can still be read, and then
// Receive returns ErrSlowSubscriber and the channel of Channel is closed.
// A subscriber that must not lose messages reads promptly or uses a larger
// buffer.
//
// Close ends a subscription and frees its resources; the store's Close
// ends every subscription too (Receive then returns ErrClosed).
type Subscription struct {
	s  *Store
	ch chan Message
	// sb is the registry entry. Owned by the executor.
	sb *subscriber
	// ended is set by the executor when it closes ch; err says why, and is
	// written before ch is closed.
	ended bool
	err   error
	// finished is set after err, before ch is closed, for Err.
	finished atomic.Bool
	// closed is set by Close, so later calls fail fast.
	closed atomic.Bool
}

// NewSubscription returns a subscription to nothing yet, with a buffer of
// buffer messages (DefaultSubscriptionBuffer when buffer <= 0). Add
// channels and patterns with its Subscribe and PSubscribe methods.
func (s *Store) NewSubscription(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = DefaultSubscriptionBuffer
	}
	sub := &Subscription{s: s, ch: make(chan Message, buffer)}
	sub.sb = &subscriber{gs: sub}
	return sub
}

// Subscribe returns a subscription to channels (SUBSCRIBE) with the
// default buffer. Every message published to them after Subscribe returns
// is delivered. Close the subscription when done.
func (s *Store) Subscribe(ctx context.Context, channels ...string) (*Subscription, error) {
	sub := s.NewSubscription(0)
	if err := sub.Subscribe(ctx, channels...); err != nil {
		sub.Close()
		return nil, err
	}
	return sub, nil
}

// PSubscribe returns a subscription to the glob-style patterns
// (PSUBSCRIBE: *, ?, [a-z], \ as Redis matches them) with the default
// buffer. Keyspace notifications are messages on patterns such as
// "__keyspace@0__:*" and "__keyevent@0__:expired" once
// notify-keyspace-events enables them (CONFIG SET through Do).
func (s *Store) PSubscribe(ctx context.Context, patterns ...string) (*Subscription, error) {
	sub := s.NewSubscription(0)
	if err := sub.PSubscribe(ctx, patterns...); err != nil {
		sub.Close()
		return nil, err
	}
	return sub, nil
}

// Publish posts message to channel (PUBLISH) and returns the number of
// subscribers that received it, on the wire and in process. Like PUBLISH,
// it goes to the write feed (replicas receive it).
func (s *Store) Publish(ctx context.Context, channel, message string) (int64, error) {
	return asInt(s.DB.execArgs(ctx, "publish", channel, message))
}

// SPublish posts message to shard channel channel (SPUBLISH) and returns
// the number of subscribers that received it.
func (s *Store) SPublish(ctx context.Context, channel, message string) (int64, error) {
	return asInt(s.DB.execArgs(ctx, "spublish", channel, message))
}

// change runs fn on the executor for an open subscription. When ctx ends
// before the executor took the change, the change may still happen; the
// caller sees ctx's error.
func (sub *Subscription) change(ctx context.Context, fn func(ps *pubsubState, sb *subscriber)) error {
	if sub.closed.Load() {
		return ErrSubscriptionClosed
	}
	var err error
	e := sub.s.onExecutor(ctx, func(s *Store) {
		if sub.ended {
			err = sub.err
			return
		}
		if s.ps.goSubs == nil {
			s.ps.goSubs = map[*Subscription]struct{}{}
		}
		s.ps.goSubs[sub] = struct{}{}
		fn(&s.ps, sub.sb)
	})
	if e != nil {
		return e
	}
	return err
}

// Subscribe adds channels to the subscription. Messages published after
// it returns are delivered. If ctx ends first it returns ctx's error, and
// the channels may or may not have been added.
func (sub *Subscription) Subscribe(ctx context.Context, channels ...string) error {
	return sub.change(ctx, func(ps *pubsubState, sb *subscriber) {
		for _, ch := range channels {
			ps.subscribe(sb, ch, false)
		}
	})
}

// SSubscribe adds shard channels to the subscription (SSUBSCRIBE).
func (sub *Subscription) SSubscribe(ctx context.Context, channels ...string) error {
	return sub.change(ctx, func(ps *pubsubState, sb *subscriber) {
		for _, ch := range channels {
			ps.subscribe(sb, ch, true)
		}
	})
}

// PSubscribe adds patterns to the subscription.
func (sub *Subscription) PSubscribe(ctx context.Context, patterns ...string) error {
	return sub.change(ctx, func(ps *pubsubState, sb *subscriber) {
		for _, p := range patterns {
			ps.psubscribe(sb, p)
		}
	})
}

// Unsubscribe removes channels from the subscription; with none, every
// channel. Messages already buffered stay readable.
func (sub *Subscription) Unsubscribe(ctx context.Context, channels ...string) error {
	return sub.change(ctx, func(ps *pubsubState, sb *subscriber) {
		if len(channels) == 0 {
			channels = append([]string(nil), sb.channels.items...)
		}
		for _, ch := range channels {
			ps.unsubscribe(sb, ch, false)
		}
	})
}

// PUnsubscribe removes patterns from the subscription; with none, every
// pattern.
func (sub *Subscription) PUnsubscribe(ctx context.Context, patterns ...string) error {
	return sub.change(ctx, func(ps *pubsubState, sb *subscriber) {
		if len(patterns) == 0 {
			patterns = append([]string(nil), sb.patterns.items...)
		}
		for _, p := range patterns {
			ps.punsubscribe(sb, p)
		}
	})
}

// Receive returns the next message, waiting for one until ctx ends. After
// the subscription ended it returns the buffered messages and then why it
// ended: ErrSlowSubscriber, ErrSubscriptionClosed or ErrClosed.
func (sub *Subscription) Receive(ctx context.Context) (Message, error) {
	select {
	case m, ok := <-sub.ch:
		if !ok {
			return Message{}, sub.err
		}
		return m, nil
	default:
	}
	select {
	case m, ok := <-sub.ch:
		if !ok {
			return Message{}, sub.err
		}
		return m, nil
	case <-ctx.Done():
		return Message{}, ctx.Err()
	case <-sub.s.exited:
		// The executor closed ch on its way out if sub ever subscribed;
		// a subscription that never did has no one to close it.
		if m, ok := <-sub.chOrNil(); ok {
			return m, nil
		}
		if sub.finished.Load() {
			return Message{}, sub.err
		}
		return Message{}, ErrClosed
	}
}

// chOrNil returns ch when the executor closed it (so a receive cannot
// block), else a closed empty channel.
func (sub *Subscription) chOrNil() <-chan Message {
	if sub.finished.Load() {
		return sub.ch
	}
	c := make(chan Message)
	close(c)
	return c
}

// Messages iterates over the messages until ctx ends or the subscription
// ends, and then yields the reason once with a zero Message (ctx.Err(),
// ErrSlowSubscriber, ErrSubscriptionClosed or ErrClosed).
//
//	for msg, err := range sub.Messages(ctx) {
//		if err != nil {
//			break
//		}
//		...
//	}
func (sub *Subscription) Messages(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for {
			m, err := sub.Receive(ctx)
			if !yield(m, err) || err != nil {
				return
			}
		}
	}
}

// Channel returns the channel the messages arrive on. It is closed when
// the subscription ends (Close, a full buffer, the store's Close); Err
// then says why.
func (sub *Subscription) Channel() <-chan Message { return sub.ch }

// Err returns why the subscription ended once it has ended
// (ErrSlowSubscriber, ErrSubscriptionClosed, ErrClosed), and nil before.
func (sub *Subscription) Err() error {
	if sub.finished.Load() {
		return sub.err
	}
	return nil
}

// Close ends the subscription: it unsubscribes from everything, discards
// the buffered messages and closes the channel; later Receive calls return
// ErrSubscriptionClosed. Close is idempotent and returns nil, also after
// the store closed.
func (sub *Subscription) Close() error {
	if sub.closed.Swap(true) {
		return nil
	}
	err := sub.s.onExecutor(context.Background(), func(s *Store) {
		if !sub.ended {
			s.ps.drop(sub.sb)
			for drained := false; !drained; { // discard what is buffered
				select {
				case <-sub.ch:
				default:
					drained = true
				}
			}
			sub.finish(ErrSubscriptionClosed)
		}
	})
	if err != nil && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("embedis: closing subscription: %w", err)
	}
	return nil
}

// offer queues m without blocking and reports false when the buffer is
// full. Executor only.
func (sub *Subscription) offer(m Message) bool {
	select {
	case sub.ch <- m:
		return true
	default:
		return false
	}
}

// finish ends the subscription with err: the executor's last touch of
// ch. Executor only (or the closing store, after the executor exited).
func (sub *Subscription) finish(err error) {
	if sub.ended {
		return
	}
	sub.ended = true
	sub.err = err
	sub.sb.dead = true
	sub.finished.Store(true)
	close(sub.ch)
	delete(sub.s.ps.goSubs, sub)
}

// closePubSub ends every Go subscription when the store closes: the
// executor's last act (run), so a Subscription's channel is closed and
// its Receive returns ErrClosed.
func (s *Store) closePubSub() {
	for sub := range s.ps.goSubs {
		s.ps.drop(sub.sb)
		sub.finish(ErrClosed)
	}
}

// ---- commands ----

func init() {
	// Not flagConn: the handlers refuse a call without a connection
	// themselves, pointing at the Go API.
	subFlags := flagPubSub | flagNoScript | flagLoading | flagStale
	slow := []string{"pubsub", "slow"}
	infoFlags := flagPubSub | flagLoading | flagStale
	register(
		&command{name: "subscribe", arity: -2, flags: subFlags, acl: slow, handler: cmdSubscribe},
		&command{name: "unsubscribe", arity: -1, flags: subFlags, acl: slow, handler: cmdUnsubscribe},
		&command{name: "psubscribe", arity: -2, flags: subFlags, acl: slow, handler: cmdPSubscribe},
		&command{name: "punsubscribe", arity: -1, flags: subFlags, acl: slow, handler: cmdPUnsubscribe},
		&command{name: "ssubscribe", arity: -2, flags: subFlags, firstKey: 1, lastKey: -1, step: 1, acl: slow, handler: cmdSSubscribe},
		&command{name: "sunsubscribe", arity: -1, flags: subFlags, firstKey: 1, lastKey: -1, step: 1, acl: slow, handler: cmdSUnsubscribe},
		&command{name: "publish", arity: 3, flags: flagPubSub | flagLoading | flagStale | flagFast, acl: []string{"pubsub", "fast"}, handler: cmdPublish},
		&command{name: "spublish", arity: 3, flags: flagPubSub | flagLoading | flagStale | flagFast, firstKey: 1, lastKey: 1, step: 1, acl: []string{"pubsub", "fast"}, handler: cmdSPublish},

		&command{name: "pubsub", arity: -2, acl: []string{"slow"}},
		&command{name: "pubsub|channels", arity: -2, flags: infoFlags, acl: slow, handler: cmdPubsubChannels},
		&command{name: "pubsub|numsub", arity: -2, flags: infoFlags, acl: slow, handler: cmdPubsubNumsub},
		&command{name: "pubsub|numpat", arity: 2, flags: infoFlags, acl: slow, handler: cmdPubsubNumpat},
		&command{name: "pubsub|shardchannels", arity: -2, flags: infoFlags, acl: slow, handler: cmdPubsubShardchannels},
		&command{name: "pubsub|shardnumsub", arity: -2, flags: infoFlags, acl: slow, handler: cmdPubsubShardnumsub},
		&command{name: "pubsub|help", arity: 2, flags: flagLoading | flagStale, acl: []string{"slow"}, handler: cmdPubsubHelp},
	)
}

// errNeedsConn refuses the subscribe family through Do, which has no
// connection to deliver messages to.
var errNeedsConn = ErrorValue("ERR subscriptions need a connection; use Store.Subscribe or Store.PSubscribe")

// wireSubscriber returns the subscriber of the call's connection,
// creating it; nil without a connection.
func (c *call) wireSubscriber() (*session, *subscriber) {
	ss, ok := c.cl.conn.(*session)
	if !ok {
		return nil, nil
	}
	if ss.psub == nil {
		ss.psub = &subscriber{oc: ss}
		ss.psHeld.Store(true)
	}
	return ss, ss.psub
}

// inSubscribedMode reports whether cl is a RESP2 connection with
// subscriptions, which may run only the subscribe family, PING, QUIT and
// RESET.
func inSubscribedMode(cl *client) bool {
	ss, ok := cl.conn.(*session)
	return ok && cl.proto == 2 && ss.psub != nil && ss.psub.total() > 0
}

// allowedSubscribed reports whether cmd may run in RESP2 subscribed mode.
func allowedSubscribed(cmd *command) bool {
	switch cmd.name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset":
		return true
	}
	return false
}

// errSubscribedMode is the refusal of a command in RESP2 subscribed mode.
func errSubscribedMode(cmd *command) Value {
	return ErrorValue("ERR Can't execute '" + cmd.name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
}

// confirmations answers a (un)subscribe command: one confirmation per
// name, all but the last pushed (so they precede the reply, wire_out.go)
// and the last returned as the reply.
func confirmations(ss *session, vs []Value) Value {
	for _, v := range vs[:len(vs)-1] {
		ss.push(v)
	}
	return vs[len(vs)-1]
}

// setClass keeps the connection's output class in step with its
// subscriptions (client-output-buffer-limit pubsub applies while it has
// any, CLIENT LIST type=pubsub).
func (sb *subscriber) setClass() {
	if sb.total() > 0 {
		sb.oc.setOutputClass(outPubSub)
	} else {
		sb.oc.setOutputClass(outNormal)
	}
}

func confirm(kind string, name Value, n int64) Value {
	return PushValue(BulkValue(kind), name, IntValue(n))
}

func cmdSubscribe(c *call) Value  { return subscribeCmd(c, "subscribe", false, false) }
func cmdPSubscribe(c *call) Value { return subscribeCmd(c, "psubscribe", true, false) }
func cmdSSubscribe(c *call) Value { return subscribeCmd(c, "ssubscribe", false, true) }

func subscribeCmd(c *call, kind string, pattern, shard bool) Value {
	ss, sb := c.wireSubscriber()
	if sb == nil {
		return errNeedsConn
	}
	vs := make([]Value, 0, len(c.args)-1)
	for _, name := range c.args[1:] {
		if pattern {
			c.s.ps.psubscribe(sb, name)
		} else {
			c.s.ps.subscribe(sb, name, shard)
		}
		vs = append(vs, confirm(kind, BulkValue(name), sb.confirmCount(shard)))
	}
	sb.setClass()
	return confirmations(ss, vs)
}

func cmdUnsubscribe(c *call) Value  { return unsubscribeCmd(c, "unsubscribe", false, false) }
func cmdPUnsubscribe(c *call) Value { return unsubscribeCmd(c, "punsubscribe", true, false) }
func cmdSUnsubscribe(c *call) Value { return unsubscribeCmd(c, "sunsubscribe", false, true) }

func unsubscribeCmd(c *call, kind string, pattern, shard bool) Value {
	ss, sb := c.wireSubscriber()
	if sb == nil {
		return errNeedsConn
	}
	names := c.args[1:]
	if len(names) == 0 {
		switch {
		case pattern:
			names = append([]string(nil), sb.patterns.items...)
		case shard:
			names = append([]string(nil), sb.shard.items...)
		default:
			names = append([]string(nil), sb.channels.items...)
		}
		if len(names) == 0 {
			return confirm(kind, nullValue, sb.confirmCount(shard))
		}
	}
	vs := make([]Value, 0, len(names))
	for _, name := range names {
		if pattern {
			c.s.ps.punsubscribe(sb, name)
		} else {
			c.s.ps.unsubscribe(sb, name, shard)
		}
		vs = append(vs, confirm(kind, BulkValue(name), sb.confirmCount(shard)))
	}
	sb.setClass()
	return confirmations(ss, vs)
}

// resetSubscriptions drops every subscription of a wire session without
// confirmations (RESET). Executor only.
func (s *Store) resetSubscriptions(ss *session) {
	if ss.psub != nil {
		s.ps.drop(ss.psub)
		ss.psub = nil
		ss.setOutputClass(outNormal)
	}
}

// releaseSubscriptions drops the subscriptions of a session that ended,
// from the session goroutine (the executor owns the registry). Like
// releaseWatches it may run while a script is busy.
func (ss *session) releaseSubscriptions() {
	ss.s.onExecutorJob(context.Background(), func(s *Store) {
		if ss.psub != nil {
			s.ps.drop(ss.psub)
		}
	}, true)
}

func cmdPublish(c *call) Value {
	n := c.s.publish(c.args[1], c.args[2])
	// PUBLISH changes no key, yet Redis propagates it to replicas.
	c.alsoPropagate(c.args...)
	return IntValue(n)
}

func cmdSPublish(c *call) Value {
	n := c.s.spublish(c.args[1], c.args[2])
	c.alsoPropagate(c.args...)
	return IntValue(n)
}

// activeChannels lists the channels of m matching the optional pattern.
func activeChannels(c *call, m map[string][]*subscriber) Value {
	var p *glob.Pattern
	if len(c.args) == 3 {
		p = glob.Compile(c.args[2], false)
	} else if len(c.args) > 3 {
		return ErrorValue("ERR unknown subcommand or wrong number of arguments for '" + c.args[1] + "'. Try PUBSUB HELP.")
	}
	out := []Value{}
	for ch := range m {
		if p == nil || p.Match(ch) {
			out = append(out, BulkValue(ch))
		}
	}
	return ArrayValue(out...)
}

func cmdPubsubChannels(c *call) Value      { return activeChannels(c, c.s.ps.channels) }
func cmdPubsubShardchannels(c *call) Value { return activeChannels(c, c.s.ps.shard) }

func numsub(c *call, m map[string][]*subscriber) Value {
	out := make([]Value, 0, 2*(len(c.args)-2))
	for _, ch := range c.args[2:] {
		out = append(out, BulkValue(ch), IntValue(int64(len(m[ch]))))
	}
	return ArrayValue(out...)
}

func cmdPubsubNumsub(c *call) Value      { return numsub(c, c.s.ps.channels) }
func cmdPubsubShardnumsub(c *call) Value { return numsub(c, c.s.ps.shard) }

func cmdPubsubNumpat(c *call) Value { return IntValue(int64(len(c.s.ps.patterns))) }

func cmdPubsubHelp(c *call) Value { return serverHelp(pubsubHelp) }

const pubsubHelp = `PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
CHANNELS [<pattern>]
    Return the currently active channels matching a <pattern> (default: '*').
NUMPAT
    Return number of subscriptions to patterns.
NUMSUB [<channel> ...]
    Return the number of subscribers for the specified channels, excluding
    pattern subscriptions(default: no channels).
SHARDCHANNELS [<pattern>]
    Return the currently active shard level channels matching a <pattern> (default: '*').
SHARDNUMSUB [<shardchannel> ...]
    Return the number of subscribers for the specified shard level channel(s)
HELP
    Prints this help.`
