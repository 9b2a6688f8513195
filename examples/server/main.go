// Command server runs an embedis store as a Redis server on a TCP address,
// so redis-cli, redis-benchmark or any Redis client can talk to it:
//
//	go run ./examples/server -addr 127.0.0.1:6380 -requirepass secret
//	redis-cli -p 6380 -a secret PING
//
// Interrupt it (Ctrl-C) to stop: the store closes its listener and
// connections and Serve returns.
package main

import (
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/embedis/embedis"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6380", "TCP address to listen on")
	pass := flag.String("requirepass", "", "password clients must AUTH with (none when empty)")
	dbs := flag.Int("databases", 16, "number of databases")
	flag.Parse()

	s, err := embedis.Open(embedis.Options{Password: *pass, Databases: *dbs})
	if err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("embedis serving the Redis protocol on %s", l.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		log.Printf("stopping")
		s.Close() // Serve returns nil once the store is closed
	}()
	if err := s.Serve(l); err != nil {
		log.Fatal(err)
	}
}
