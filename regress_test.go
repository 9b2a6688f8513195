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

// COPY duplicates an int-encoded string: the copy is "int" but not one of
// Redis's shared integers, so OBJECT REFCOUNT is 1 (found by
// TestRandomDiff/keys).
func TestRegressCopyOfSharedInt(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "a", "5")
	ts.expect(IntValue(2147483647), "OBJECT", "REFCOUNT", "a")
	ts.expect(IntValue(1), "COPY", "a", "b")
	ts.expect(IntValue(1), "OBJECT", "REFCOUNT", "b")
	ts.expect(BulkValue("int"), "OBJECT", "ENCODING", "b")
	ts.do("RENAME", "b", "c")
	ts.expect(IntValue(1), "OBJECT", "REFCOUNT", "c")
	ts.expect(IntValue(6), "INCR", "c")
	ts.expect(IntValue(2147483647), "OBJECT", "REFCOUNT", "c")
}
