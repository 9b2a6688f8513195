//go:build embedischeck

package embedis

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMutationCheckCatches proves the check can fail: a change made to a
// key without the hooks is reported, and the same change through them is
// not.
func TestMutationCheckCatches(t *testing.T) {
	ts := newTestStore(t)
	ts.do("SET", "k", "v")
	var msgs []string
	require.NoError(t, ts.onExecutor(context.Background(), func(s *Store) {
		s.mcheck.fail = func(m string) { msgs = append(msgs, m) }

		// A silent write: straight into the table.
		s.mutCheckBegin("silent write")
		s.dbs[0].keys.Get("k").str = "changed"
		s.mutCheckEnd()

		// A silent delete and a silent creation.
		s.mutCheckBegin("silent delete")
		s.dbs[0].keys.Delete("k")
		e, _ := s.dbs[0].keys.Put("new")
		e.typ, e.str = typeString, "x"
		s.mutCheckEnd()

		// The same kind of change through the mutation path.
		s.mutCheckBegin("hooked write")
		c := &call{s: s, cl: &client{proto: 3}, db: s.dbs[0]}
		c.setString("new", "y", encEmbstr, false, evSet)
		c.del("new")
		s.mutCheckEnd()
		s.mcheck.fail = nil
	}))
	require.Len(t, msgs, 2)
	require.Contains(t, msgs[0], `key "k"`)
	require.Contains(t, msgs[1], `key "k"`)
	require.Contains(t, msgs[1], `key "new"`)
}
