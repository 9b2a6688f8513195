// Command server runs an embedis store as a Redis server, so redis-cli,
// redis-benchmark or any Redis client can talk to it. It takes
// redis-server's command line: an optional redis.conf path ("-" for
// standard input), then "--directive value ..." pairs, which override the
// file:
//
//	go run ./examples/server --port 6380 --requirepass secret
//	go run ./examples/server /etc/redis/redis.conf --port 6390 --save ""
//	redis-cli -p 6380 -a secret PING
//
// Every directive CONFIG knows is accepted: port, bind, unixsocket,
// requirepass, databases and hz configure the store and its listeners;
// the others are applied with CONFIG SET, in order; the few CONFIG cannot
// change once a store runs (daemonize, pidfile, logfile, dir ...) are
// logged and ignored. An unknown directive stops the server with the line
// that has it, as redis-server does. It listens on 127.0.0.1:6380 unless
// told otherwise (bind * for every interface). The earlier flags
// -addr host:port, -requirepass and -databases still work.
//
// With dir (--dir or -dir) it keeps a snapshot (dump.rdb, or dbfilename)
// there, loaded at start and saved by SAVE, BGSAVE and the save rules
// (Redis's defaults unless save is given; none with save ""):
//
//	go run ./examples/server --dir /tmp/embedis --save "60 1000"
//
// Interrupt it (Ctrl-C) to stop: the store saves (when dir is set and
// anything changed), closes its listeners and connections, and the
// server exits.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/embedis/embedis"
)

func main() {
	c, err := loadConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s, ls, err := start(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, d := range c.ignored {
		log.Printf("ignored (%s): %s: embedis cannot change it at run time", d.src, d)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		log.Printf("stopping")
		// Serve returns once the store is closed; Close reports the
		// final save's error, if any.
		if err := s.Close(); err != nil {
			log.Printf("closing: %v", err)
		}
	}()
	errc := make(chan error, len(ls))
	for _, l := range ls {
		log.Printf("embedis serving the Redis protocol on %s", l.Addr())
		go func(l net.Listener) { errc <- s.Serve(l) }(l)
	}
	for range ls {
		if err := <-errc; err != nil {
			log.Fatal(err)
		}
	}
}

// start opens the store c describes, applies its settings and opens its
// listeners (not yet served).
func start(c *serverConfig) (*embedis.Store, []net.Listener, error) {
	s, err := embedis.Open(c.opts)
	if err != nil {
		return nil, nil, err
	}
	if err := applyConfig(context.Background(), s, c); err != nil {
		s.Close()
		return nil, nil, err
	}
	var ls []net.Listener
	fail := func(err error) (*embedis.Store, []net.Listener, error) {
		for _, l := range ls {
			l.Close()
		}
		s.Close()
		return nil, nil, err
	}
	for _, a := range c.addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			return fail(err)
		}
		ls = append(ls, l)
	}
	if c.unixSocket != "" {
		os.Remove(c.unixSocket) // a stale socket from an earlier run
		l, err := net.Listen("unix", c.unixSocket)
		if err != nil {
			return fail(err)
		}
		ls = append(ls, l)
	}
	return s, ls, nil
}
