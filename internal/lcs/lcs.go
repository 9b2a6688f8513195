// Package lcs computes the longest common subsequence of two byte strings
// the way Redis 7.0's LCS command does: the classic O(n*m) dynamic
// programming table, walked back from the end with Redis's tie-breaking, so
// the subsequence and the match ranges are the ones Redis reports.
package lcs

// Match is one run of consecutive common bytes: a[A0..A1] == b[B0..B1]
// (inclusive).
type Match struct {
	A0, A1, B0, B1 int
}

// Len returns the length of the match.
func (m Match) Len() int { return m.A1 - m.A0 + 1 }

// TableBytes is the transient memory, in bytes, that Redis's table for
// strings of lengths n and m takes (one uint32 per cell), which Redis
// refuses to allocate beyond proto-max-bulk-len.
func TableBytes(n, m int) uint64 {
	return uint64(n+1) * uint64(m+1) * 4
}

// Length returns the length of the longest common subsequence of a and b,
// in O(len(b)) memory.
func Length(a, b string) int {
	prev := make([]int32, len(b)+1)
	cur := make([]int32, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] > cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}

// Compute returns the longest common subsequence of a and b and, when
// matches is true, its runs from the end of the strings towards the start
// (Redis's order), keeping runs of at least minLen bytes (all when minLen
// is 0).
//
// The table holds uint16 cells, half of Redis's uint32: a cell never
// exceeds min(len(a), len(b)), and the caller's size limit (TableBytes at
// most 512 MB) keeps the shorter string under 11586 bytes.
func Compute(a, b string, matches bool, minLen int) (string, []Match) {
	if min(len(a), len(b)) > 0xFFFF {
		panic("lcs: strings too long for the table")
	}
	w := len(b) + 1
	t := make([]uint16, (len(a)+1)*w)
	for i := 1; i <= len(a); i++ {
		row, up := t[i*w:(i+1)*w], t[(i-1)*w:i*w]
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				row[j] = up[j-1] + 1
			case up[j] > row[j-1]:
				row[j] = up[j]
			default:
				row[j] = row[j-1]
			}
		}
	}
	n := int(t[len(a)*w+len(b)])
	out := make([]byte, n)
	var runs []Match

	// Walk back from the end. A run grows backwards while matches are
	// consecutive in both strings; it is closed when the walk leaves it
	// (a step over a mismatch) or reaches the start of either string.
	var cur Match
	open := false
	i, j, k := len(a), len(b), n
	for i > 0 && j > 0 {
		closeRun := false
		if a[i-1] == b[j-1] {
			k--
			out[k] = a[i-1]
			switch {
			case !open:
				cur = Match{A0: i - 1, A1: i - 1, B0: j - 1, B1: j - 1}
				open = true
			case cur.A0 == i && cur.B0 == j:
				cur.A0--
				cur.B0--
			default:
				// Not reachable (a match right after a match is always
				// adjacent), but Redis closes the run here, so do we.
				closeRun = true
			}
			if cur.A0 == 0 || cur.B0 == 0 {
				closeRun = true
			}
			i--
			j--
		} else {
			if t[(i-1)*w+j] > t[i*w+j-1] {
				i--
			} else {
				j--
			}
			closeRun = open
		}
		if closeRun {
			if matches && (minLen == 0 || cur.Len() >= minLen) {
				runs = append(runs, cur)
			}
			open = false
		}
	}
	return string(out), runs
}
