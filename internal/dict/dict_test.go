package dict

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
)

// check verifies d against the model m: same length, every key found with
// its value, and All visiting each key exactly once.
func check(t *testing.T, d *Dict[int], m map[string]int) {
	t.Helper()
	if d.Len() != len(m) {
		t.Fatalf("Len = %d, want %d", d.Len(), len(m))
	}
	for k, v := range m {
		p := d.Get(k)
		if p == nil || *p != v {
			t.Fatalf("Get(%q) = %v, want %d", k, p, v)
		}
	}
	seen := map[string]bool{}
	d.All(func(k string, v *int) bool {
		if seen[k] {
			t.Fatalf("All visited %q twice", k)
		}
		seen[k] = true
		if m[k] != *v {
			t.Fatalf("All: %q = %d, want %d", k, *v, m[k])
		}
		return true
	})
	if len(seen) != len(m) {
		t.Fatalf("All visited %d keys, want %d", len(seen), len(m))
	}
}

func TestZeroValue(t *testing.T) {
	var d Dict[int]
	if d.Len() != 0 || d.Get("x") != nil || d.Rehashing() {
		t.Fatal("zero Dict is not empty")
	}
	if _, ok := d.Delete("x"); ok {
		t.Fatal("Delete on an empty Dict reported a key")
	}
	if _, _, ok := d.Random(rand.New(rand.NewPCG(1, 1)).Uint64); ok {
		t.Fatal("Random on an empty Dict returned a key")
	}
	if c := d.Scan(0, func(string, *int) { t.Fatal("Scan called fn on an empty Dict") }); c != 0 {
		t.Fatalf("Scan on an empty Dict returned cursor %d", c)
	}
	d.RehashSteps(10) // must not panic
}

// TestRandomOpsAgainstMap runs seeded random operations against the Dict
// and a Go map and compares them throughout, across growth and shrinking.
func TestRandomOpsAgainstMap(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 7))
			var d Dict[int]
			m := map[string]int{}
			keyspace := 2000
			for i := 0; i < 40000; i++ {
				// Phases: grow to the whole key space, then shrink to a
				// few keys, and again.
				growing := (i/10000)%2 == 0
				k := fmt.Sprint("k", rnd.IntN(keyspace))
				op := rnd.IntN(10)
				switch {
				case op < 6 && growing, op < 2 && !growing:
					p, added := d.Put(k)
					_, had := m[k]
					if added == had {
						t.Fatalf("op %d: Put(%q) added=%v, model had=%v", i, k, added, had)
					}
					*p = i
					m[k] = i
				case op < 9:
					old, ok := d.Delete(k)
					want, had := m[k]
					if ok != had || (ok && old != want) {
						t.Fatalf("op %d: Delete(%q) = %d,%v, want %d,%v", i, k, old, ok, want, had)
					}
					delete(m, k)
				default:
					p := d.Get(k)
					want, had := m[k]
					if (p != nil) != had || (p != nil && *p != want) {
						t.Fatalf("op %d: Get(%q) = %v, want %d,%v", i, k, p, want, had)
					}
				}
				if i%997 == 0 {
					check(t, &d, m)
				}
			}
			check(t, &d, m)
			for k := range m {
				d.Delete(k)
			}
			check(t, &d, map[string]int{})
		})
	}
}

// growUntilRehashing adds keys until an incremental rehash of a table of at
// least 1000 keys is in progress, so that it takes hundreds of steps to
// finish.
func growUntilRehashing(t *testing.T, d *Dict[int], m map[string]int, prefix string) {
	t.Helper()
	for i := 0; !d.Rehashing() || d.Len() < 1000; i++ {
		if i > 1<<20 {
			t.Fatal("no rehash started")
		}
		k := fmt.Sprint(prefix, i)
		p, _ := d.Put(k)
		*p = i
		m[k] = i
	}
}

func TestRehashInProgress(t *testing.T) {
	var d Dict[int]
	m := map[string]int{}
	growUntilRehashing(t, &d, m, "a")
	// Every operation works mid-rehash, with keys in both tables.
	for _, k := range []string{"a0", "a1", "a500", "a999"} {
		if p := d.Get(k); p == nil || *p != m[k] {
			t.Fatalf("Get(%q) mid-rehash = %v, want %d", k, p, m[k])
		}
	}
	for i := 0; i < 5; i++ {
		k := fmt.Sprint("b", i)
		p, added := d.Put(k)
		if !added {
			t.Fatalf("Put(%q) mid-rehash: not added", k)
		}
		*p = -i
		m[k] = -i
	}
	if _, ok := d.Delete("a0"); !ok {
		t.Fatal("Delete mid-rehash failed")
	}
	delete(m, "a0")
	if !d.Rehashing() {
		t.Fatal("rehash finished too early for this test to mean anything")
	}
	check(t, &d, m)
	// RehashSteps finishes it.
	for i := 0; d.Rehashing(); i++ {
		if i > 10000 {
			t.Fatal("RehashSteps never finished the rehash")
		}
		d.RehashSteps(1)
	}
	check(t, &d, m)
	if b := d.Buckets(); b < d.Len() {
		t.Fatalf("%d buckets for %d keys after growing", b, d.Len())
	}
}

