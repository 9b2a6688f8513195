package embedistest

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/lua"
)

// Error replies of a Redis that cannot serve a command right now, for
// Fault.Err. Each is the text Redis 7.0 sends.
const (
	// Loading is the reply while Redis loads its dataset at start-up.
	Loading = "LOADING Redis is loading the dataset in memory"
	// ReadOnly is the reply of a replica to a write.
	ReadOnly = "READONLY You can't write against a read only replica."
	// Busy is the reply while a script runs past its time limit.
	Busy = lua.ErrBusy
	// MasterDown is the reply of a replica cut off from its primary
	// (with replica-serve-stale-data no).
	MasterDown = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	// OOM is the reply to a write past maxmemory with no key to evict.
	OOM = "OOM command not allowed when used memory > 'maxmemory'."
)

// Fault describes what InjectFault does to the commands it matches.
type Fault struct {
	// Command is the command name it matches, in any case ("GET",
	// "evalsha"); empty matches every command except the ones clients
	// send to set up a connection (HELLO, AUTH, CLIENT, SELECT, PING,
	// READONLY, QUIT, RESET), so that a client can still connect and see
	// the fault on its first real command.
	Command string
	// Times is how many matching commands the fault applies to; 0 means
	// every one until the test ends or ClearFaults.
	Times int
	// Delay is how long a matching command waits before it runs (or
	// fails). The wait happens on the store's executor, so it delays every
	// client of the store, as a slow Redis does; use it to test client
	// timeouts.
	Delay time.Duration
	// Err, when not empty, is the error reply the command gets instead of
	// running: Loading, ReadOnly, Busy, MasterDown, OOM, or any text (the
	// first word is the error code, as in "ERR something").
	Err string
	// Drop closes the client's connection instead of running the command,
	// without a reply: the client sees the connection end, as when Redis
	// goes away. A call without a connection (the Go API) gets an error.
	Drop bool
}

// faultList is the faults injected in one store. Read and consumed by the
// store's executor (through the Interceptor); added to by the test.
type faultList struct {
	mu     sync.Mutex
	faults []*activeFault
}

type activeFault struct {
	Fault
	left int // remaining applications; -1: unlimited
}

var faultLists sync.Map // *embedis.Store -> *faultList

// connectionSetup are the commands an empty Fault.Command does not match.
var connectionSetup = map[string]bool{
	"hello": true, "auth": true, "client": true, "select": true,
	"ping": true, "readonly": true, "quit": true, "reset": true,
}

// InjectFault makes the commands of s that f matches fail, drop their
// connection or wait, until f's Times are used up, ClearFaults is called or
// the test ends. Faults apply in the order they were injected: a command
// gets the first one that matches and has uses left. Safe to call while
// clients are connected.
//
//	// The first two GETs see a loading server; the client should retry.
//	embedistest.InjectFault(t, s, embedistest.Fault{Command: "GET", Times: 2, Err: embedistest.Loading})
//
// Commands a transaction (EXEC) or a script runs are not matched one by
// one: match EXEC or EVAL/EVALSHA/FCALL instead. A command refused inside
// MULTI makes EXEC fail with EXECABORT, as with Redis.
func InjectFault(t testing.TB, s *embedis.Store, f Fault) {
	t.Helper()
	if f.Times < 0 || f.Delay < 0 {
		t.Fatalf("embedistest.InjectFault: negative Times or Delay in %+v", f)
	}
	if f.Err == "" && !f.Drop && f.Delay == 0 {
		t.Fatalf("embedistest.InjectFault: the fault %+v does nothing: set Err, Drop or Delay", f)
	}
	af := &activeFault{Fault: f, left: f.Times}
	if f.Times == 0 {
		af.left = -1
	}
	af.Command = strings.ToLower(f.Command)
	v, loaded := faultLists.LoadOrStore(s, &faultList{})
	fl := v.(*faultList)
	fl.mu.Lock()
	fl.faults = append(fl.faults, af)
	fl.mu.Unlock()
	if !loaded {
		s.Intercept(fl.intercept)
		t.Cleanup(func() {
			s.Intercept(nil)
			faultLists.Delete(s)
		})
	}
}

// ClearFaults removes the faults injected in s that have not been used up.
func ClearFaults(s *embedis.Store) {
	if v, ok := faultLists.Load(s); ok {
		fl := v.(*faultList)
		fl.mu.Lock()
		fl.faults = nil
		fl.mu.Unlock()
	}
}

// intercept is the store's Interceptor: it finds the first fault matching
// args, uses it up and applies it.
func (fl *faultList) intercept(args []string) error {
	name := strings.ToLower(args[0])
	fl.mu.Lock()
	var f *activeFault
	for i, af := range fl.faults {
		if af.Command == name || (af.Command == "" && !connectionSetup[name]) {
			f = af
			if af.left > 0 {
				af.left--
				if af.left == 0 {
					fl.faults = append(fl.faults[:i:i], fl.faults[i+1:]...)
				}
			}
			break
		}
	}
	fl.mu.Unlock()
	if f == nil {
		return nil
	}
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	switch {
	case f.Drop:
		return embedis.ErrDropConnection
	case f.Err != "":
		return errors.New(f.Err)
	}
	return nil
}
