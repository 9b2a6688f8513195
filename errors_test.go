package embedis

import (
	"errors"
	"testing"
)

func TestErrorCatalog(t *testing.T) {
	for msg, e := range catalog {
		if got := ErrorValue(msg).Err(); got != error(e) {
			t.Errorf("%q: Err() = %v, want the sentinel", msg, got)
		}
	}
	if len(catalog) < 10 {
		t.Fatalf("catalog has %d entries; sentinels did not register", len(catalog))
	}
	other := ErrorValue("ERR something else").Err()
	if !errors.Is(other, newErrorUnregistered("ERR something else")) || errors.Is(other, ErrSyntax) {
		t.Errorf("errors.Is on dynamic errors compares text")
	}
}

func newErrorUnregistered(msg string) error { return &Error{msg: msg} }
