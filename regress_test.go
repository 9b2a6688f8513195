package embedis

import "testing"

// Regression tests for bugs found by FuzzDispatch and TestRandomDiff, one
// per bug, named after what they broke.

// SORT of a listpack sorted set converts it to a skiplist, as Redis's
// sort.c does; OBJECT ENCODING shows it (found by TestRandomDiff/keys).
func TestRegressSortConvertsZset(t *testing.T) {
	ts := newTestStore(t)
	ts.do("ZADD", "z", "1", "a")
	ts.expectErr("ERR syntax error", "SORT", "z", "BADOPT")
	ts.expect(BulkValue("listpack"), "OBJECT", "ENCODING", "z")
	ts.do("SORT", "z")
	ts.expect(BulkValue("skiplist"), "OBJECT", "ENCODING", "z")
}