func TestShrink(t *testing.T) {
	var d Dict[int]
	m := map[string]int{}
	for i := 0; i < 4096; i++ {
		k := fmt.Sprint(i)
		p, _ := d.Put(k)
		*p = i
		m[k] = i
	}
	d.RehashSteps(1 << 20)
	big := d.Buckets()
	for i := 0; i < 4090; i++ {
		k := fmt.Sprint(i)
		d.Delete(k)
		delete(m, k)
	}
	d.RehashSteps(1 << 20)
	check(t, &d, m)
	if d.Buckets() >= big/8 {
		t.Fatalf("table did not shrink: %d buckets (was %d) for %d keys", d.Buckets(), big, d.Len())
	}
}

func TestClear(t *testing.T) {
	var d Dict[int]
	m := map[string]int{}
	growUntilRehashing(t, &d, m, "x")
	d.Clear()
	check(t, &d, map[string]int{})
	p, added := d.Put("y")
	if !added || p == nil {
		t.Fatal("Put after Clear failed")
	}
}

// TestRandom checks that Random returns only present keys and reaches
// every key with roughly even frequency, on a small table, a large one and
// one that is rehashing.
func TestRandom(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n         int
		rehashing bool
	}{{"one", 1, false}, {"small", 5, false}, {"large", 3000, false}, {"rehashing", 0, true}} {
		t.Run(tc.name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(3, 4))
			var d Dict[int]
			m := map[string]int{}
			if tc.rehashing {
				growUntilRehashing(t, &d, m, "r")
			} else {
				for i := 0; i < tc.n; i++ {
					k := fmt.Sprint("r", i)
					p, _ := d.Put(k)
					*p = i
					m[k] = i
				}
			}
			n := len(m)
			draws := n * 200
			counts := map[string]int{}
			for i := 0; i < draws; i++ {
				k, v, ok := d.Random(rnd.Uint64)
				if !ok {
					t.Fatal("Random: no key")
				}
				if want, had := m[k]; !had || *v != want {
					t.Fatalf("Random returned %q=%d, not in the table", k, *v)
				}
				counts[k]++
			}
			if len(counts) != n {
				t.Fatalf("Random reached %d of %d keys", len(counts), n)
			}
			// Chained buckets make keys in long chains rarer, as in Redis (a
			// key sharing its bucket with k others is drawn 1/(k+1) as
			// often); no key should be drawn less than a tenth or more than
			// five times as often as the mean.
			mean := draws / n
			for k, c := range counts {
				if c < mean/10 || c > mean*5 {
					t.Errorf("key %q drawn %d times, mean %d", k, c, mean)
				}
			}
		})
	}
}

// scanAll runs a full scan, calling between(step) after each Scan call, and
// returns the keys seen (with repeats counted).
func scanAll(d *Dict[int], between func(step int)) map[string]int {
	seen := map[string]int{}
	var cursor uint64
	for step := 0; ; step++ {
		cursor = d.Scan(cursor, func(k string, _ *int) { seen[k]++ })
		if cursor == 0 {
			return seen
		}
		between(step)
	}
}

func TestScanStableTable(t *testing.T) {
	var d Dict[int]
	for i := 0; i < 1000; i++ {
		d.Put(fmt.Sprint(i))
	}
	d.RehashSteps(1 << 20)
	seen := scanAll(&d, func(int) {})
	if len(seen) != 1000 {
		t.Fatalf("scan saw %d keys, want 1000", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("key %q returned %d times by a scan of a stable table", k, n)
		}
	}
}

// TestScanGuarantee: every key present for the whole scan is returned,
// while other keys are inserted and deleted between Scan calls so that the
// table grows, shrinks and is caught mid-rehash.
func TestScanGuarantee(t *testing.T) {
	totalGrows, totalShrinks := 0, 0
	defer func() {
		if totalGrows == 0 || totalShrinks == 0 {
			t.Errorf("the scans saw %d grows and %d shrinks; both must happen", totalGrows, totalShrinks)
		}
	}()
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 99))
			var d Dict[int]
			stable := map[string]bool{}
			nStable := 50 + rnd.IntN(300)
			for i := 0; i < nStable; i++ {
				k := fmt.Sprint("s", i)
				d.Put(k)
				stable[k] = true
			}
			var churn []string
			next := 0
			grows, shrinks := 0, 0
			seen := scanAll(&d, func(step int) {
				before := d.Buckets()
				// Alternate bursts of growth and of shrinkage.
				if (step/4)%2 == 0 {
					for i := rnd.IntN(150); i > 0; i-- {
						k := fmt.Sprint("c", next)
						next++
						d.Put(k)
						churn = append(churn, k)
					}
				} else {
					for i := rnd.IntN(150); i > 0 && len(churn) > 0; i-- {
						j := rnd.IntN(len(churn))
						d.Delete(churn[j])
						churn[j] = churn[len(churn)-1]
						churn = churn[:len(churn)-1]
					}
				}
				if rnd.IntN(3) == 0 {
					d.RehashSteps(rnd.IntN(50))
				}
				switch after := d.Buckets(); {
				case after > before:
					grows++
				case after < before:
					shrinks++
				}
			})
			totalGrows += grows
			totalShrinks += shrinks
			var missing []string
			for k := range stable {
				if seen[k] == 0 {
					missing = append(missing, k)
				}
			}
			if len(missing) > 0 {
				sort.Strings(missing)
				t.Fatalf("%d stable keys never returned (grows %d, shrinks %d): %v", len(missing), grows, shrinks, missing)
			}
		})
	}
}

