package embedis

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The typed face of MULTI/EXEC/WATCH (multi.go has the commands).
//
// A transaction's commands reach the executor in one hand-off: MULTI, the
// queued commands and EXEC travel as one batch, so queueing costs no round
// trips and EXEC runs them in one executor turn. Each transaction, and
// each DB.Watch call, has its own client state (its MULTI queue and
// watches), so transactions of different goroutines never mix.

// Tx is an optimistic transaction, handed by DB.Watch to its function.
//
// Its embedded *DB runs commands at once, in the handle's database, on the
// transaction's own client: read the watched keys with it (tx.Get,
// tx.HGetAll ... every typed method and Do), decide, then queue the writes
// with TxPipelined, which runs them with MULTI/EXEC only if no watched key
// changed in between:
//
//	err := s.Watch(ctx, func(tx *embedis.Tx) error {
//		n, err := tx.Get(ctx, "counter")
//		if err != nil && !errors.Is(err, embedis.Nil) {
//			return err
//		}
//		_, err = tx.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
//			p.Set("counter", n+"1")
//			return nil
//		})
//		return err
//	}, "counter")
//	// errors.Is(err, embedis.ErrTxFailed): another client changed
//	// "counter" in between; nothing was written. Try again.
//
// Commands that change connection state (SELECT, CLIENT, RESET ...) are
// refused on a Tx, and MULTI, EXEC and DISCARD are for TxPipelined to
// send: a Tx must not send them through Do. A Tx is for the goroutine
// running the function; it must not be used after the function returns.
type Tx struct {
	// DB runs commands at once on the transaction's client.
	*DB
	st *txState // the client's MULTI/WATCH state, owned by the executor
}

// Watch runs fn with a new Tx that watches keys (WATCH), then releases
// the watches, whether or not fn ran EXEC, and returns fn's error. Watch
// itself sends only the WATCH, so fn does the reads and the
// Tx.TxPipelined; a TxPipelined that fails because a watched key changed
// returns ErrTxFailed, and a caller retries by calling Watch again:
//
//	for {
//		err := s.Watch(ctx, update, "k")
//		if !errors.Is(err, embedis.ErrTxFailed) {
//			return err
//		}
//	}
//
// With no keys, fn runs with nothing watched (Tx.Watch can add keys).
func (d *DB) Watch(ctx context.Context, fn func(tx *Tx) error, keys ...string) error {
	tx := d.newTx()
	defer tx.release()
	if len(keys) > 0 {
		if err := tx.Watch(ctx, keys...); err != nil {
			return err
		}
	}
	return fn(tx)
}

// newTx returns a transaction with a client of its own in d's database.
func (d *DB) newTx() *Tx {
	st := &txState{}
	return &Tx{DB: &DB{s: d.s, cl: &client{db: d.cl.db, proto: 3, conn: st}}, st: st}
}

// release frees the watches that EXEC has not, in the executor's
// registry. held is set only by this Tx's own WATCH, so when it reads
// false there is nothing to free.
func (tx *Tx) release() {
	if !tx.st.held.Load() {
		return
	}
	tx.s.releaseWatches(tx.st)
}

// Watch adds keys to the ones the transaction watches (WATCH): the next
// TxPipelined fails with ErrTxFailed if any of them changes before it.
func (tx *Tx) Watch(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return errors.New("embedis: Watch needs at least one key")
	}
	return asOK(tx.exec(ctx, append([]string{"watch"}, keys...)))
}

// Unwatch forgets every watched key (UNWATCH), and any change to them
// already seen.
func (tx *Tx) Unwatch(ctx context.Context) error {
	return asOK(tx.execArgs(ctx, "unwatch"))
}

// TxPipeline returns an empty transaction pipeline whose Exec runs on this
// transaction, subject to its watches.
func (tx *Tx) TxPipeline() *TxPipeline { return &TxPipeline{d: tx.DB} }

// TxPipelined queues commands with fn and runs them as MULTI/EXEC on this
// transaction: see TxPipeline.Exec for the replies and errors. When fn
// returns an error, nothing is sent and that error is returned.
func (tx *Tx) TxPipelined(ctx context.Context, fn func(p *TxPipeline) error) ([]Value, error) {
	return txPipelined(ctx, tx.TxPipeline(), fn)
}

// TxPipelined queues commands with fn and runs them as one MULTI/EXEC
// transaction, without WATCH: they run back to back, no other command of
// any client between them. See TxPipeline.Exec for the replies and errors.
// When fn returns an error, nothing is sent and that error is returned.
//
//	replies, err := s.TxPipelined(ctx, func(p *embedis.TxPipeline) error {
//		p.Incr("hits")
//		p.Do("EXPIRE", "hits", 60)
//		return nil
//	})
//	hits := replies[0].Int()
func (d *DB) TxPipelined(ctx context.Context, fn func(p *TxPipeline) error) ([]Value, error) {
	return txPipelined(ctx, d.TxPipeline(), fn)
}

func txPipelined(ctx context.Context, p *TxPipeline, fn func(p *TxPipeline) error) ([]Value, error) {
	if err := fn(p); err != nil {
		return nil, err
	}
	return p.Exec(ctx)
}

// TxPipeline returns an empty transaction pipeline on d: its Exec runs the
// queued commands as one MULTI/EXEC transaction, on a client of its own,
// in d's database.
func (d *DB) TxPipeline() *TxPipeline { return &TxPipeline{d: d} }

