package persist_test

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/embedis/embedis/persist"
)

// A snapshot is written through a SnapshotWriter and replaces the previous
// one atomically when Commit returns.
func ExampleOpenSnapshotDir() {
	dir, err := os.MkdirTemp("", "persist-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	snaps, err := persist.OpenSnapshotDir(dir, "dump.rdb")
	if err != nil {
		log.Fatal(err)
	}
	w, err := snaps.Create()
	if err != nil {
		log.Fatal(err)
	}
	defer w.Abort() // does nothing once Commit has succeeded
	if _, err := io.WriteString(w, "REDIS0010..."); err != nil {
		log.Fatal(err)
	}
	info, err := w.Commit()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Name, info.Size)

	r, err := snaps.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	fmt.Printf("%s\n", b)
	// Output:
	// dump.rdb 12
	// REDIS0010...
}

// A simulated power loss keeps only what was made durable.
func ExampleMemLog_Crash() {
	m := persist.NewMemLog()
	f, _ := m.Create("appendonly.aof.1.incr.aof")
	io.WriteString(f, "SET a 1;")
	f.Sync()
	m.SyncDir() // the file's name is durable too
	io.WriteString(f, "SET b 2;")

	m.Crash()
	r, _ := m.Open("appendonly.aof.1.incr.aof")
	b, _ := io.ReadAll(r)
	fmt.Printf("%s\n", b)
	// Output:
	// SET a 1;
}
