package embedis

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestShutdownSaves: SHUTDOWN SAVE writes a snapshot before closing, and
// SHUTDOWN NOSAVE does not (the file keeps its previous contents).
func TestShutdownSaves(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, SavePoints: []SavePoint{}})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, s.Set(ctx, "k", "saved", SetOptions{}))
	v, err := s.Do(ctx, "SHUTDOWN", "SAVE")
	require.NoError(t, err)
	require.NoError(t, v.Err())
	require.NoError(t, s.Close())

	s, err = Open(Options{Dir: dir, SavePoints: []SavePoint{}})
	require.NoError(t, err)
	got, err := s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, "saved", got)
	require.NoError(t, s.Set(ctx, "k", "not saved", SetOptions{}))
	_, err = s.Do(ctx, "SHUTDOWN", "NOSAVE")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = Open(Options{Dir: dir, SavePoints: []SavePoint{}})
	require.NoError(t, err)
	defer s.Close()
	got, err = s.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, "saved", got)
}
