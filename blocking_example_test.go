package embedis_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/embedis/embedis"
)

// A worker waits for jobs with BLPop; a producer pushes one.
func ExampleDB_BLPop() {
	s, _ := embedis.Open(embedis.Options{})
	defer s.Close()
	ctx := context.Background()

	go s.RPush(ctx, "jobs", "resize:42")
	key, job, err := s.BLPop(ctx, 0, "jobs") // 0: no timeout of its own
	fmt.Println(key, job, err)

	// The context bounds the wait too; a call it ends took nothing.
	short, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	_, _, err = s.BLPop(short, 0, "jobs")
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// jobs resize:42 <nil>
	// true
}
