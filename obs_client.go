package embedis

// CLIENT LIST / CLIENT INFO figures that come from other files' state.

// blockedSessions returns the IDs of the sessions blocked in a blocking
// command (the 'b' flag). Executor only.
func (s *Store) blockedSessions() map[int64]bool {
	var out map[int64]bool
	for _, m := range s.blk.waiters {
		for _, l := range m {
			for _, bs := range l {
				if ss, ok := bs.r.cl.conn.(*session); ok && bs.registered {
					if out == nil {
						out = map[int64]bool{}
					}
					out[ss.id] = true
				}
			}
		}
	}
	return out
}

// flagLetters is the flags field of CLIENT LIST, in Redis's order of the
// letters embedis can have: x (in MULTI), b (blocked), d (a watched key
// changed), c (closing after this reply), e (no-evict), T (no-touch); N
// when none. Executor only.
func (ss *session) flagLetters(blocked bool) string {
	var f []byte
	if ss.psub != nil && ss.psub.total() > 0 {
		f = append(f, 'P')
	}
	if ss.tx.active {
		f = append(f, 'x')
	}
	if blocked {
		f = append(f, 'b')
	}
	if ss.tx.dirtyCAS {
		f = append(f, 'd')
	}
	if ss.closeAfter {
		f = append(f, 'c')
	}
	if ss.noEvict {
		f = append(f, 'e')
	}
	if ss.noTouch {
		f = append(f, 'T')
	}
	if len(f) == 0 {
		return "N"
	}
	return string(f)
}

// multiFigures returns the multi field (commands queued in MULTI, -1 when
// not in one) and multi-mem (bytes of their arguments). Executor only.
func (ss *session) multiFigures() (n, mem int64) {
	if !ss.tx.active {
		return -1, 0
	}
	for _, q := range ss.tx.queue {
		for _, a := range q.args {
			mem += int64(len(a))
		}
	}
	return int64(len(ss.tx.queue)), mem
}