// TestScanGrowAndShrink drives one scan through a full grow and a full
// shrink explicitly, checking the table really changed size in both
// directions while the scan was in progress.
func TestScanGrowAndShrink(t *testing.T) {
	var d Dict[int]
	for i := 0; i < 64; i++ {
		d.Put(fmt.Sprint("s", i))
	}
	d.RehashSteps(1 << 20)
	minB, maxB := d.Buckets(), d.Buckets()
	seen := scanAll(&d, func(step int) {
		switch {
		case step < 3:
			for i := 0; i < 500; i++ {
				d.Put(fmt.Sprint("g", step, "-", i))
			}
		case step < 6:
			for i := 0; i < 500; i++ {
				d.Delete(fmt.Sprint("g", step-3, "-", i))
			}
		}
		d.RehashSteps(step % 3 * 20)
		minB, maxB = min(minB, d.Buckets()), max(maxB, d.Buckets())
	})
	for i := 0; i < 64; i++ {
		if seen[fmt.Sprint("s", i)] == 0 {
			t.Fatalf("stable key s%d not returned", i)
		}
	}
	if maxB <= 64 || d.Buckets() >= maxB {
		t.Fatalf("table did not grow and shrink during the scan: min %d max %d final %d", minB, maxB, d.Buckets())
	}
}

func TestScanCursorOutOfRange(t *testing.T) {
	var d Dict[int]
	for i := 0; i < 10; i++ {
		d.Put(fmt.Sprint(i))
	}
	// A cursor from a larger table, or made up, still terminates.
	c := d.Scan(1<<63|12345, func(string, *int) {})
	for n := 0; c != 0; n++ {
		if n > 100 {
			t.Fatal("scan from a foreign cursor does not end")
		}
		c = d.Scan(c, func(string, *int) {})
	}
}

func BenchmarkPutGet(b *testing.B) {
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprint("key:", i)
	}
	b.ReportAllocs()
	var d Dict[int]
	for i := 0; i < b.N; i++ {
		k := keys[i&1023]
		p, _ := d.Put(k)
		*p = i
		_ = d.Get(k)
	}
}

// TestPinnedScanOnce: a scan of a pinned table, with most keys deleted
// and others added between the calls (which would shrink an unpinned
// table), returns every key present throughout exactly once and no key
// twice.
func TestPinnedScanOnce(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, seed))
		var d Dict[int]
		for i := 0; i < 4096; i++ {
			*must(d.Put(strconv.Itoa(i))) = i
		}
		d.Pin()
		seen := map[string]int{}
		cursor := uint64(0)
		step := 0
		for {
			cursor = d.Scan(cursor, func(k string, _ *int) { seen[k]++ })
			step++
			// Delete keys >= 64 progressively (keys < 64 stay throughout)
			// and add new ones, running rehash steps as the cron would.
			for j := 0; j < 200; j++ {
				k := 64 + r.IntN(4096-64)
				d.Delete(strconv.Itoa(k))
			}
			if step%3 == 0 {
				*must(d.Put("new" + strconv.Itoa(step))) = step
			}
			d.RehashSteps(100)
			if cursor == 0 {
				break
			}
		}
		d.Unpin()
		for k, n := range seen {
			if n != 1 {
				t.Fatalf("seed %d: key %q returned %d times", seed, k, n)
			}
		}
		for i := 0; i < 64; i++ {
			if seen[strconv.Itoa(i)] != 1 {
				t.Fatalf("seed %d: key %d present throughout was not returned", seed, i)
			}
		}
		// Unpinned, the table shrinks again.
		before := d.Buckets()
		for i := 0; i < 10; i++ {
			d.RehashSteps(1000)
		}
		if d.Len() < before/8 && d.Buckets() >= before {
			t.Fatalf("seed %d: table did not shrink after Unpin (%d keys, %d buckets)", seed, d.Len(), d.Buckets())
		}
	}
}

func must[V any](v *V, _ bool) *V { return v }
