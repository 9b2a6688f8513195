package embedis_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/embedis/embedis"
)

// A point-in-time snapshot of one store, written to any io.Writer and
// loaded into another: the same RDB file redis-server 7.0 writes and
// reads. With Options.Dir the store keeps it on disk itself (SAVE, BGSAVE,
// save rules, loaded by Open).
func ExampleStore_WriteSnapshot() {
	ctx := context.Background()
	src, _ := embedis.Open(embedis.Options{})
	defer src.Close()
	src.Set(ctx, "greeting", "hello", embedis.SetOptions{})
	src.Do(ctx, "RPUSH", "queue", "a", "b", "c")

	var rdb bytes.Buffer
	if err := src.WriteSnapshot(ctx, &rdb); err != nil {
		panic(err)
	}

	dst, err := embedis.Open(embedis.Options{LoadFrom: &rdb})
	if err != nil {
		panic(err)
	}
	defer dst.Close()
	g, _ := dst.Get(ctx, "greeting")
	n, _ := dst.Do(ctx, "LLEN", "queue")
	fmt.Println(g, n.Int())
	// Output: hello 3
}
