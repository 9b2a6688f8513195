package embedis_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/embedis/embedis"
)

// A value moves between keys, stores, or to and from redis-server as a
// DUMP payload.
func ExampleDB_Restore() {
	ctx := context.Background()
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()

	s.RPush(ctx, "queue", "a", "b", "c")
	payload, _ := s.Dump(ctx, "queue")

	s.Restore(ctx, "copy", 0, payload, nil)
	items, _ := s.LRange(ctx, "copy", 0, -1)
	fmt.Println(items)

	err := s.Restore(ctx, "copy", 0, payload, nil)
	fmt.Println(errors.Is(err, embedis.ErrBusyKey))
	err = s.Restore(ctx, "copy", 0, payload, &embedis.RestoreOptions{Replace: true})
	fmt.Println(err)
	// Output:
	// [a b c]
	// true
	// <nil>
}
