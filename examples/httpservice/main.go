// Command httpservice is a small HTTP API (sessions, page-view counters,
// per-client rate limiting) written against go-redis, the way a service
// would be. By default it embeds an embedis store; with -redis it uses a
// Redis server instead, with no other change. Its tests
// (service_test.go) show how such a service is tested with embedistest.
//
//	go run ./examples/httpservice -addr :8080              # serve
//	go run ./examples/httpservice -redis localhost:6379    # with a Redis server
//	go run ./examples/httpservice -demo                    # a few requests, then exit
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"

	"github.com/embedis/embedis"
	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "HTTP listen address")
	redisAddr := flag.String("redis", "", "Redis server address; empty: an embedded embedis store")
	demo := flag.Bool("demo", false, "serve on a free port, make a few requests, print the answers and exit")
	flag.Parse()

	opts := &redis.Options{Addr: *redisAddr}
	if *redisAddr == "" {
		s, err := embedis.Open(embedis.Options{})
		if err != nil {
			log.Fatal(err)
		}
		defer s.Close()
		opts = &redis.Options{Dialer: s.DialContext}
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	sv := NewService(rdb)
	if err := sv.ping(context.Background()); err != nil {
		log.Fatal(err)
	}
	if *demo {
		*addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: sv.Handler()}
	if !*demo {
		log.Printf("httpservice: listening on %s", l.Addr())
		log.Fatal(srv.Serve(l))
	}
	go srv.Serve(l)
	defer srv.Close()
	base := "http://" + l.Addr().String()
	call := func(method, path, auth string) string {
		req, _ := http.NewRequest(method, base+path, nil)
		req.Header.Set("Authorization", auth)
		req.Header.Set("X-Client", "demo")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		out := strings.TrimSpace(string(b))
		fmt.Printf("%s %s -> %d %s\n", method, path, resp.StatusCode, out)
		return out
	}
	call("POST", "/visit/home", "")
	call("POST", "/visit/home", "")
	tok := call("POST", "/login?user=alice", "")
	tok = strings.TrimSuffix(strings.TrimPrefix(tok, `{"session":"`), `"}`)
	call("GET", "/me", tok)
	call("GET", "/me", "bogus")
}
