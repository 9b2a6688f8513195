package deque

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAgainstSlice runs a seeded random sequence of operations on a Deque
// and on a plain slice and checks they agree after every step. A failure
// names the seed and step so it can be replayed.
func TestAgainstSlice(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rnd := rand.New(rand.NewPCG(seed, seed*7919))
		var d Deque[int]
		var model []int
		next := 0
		for step := 0; step < 3000; step++ {
			op := rnd.IntN(12)
			switch {
			case op <= 2:
				next++
				d.PushBack(next)
				model = append(model, next)
			case op <= 4:
				next++
				d.PushFront(next)
				model = slices.Insert(model, 0, next)
			case op == 5 && len(model) > 0:
				if got, want := d.PopFront(), model[0]; got != want {
					t.Fatalf("seed %d step %d: PopFront = %d, want %d", seed, step, got, want)
				}
				model = model[1:]
			case op == 6 && len(model) > 0:
				if got, want := d.PopBack(), model[len(model)-1]; got != want {
					t.Fatalf("seed %d step %d: PopBack = %d, want %d", seed, step, got, want)
				}
				model = model[:len(model)-1]
			case op == 7:
				i := rnd.IntN(len(model) + 1)
				next++
				d.Insert(i, next)
				model = slices.Insert(model, i, next)
			case op == 8 && len(model) > 0:
				i := rnd.IntN(len(model))
				if got, want := d.Remove(i), model[i]; got != want {
					t.Fatalf("seed %d step %d: Remove(%d) = %d, want %d", seed, step, i, got, want)
				}
				model = slices.Delete(model, i, i+1)
			case op == 9 && len(model) > 0:
				i := rnd.IntN(len(model))
				next++
				d.Set(i, next)
				model[i] = next
			case op == 10:
				k := rnd.IntN(len(model)/4 + 1)
				if rnd.IntN(2) == 0 {
					d.TrimFront(k)
					model = model[k:]
				} else {
					d.TrimBack(k)
					model = model[:len(model)-k]
				}
			case op == 11:
				mod := rnd.IntN(5) + 2
				removed := d.Keep(func(i, v int) bool { return v%mod != 0 })
				before := len(model)
				model = slices.DeleteFunc(model, func(v int) bool { return v%mod == 0 })
				if removed != before-len(model) {
					t.Fatalf("seed %d step %d: Keep removed %d, want %d", seed, step, removed, before-len(model))
				}
			}
			check(t, seed, step, &d, model)
		}
	}
}

func check(t *testing.T, seed uint64, step int, d *Deque[int], model []int) {
	t.Helper()
	if d.Len() != len(model) {
		t.Fatalf("seed %d step %d: Len = %d, want %d", seed, step, d.Len(), len(model))
	}
	if got := d.AppendTo(nil, 0, d.Len()); !slices.Equal(got, model) && !(len(got) == 0 && len(model) == 0) {
		t.Fatalf("seed %d step %d: contents %v, want %v", seed, step, got, model)
	}
	for i := range model {
		if d.At(i) != model[i] {
			t.Fatalf("seed %d step %d: At(%d) = %d, want %d", seed, step, i, d.At(i), model[i])
		}
	}
	if c := len(d.buf); c != 0 && (c < minCap || c&(c-1) != 0 || c < d.n) {
		t.Fatalf("seed %d step %d: bad buffer capacity %d for %d elements", seed, step, c, d.n)
	}
	if d.n > 0 && len(d.buf) > minCap && d.n < len(d.buf)/8 {
		t.Fatalf("seed %d step %d: buffer of %d kept for %d elements", seed, step, len(d.buf), d.n)
	}
}

func TestRangeAndClone(t *testing.T) {
	var d Deque[string]
	for _, s := range []string{"c", "d", "e"} {
		d.PushBack(s)
	}
	d.PushFront("b")
	d.PushFront("a")
	var fwd, rev []string
	d.Range(1, 4, false, func(i int, v string) bool { fwd = append(fwd, v); return true })
	d.Range(1, 4, true, func(i int, v string) bool { rev = append(rev, v); return true })
	if !slices.Equal(fwd, []string{"b", "c", "d"}) || !slices.Equal(rev, []string{"d", "c", "b"}) {
		t.Fatalf("Range: fwd %v rev %v", fwd, rev)
	}
	var first []string
	d.Range(0, 5, false, func(i int, v string) bool { first = append(first, v); return i < 1 })
	if !slices.Equal(first, []string{"a", "b"}) {
		t.Fatalf("Range stop: %v", first)
	}
	c := d.Clone()
	c.Set(0, "z")
	if d.At(0) != "a" || c.At(0) != "z" || c.Len() != 5 {
		t.Fatalf("Clone not independent: %v / %v", d.AppendTo(nil, 0, d.Len()), c.AppendTo(nil, 0, c.Len()))
	}
	d.Clear()
	if d.Len() != 0 || d.Clone().Len() != 0 {
		t.Fatal("Clear left elements")
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(d *Deque[int]){
		"PopFront": func(d *Deque[int]) { d.PopFront() },
		"PopBack":  func(d *Deque[int]) { d.PopBack() },
		"At":       func(d *Deque[int]) { d.At(0) },
		"Insert":   func(d *Deque[int]) { d.Insert(1, 0) },
		"Trim":     func(d *Deque[int]) { d.TrimFront(1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s on an empty deque did not panic", name)
				}
			}()
			var d Deque[int]
			f(&d)
		}()
	}
}
