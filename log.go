package embedis

import (
	"context"
	"log/slog"
)

// logAt writes a message to Options.Logger at level, with attributes as
// slog takes them ("key", value, ...); nothing when no Logger was given.
// The messages Redis writes to its log (start-up, loading, saving,
// rewrites, errors) go through it. Safe for any goroutine.
func (s *Store) logAt(level slog.Level, msg string, args ...any) {
	if l := s.opts.Logger; l != nil {
		l.Log(context.Background(), level, msg, args...)
	}
}
