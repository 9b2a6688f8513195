package zindex

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

type pair struct {
	score  float64
	member string
}

func pairLess(a, b pair) int {
	switch {
	case less(a.score, a.member, b.score, b.member):
		return -1
	case less(b.score, b.member, a.score, a.member):
		return 1
	}
	return 0
}

// model is a sorted slice of pairs: the reference the index is checked
// against.
type model []pair

func (m model) find(p pair) (int, bool) { return slices.BinarySearchFunc(m, p, pairLess) }

func checkAgainst(t *testing.T, l *List, m model) {
	t.Helper()
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
	if l.Len() != len(m) {
		t.Fatalf("Len %d, model %d", l.Len(), len(m))
	}
	i := 0
	for x := l.First(); x != nil; x = x.Next() {
		if x.Score != m[i].score || x.Member != m[i].member {
			t.Fatalf("position %d: %v %q, model %v %q", i, x.Score, x.Member, m[i].score, m[i].member)
		}
		i++
	}
	i = len(m) - 1
	for x := l.Last(); x != nil; x = x.Prev() {
		if x.Member != m[i].member {
			t.Fatalf("backwards position %d: %q, model %q", i, x.Member, m[i].member)
		}
		i--
	}
}

func TestEmpty(t *testing.T) {
	l := New(1)
	if l.First() != nil || l.Last() != nil || l.Len() != 0 || l.ByRank(0) != nil || l.Rank(1, "a") != -1 {
		t.Fatal("empty list is not empty")
	}
	if l.FirstInRange(ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}) != nil ||
		l.FirstInLexRange(LexRange{Min: LexBound{Inf: -1}, Max: LexBound{Inf: 1}}) != nil {
		t.Fatal("range of empty list is not empty")
	}
	if l.Delete(1, "a") {
		t.Fatal("Delete on an empty list succeeded")
	}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestOrderEqualScores(t *testing.T) {
	l := New(7)
	for _, m := range []string{"b", "a", "c", "", "ab", "\xff", "B"} {
		l.Insert(1, m)
	}
	l.Insert(0, "z")
	l.Insert(math.Inf(1), "a")
	var got []string
	for x := l.First(); x != nil; x = x.Next() {
		got = append(got, x.Member)
	}
	want := []string{"z", "", "B", "a", "ab", "b", "c", "\xff", "a"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
	if r := l.Rank(1, "ab"); r != 4 {
		t.Fatalf("Rank = %d, want 4", r)
	}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestRandomized runs a seeded stream of inserts, deletes, score updates
// and queries against the index and a sorted slice, checking every answer
// and the invariants as it goes.
func TestRandomized(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, seed*31))
			l := New(seed)
			var m model
			score := func() float64 {
				switch rnd.IntN(10) {
				case 0:
					return math.Inf(1)
				case 1:
					return math.Inf(-1)
				}
				return float64(rnd.IntN(20)) / 2 // many ties
			}
			member := func() string { return strconv.Itoa(rnd.IntN(300)) }
			lookup := func(mem string) (float64, bool) {
				for _, p := range m {
					if p.member == mem {
						return p.score, true
					}
				}
				return 0, false
			}
			for op := 0; op < 4000; op++ {
				switch rnd.IntN(8) {
				case 0, 1, 2: // insert or update
					mem, sc := member(), score()
					if old, ok := lookup(mem); ok {
						n := l.UpdateScore(old, mem, sc)
						if n.Score != sc || n.Member != mem {
							t.Fatalf("UpdateScore returned %v %q", n.Score, n.Member)
						}
						i, _ := m.find(pair{old, mem})
						m = slices.Delete(m, i, i+1)
					} else {
						l.Insert(sc, mem)
					}
					i, _ := m.find(pair{sc, mem})
					m = slices.Insert(m, i, pair{sc, mem})
				case 3: // delete
					mem := member()
					old, ok := lookup(mem)
					if !ok {
						if l.Delete(score(), mem) {
							t.Fatalf("Delete of missing %q succeeded", mem)
						}
						continue
					}
					if !l.Delete(old, mem) {
						t.Fatalf("Delete of %q failed", mem)
					}
					i, _ := m.find(pair{old, mem})
					m = slices.Delete(m, i, i+1)
				case 4: // rank and by-rank
					if len(m) == 0 {
						continue
					}
					i := rnd.IntN(len(m))
					if r := l.Rank(m[i].score, m[i].member); r != i {
						t.Fatalf("Rank(%v,%q) = %d, want %d", m[i].score, m[i].member, r, i)
					}
					if x := l.ByRank(i); x == nil || x.Member != m[i].member {
						t.Fatalf("ByRank(%d) wrong", i)
					}
					if r := l.Rank(m[i].score, m[i].member+"\x00"); r != -1 {
						t.Fatalf("Rank of a missing pair = %d", r)
					}
				case 5: // score range
					r := ScoreRange{Min: score(), Max: score(), MinEx: rnd.IntN(2) == 0, MaxEx: rnd.IntN(2) == 0}
					first, last := -1, -1
					for i, p := range m {
						if r.Contains(p.score) {
							if first < 0 {
								first = i
							}
							last = i
						}
					}
					checkNode(t, "FirstInRange", l.FirstInRange(r), m, first)
					checkNode(t, "LastInRange", l.LastInRange(r), m, last)
				case 6: // lex range over a same-score list, built fresh
					testLexAgainstModel(t, rnd)
				case 7:
					if rnd.IntN(50) == 0 {
						checkAgainst(t, l, m)
					}
					if rnd.IntN(20) == 0 && len(m) > 0 {
						start, n := rnd.IntN(len(m)+2)-1, rnd.IntN(6)
						var got []string
						k := l.DeleteRangeByRank(start, n, func(x *Node) { got = append(got, x.Member) })
						var want []string
						if start >= 0 && start < len(m) && n > 0 {
							end := min(start+n, len(m))
							for _, p := range m[start:end] {
								want = append(want, p.member)
							}
							m = slices.Delete(m, start, end)
						}
						if k != len(want) || !slices.Equal(got, want) {
							t.Fatalf("DeleteRangeByRank(%d, %d) = %d %q, want %q", start, n, k, got, want)
						}
						checkAgainst(t, l, m)
					}
				}
			}
			checkAgainst(t, l, m)
			for len(m) > 0 {
				i := rnd.IntN(len(m))
				if !l.Delete(m[i].score, m[i].member) {
					t.Fatalf("Delete failed")
				}
				m = slices.Delete(m, i, i+1)
			}
			checkAgainst(t, l, m)
		})
	}
}

