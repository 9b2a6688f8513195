package embedis_test

import (
	"bufio"
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// Pub/Sub benchmarks, with redis-server 7.0 in the same run when it is
// installed (target=redis):
//
//   - PublishWire: one publisher connection pipelines PUBLISH (batches of
//     100) to a channel with subs=1 or subs=100 subscriber connections over
//     TCP; the clock stops when every subscriber has read every message.
//     msgs/s counts deliveries (publishes x subscribers).
//   - GoPublishReceive: the Go API's publish-to-receive latency, one
//     Publish and one Receive per op.
//
// Reproduce (see BENCHMARKS.md):
//
//	go test -run '^$' -bench 'PublishWire|GoPublishReceive' -benchtime 20000x .

func BenchmarkPublishWire(b *testing.B) {
	targets := []struct {
		name string
		addr func(b *testing.B) string
	}{
		{"embedis", func(b *testing.B) string { return embedistest.Addr(b, embedistest.Open(b)) }},
		{"redis", func(b *testing.B) string { return redistest.Start(b) }},
	}
	for _, tg := range targets {
		for _, subs := range []int{1, 100} {
			b.Run("target="+tg.name+"/subs="+strconv.Itoa(subs), func(b *testing.B) {
				benchPublishWire(b, tg.addr(b), subs)
			})
		}
	}
}

func benchPublishWire(b *testing.B, addr string, nsubs int) {
	payload := "0123456789abcdef" // 16 bytes
	done := make(chan error, nsubs)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < nsubs; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
		if _, err := c.Write([]byte("*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nbench\r\n")); err != nil {
			b.Fatal(err)
		}
		r := bufio.NewReaderSize(c, 64<<10)
		// The confirmation: 3 elements, 7 lines ("*3", "$9", "subscribe",
		// "$5", "bench", ":1").
		for l := 0; l < 6; l++ {
			if _, err := r.ReadSlice('\n'); err != nil {
				b.Fatal(err)
			}
		}
		go func() {
			// A message is 7 lines: *3 $7 message $5 bench $16 payload.
			for lines := 0; lines < 7*b.N; lines++ {
				if _, err := r.ReadSlice('\n'); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	pub, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	conns = append(conns, pub)
	const batch = 100
	var cmd []byte
	for i := 0; i < batch; i++ {
		cmd = append(cmd, "*3\r\n$7\r\nPUBLISH\r\n$5\r\nbench\r\n$16\r\n"+payload+"\r\n"...)
	}
	pr := bufio.NewReaderSize(pub, 64<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n := min(batch, b.N-sent)
		if _, err := pub.Write(cmd[:n*len(cmd)/batch]); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i++ {
			if _, err := pr.ReadSlice('\n'); err != nil {
				b.Fatal(err)
			}
		}
		sent += n
	}
	for i := 0; i < nsubs; i++ {
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*nsubs)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkGoPublishReceive(b *testing.B) {
	s := embedistest.Open(b)
	ctx := context.Background()
	sub, err := s.Subscribe(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Publish(ctx, "bench", "payload"); err != nil {
			b.Fatal(err)
		}
		if _, err := sub.Receive(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
