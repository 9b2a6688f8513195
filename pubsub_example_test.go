package embedis_test

import (
	"context"
	"fmt"
	"time"

	"github.com/embedis/embedis"
)

func ExampleStore_Subscribe() {
	ctx := context.Background()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	sub, err := s.Subscribe(ctx, "orders")
	if err != nil {
		panic(err)
	}
	defer sub.Close()

	n, _ := s.Publish(ctx, "orders", "order 42")
	fmt.Println("subscribers reached:", n)
	msg, err := sub.Receive(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(msg.Channel, msg.Payload)
	// Output:
	// subscribers reached: 1
	// orders order 42
}

// Expired-key notifications, with a manual clock to move time.
func ExampleStore_PSubscribe_expiredKeys() {
	ctx := context.Background()
	clk := embedis.NewManualClock(time.Unix(1_700_000_000, 0))
	s, err := embedis.Open(embedis.Options{Clock: clk})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	s.Do(ctx, "CONFIG", "SET", "notify-keyspace-events", "Ex")
	sub, err := s.PSubscribe(ctx, "__keyevent@*__:expired")
	if err != nil {
		panic(err)
	}
	defer sub.Close()

	s.Set(ctx, "session:1", "alice", embedis.SetOptions{TTL: time.Minute})
	clk.Advance(2 * time.Minute)
	s.Exists(ctx, "session:1") // a lookup removes the expired key

	msg, err := sub.Receive(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(msg.Channel, msg.Payload)
	// Output:
	// __keyevent@0__:expired session:1
}
