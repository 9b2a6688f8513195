package embedis

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestShutdownBusyScript checks SHUTDOWN while a script is busy, as Redis
// answers: a plain SHUTDOWN (which would save) is refused, SHUTDOWN NOSAVE
// stops the script and closes the store without a reply.
func TestShutdownBusyScript(t *testing.T) {
	ts := newTestStore(t)
	c := dialRaw(t, ts.Store)
	done := startScript(t, ts, busySpin, "")
	ts.clk.Advance(5 * time.Second)

	c.send("SHUTDOWN\r\n")
	if f, err := c.readFrame(); err != nil || f != "-ERR Errors trying to SHUTDOWN. Check logs.\r\n" {
		t.Fatalf("SHUTDOWN during a busy script: %q, %v", f, err)
	}
	c.send("SHUTDOWN NOSAVE\r\n")
	if f, err := c.readFrame(); err == nil {
		t.Fatalf("SHUTDOWN NOSAVE answered %q; want the connection closed", f)
	}
	if err := <-done; err == nil {
		t.Errorf("the busy script returned no error after SHUTDOWN NOSAVE")
	}
	ts.Close()
	if _, err := ts.Get(context.Background(), "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after SHUTDOWN NOSAVE: %v", err)
	}
}
