// Command profserver serves an embedis store on a TCP address and writes a
// CPU profile of the whole process until it is stopped (SIGINT/SIGTERM), to
// find where the server's time goes under redis-benchmark:
//
//	go run ./profserver -addr 127.0.0.1:6390 -cpuprofile /tmp/cpu.out
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/embedis/embedis"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6390", "TCP address to listen on")
	prof := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	s, err := embedis.Open(embedis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		s.Close()
	}()
	if err := s.ListenAndServe(*addr); err != nil {
		log.Fatal(err)
	}
}
