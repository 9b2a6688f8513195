// Command server runs an embedis store as a Redis server on a TCP address,
// so redis-cli, redis-benchmark or any Redis client can talk to it:
//
//	go run ./examples/server -addr 127.0.0.1:6380 -requirepass secret
//	redis-cli -p 6380 -a secret PING
//
// With -dir it keeps a snapshot (dump.rdb, or -dbfilename) there, loaded
// at start and saved by SAVE, BGSAVE and the save rules (-save, in
// redis.conf's syntax; Redis's defaults when not given, none with -save ""):
//
//	go run ./examples/server -dir /tmp/embedis -save "60 1000"
//
// Interrupt it (Ctrl-C) to stop: the store saves (when -dir is set and
// anything changed), closes its listener and connections, and Serve
// returns.
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
	dir := flag.String("dir", "", "directory of the snapshot file (no persistence when empty)")
	dbfile := flag.String("dbfilename", "dump.rdb", "name of the snapshot file in -dir")
	save := flag.String("save", "", `save rules as "seconds changes ..." (default Redis's with -dir; "" for none)`)
	appendonly := flag.Bool("appendonly", false, "keep the append-only log (needs -dir); loaded at start instead of the snapshot")
	appendfsync := flag.String("appendfsync", "everysec", "when the log is fsynced: always, everysec or no")
	appenddirname := flag.String("appenddirname", "appendonlydir", "directory of the append-only log under -dir")
	flag.Parse()

	opts := embedis.Options{Password: *pass, Databases: *dbs, Dir: *dir, DBFilename: *dbfile,
		AppendOnly: *appendonly, AppendDirName: *appenddirname}
	switch *appendfsync {
	case "always":
		opts.AppendFsync = embedis.FsyncAlways
	case "everysec":
		opts.AppendFsync = embedis.FsyncEverySec
	case "no":
		opts.AppendFsync = embedis.FsyncNo
	default:
		log.Fatalf("-appendfsync must be always, everysec or no, got %q", *appendfsync)
	}
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "save" {
			return
		}
		rules, err := embedis.ParseSavePoints(*save)
		if err != nil {
			log.Fatal(err)
		}
		opts.SavePoints = rules
	})
	s, err := embedis.Open(opts)
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
		// Serve returns nil once the store is closed; Close reports the
		// final save's error, if any.
		if err := s.Close(); err != nil {
			log.Printf("closing: %v", err)
		}
	}()
	if err := s.Serve(l); err != nil {
		log.Fatal(err)
	}
}
