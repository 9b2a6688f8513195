// Command miniredis-server serves an in-memory miniredis on a TCP address,
// so redis-benchmark can measure it next to embedis and redis-server (see
// ../redis-benchmark.sh). Interrupt it (SIGINT or SIGTERM) to stop.
//
//	go run ./miniredis-server -addr 127.0.0.1:6381
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/alicebob/miniredis/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6381", "TCP address to listen on")
	flag.Parse()
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr(*addr); err != nil {
		log.Fatal(err)
	}
	log.Printf("miniredis serving on %s", m.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	m.Close()
}