func checkNode(t *testing.T, what string, x *Node, m model, want int) {
	t.Helper()
	if want < 0 {
		if x != nil {
			t.Fatalf("%s = %v %q, want none", what, x.Score, x.Member)
		}
		return
	}
	if x == nil || x.Member != m[want].member || x.Score != m[want].score {
		t.Fatalf("%s = %v, want position %d (%q)", what, x, want, m[want].member)
	}
}

func testLexAgainstModel(t *testing.T, rnd *rand.Rand) {
	t.Helper()
	l := New(rnd.Uint64())
	var m model
	for _, i := range rnd.Perm(30) {
		if rnd.IntN(3) == 0 {
			continue
		}
		mem := string(rune('a' + i%26))
		if i >= 26 {
			mem += "x"
		}
		l.Insert(0, mem)
		j, _ := m.find(pair{0, mem})
		m = slices.Insert(m, j, pair{0, mem})
	}
	bound := func() LexBound {
		switch rnd.IntN(8) {
		case 0:
			return LexBound{Inf: -1}
		case 1:
			return LexBound{Inf: 1}
		}
		return LexBound{Member: string(rune('a' + rnd.IntN(28))), Exclusive: rnd.IntN(2) == 0}
	}
	for k := 0; k < 10; k++ {
		r := LexRange{Min: bound(), Max: bound()}
		first, last := -1, -1
		for i, p := range m {
			if r.Contains(p.member) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		checkNode(t, "FirstInLexRange", l.FirstInLexRange(r), m, first)
		checkNode(t, "LastInLexRange", l.LastInLexRange(r), m, last)
	}
}

func TestCheckCatchesCorruption(t *testing.T) {
	l := New(3)
	for i := 0; i < 50; i++ {
		l.Insert(float64(i), strconv.Itoa(i))
	}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
	l.ByRank(10).Score = 100 // out of order
	if l.Check() == nil {
		t.Fatal("Check missed a node out of order")
	}
	l.ByRank(10).Score = 10
	l.header.level[0].span = 5
	if l.Check() == nil {
		t.Fatal("Check missed a wrong span")
	}
	l.header.level[0].span = 1
	l.length++
	if l.Check() == nil {
		t.Fatal("Check missed a wrong length")
	}
}

func BenchmarkRank(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			l := New(1)
			for i := 0; i < n; i++ {
				l.Insert(float64(i), strconv.Itoa(i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				j := i % n
				if l.Rank(float64(j), strconv.Itoa(j)) != j {
					b.Fatal("wrong rank")
				}
			}
		})
	}
}
