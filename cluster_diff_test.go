package embedis_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embedis/embedis"
	"github.com/embedis/embedis/embedistest"
	"github.com/embedis/embedis/internal/redistest"
)

// TestDiffCluster runs the testdata/diff/cluster scripts against a
// one-node redis-server cluster (cluster-enabled, every slot assigned)
// and against a store with Options.ClusterEnabled, over RESP2 and RESP3,
// as TestDiff does for the other scripts.
func TestDiffCluster(t *testing.T) {
	files, err := filepath.Glob("testdata/diff/cluster/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/diff/cluster: %v", err)
	}
	for _, f := range files {
		sc, err := redistest.ParseFile(f)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, proto := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/RESP%d", sc.Name, proto), func(t *testing.T) {
				want, err := redistest.Dial(startClusterNode(t))
				if err != nil {
					t.Fatal(err)
				}
				defer want.Close()
				s := embedistest.Open(t, embedis.Options{ClusterEnabled: true, Seed: 1})
				got, err := redistest.Dial(embedistest.Addr(t, s))
				if err != nil {
					t.Fatal(err)
				}
				defer got.Close()
				ms, err := redistest.Run(sc, proto,
					redistest.Side{Name: "redis", Conn: want},
					redistest.Side{Name: "embedis", Conn: got})
				for _, m := range ms {
					t.Error(m)
				}
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// startClusterNode starts redis-server as a one-node cluster that owns
// every slot and returns its address once the cluster state is ok.
// redis-server holds a new primary's state at "fail" for two seconds after
// start (its writable delay), answering CLUSTERDOWN meanwhile, so this
// waits for CLUSTER INFO to say ok: a condition of the other process, with
// a deadline.
func startClusterNode(t *testing.T) string {
	t.Helper()
	addr := redistest.StartWith(t, "--cluster-enabled", "yes")
	c, err := redistest.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r, err := c.Do("CLUSTER", "ADDSLOTSRANGE", "0", "16383"); err != nil || r.Text != "OK" {
		t.Fatalf("CLUSTER ADDSLOTSRANGE: %v %v", r, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := c.Do("CLUSTER", "INFO")
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(r.Text, "cluster_state:ok") {
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server cluster state not ok: %q", r.Text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