// TxPipeline queues commands for one MULTI/EXEC transaction. Queueing
// sends nothing; Exec sends MULTI, the commands and EXEC in one hand-off
// to the executor. A TxPipeline is not safe for concurrent use; after Exec
// it is empty and can be reused.
//
// It is not a plain pipeline (DB.Pipeline): its commands are atomic, and
// they all run or, when one is refused at queueing (unknown command, wrong
// number of arguments), none does.
type TxPipeline struct {
	d    *DB // a Tx's handle (its client), or a DB's (a new client per Exec)
	cmds [][]string
}

// Do queues a command, with arguments converted as DB.Do converts them.
func (p *TxPipeline) Do(args ...any) {
	ss := make([]string, len(args))
	for i, a := range args {
		ss[i] = argString(a)
	}
	p.cmds = append(p.cmds, ss)
}

// DoStrings queues a command with string arguments. The pipeline keeps
// args: do not change it before Exec.
func (p *TxPipeline) DoStrings(args ...string) { p.cmds = append(p.cmds, args) }

// Set queues SET key value; its reply is OK.
func (p *TxPipeline) Set(key, value string) { p.cmds = append(p.cmds, []string{"set", key, value}) }

// Get queues GET key; its reply is the value, or a null Value for a
// missing key.
func (p *TxPipeline) Get(key string) { p.cmds = append(p.cmds, []string{"get", key}) }

// Incr queues INCR key; its reply is the new value.
func (p *TxPipeline) Incr(key string) { p.cmds = append(p.cmds, []string{"incr", key}) }

// IncrBy queues INCRBY key n; its reply is the new value.
func (p *TxPipeline) IncrBy(key string, n int64) { p.Do("incrby", key, n) }

// Del queues DEL keys...; its reply is the number of keys removed.
func (p *TxPipeline) Del(keys ...string) {
	p.cmds = append(p.cmds, append([]string{"del"}, keys...))
}

// Len is the number of queued commands.
func (p *TxPipeline) Len() int { return len(p.cmds) }

// Discard drops the queued commands without sending them.
func (p *TxPipeline) Discard() { p.cmds = nil }

// Exec runs the queued commands as MULTI/EXEC and empties the pipeline.
// replies[i] is the reply to the i-th queued command; an error reply is a
// Value whose Err method returns the error. Outcomes:
//
//   - The transaction ran: the replies, and the first command error, if a
//     command failed as it ran (WRONGTYPE ...). The other commands ran
//     anyway, and nothing is rolled back: this is Redis's EXEC.
//   - A watched key had changed (Tx only): nil and ErrTxFailed. Nothing ran.
//   - A command was refused while queueing (unknown command, wrong number
//     of arguments): the queueing replies (QUEUED, or the refusal), and an
//     error matching both ErrExecAbort and the first refusal under
//     errors.Is. Nothing ran.
//   - EXEC itself was refused (BUSY: a script had run past its busy
//     threshold, and it refused the queued commands too): the queueing
//     replies and an error matching ErrExecAbort and ErrBusy (or
//     ErrBusyFunction). Nothing ran.
//   - The store is closed, or ctx ended before the executor took the
//     batch: nil and that error. Nothing ran.
//
// With no commands queued, Exec sends nothing and returns nil, nil.
func (p *TxPipeline) Exec(ctx context.Context) ([]Value, error) {
	cmds := p.cmds
	p.cmds = nil
	if len(cmds) == 0 {
		return nil, nil
	}
	for i, c := range cmds {
		if len(c) == 0 {
			return nil, fmt.Errorf("embedis: transaction command %d is empty", i)
		}
	}
	cl := p.d.cl
	if _, ok := cl.conn.(*txState); !ok {
		// A DB handle's client is shared and has no MULTI state: give
		// this transaction one of its own.
		cl = p.d.newTx().cl
	}
	batch := make([][]string, 0, len(cmds)+2)
	batch = append(batch, []string{"multi"})
	batch = append(batch, cmds...)
	batch = append(batch, []string{"exec"})
	r := getRequest(cl)
	r.batch, r.replies = batch, make([]Value, len(batch))
	if err := p.d.s.submit(ctx, r); err != nil {
		// r may still be in the queue; the executor drops it.
		return nil, err
	}
	replies := r.replies
	putRequest(r)
	if err := replies[0].Err(); err != nil {
		// MULTI refused: MULTI was sent through Do on a Tx.
		return nil, err
	}
	queued, exec := replies[1:len(replies)-1], replies[len(replies)-1]
	switch exec.kind {
	case KindNull, KindNullArray:
		return nil, ErrTxFailed
	case KindError:
		execErr := execError(exec)
		for i, v := range queued {
			if err := v.Err(); err != nil {
				return queued, fmt.Errorf("%w (command %d: %w)", execErr, i, err)
			}
		}
		return queued, execErr
	}
	out := exec.elems
	for _, v := range out {
		if err := v.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// execAbortPrefix starts the reply to an EXEC that was itself refused
// (BUSY while a script runs): EXECABORT with the reason.
const execAbortPrefix = "EXECABORT Transaction discarded because of: "

// execError is the error of EXEC's error reply v. An EXEC refused itself
// answers EXECABORT with its reason rather than ErrExecAbort's text; its
// error matches both ErrExecAbort and the reason (ErrBusy ...).
func execError(v Value) error {
	if reason, ok := strings.CutPrefix(v.str, execAbortPrefix); ok {
		return &execAbortError{msg: v.str, reason: errorFromText(reason)}
	}
	return v.Err()
}

// execAbortError is an EXECABORT with a reason (see execError).
type execAbortError struct {
	msg    string
	reason error
}

func (e *execAbortError) Error() string        { return e.msg }
func (e *execAbortError) Is(target error) bool { return target == ErrExecAbort }
func (e *execAbortError) Unwrap() error        { return e.reason }
