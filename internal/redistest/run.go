package redistest

import (
	"fmt"
	"strings"
)

// Side is one of the two servers a script runs against.
type Side struct {
	Name string // for reports, e.g. "redis" or "embedis"
	Conn *Conn
}

// Mismatch is one script line whose replies differ.
type Mismatch struct {
	Line  Line
	Proto int
	// Want and Got are the replies as compared: sorted when the line
	// says !sort or !sortpairs (see Normalize).
	Want, Got Reply
	WantName  string
	GotName   string
}

// renderLimit bounds the elements shown of each aggregate in a report; the
// first difference is named separately.
const renderLimit = 100

// String renders the mismatch for a test log: position, protocol, the
// command as written, and both replies.
func (m Mismatch) String() string {
	w := max(len(m.WantName), len(m.GotName)) + 1 // with the colon
	pad := strings.Repeat(" ", 4+w+2)
	ind := func(r Reply) string { return strings.ReplaceAll(r.Render(renderLimit), "\n", "\n"+pad) }
	text := m.Line.Text
	if m.Line.Sort || m.Line.SortPairs {
		text += "   (replies shown sorted)"
	}
	out := fmt.Sprintf("%s (RESP%d): %s\n    %-*s  %s\n    %-*s  %s",
		m.Line.Pos(), m.Proto, text,
		w, m.WantName+":", ind(m.Want),
		w, m.GotName+":", ind(m.Got))
	if m.Want.Kind.IsAggregate() || m.Got.Kind.IsAggregate() {
		out += "\n    first difference at " + FirstDiff(m.Line, m.Want, m.Got)
	}
	return out
}

// Run runs sc over protocol proto (2 or 3) on both sides: HELLO 3 first
// when proto is 3, then FLUSHALL, then every line meant for proto, and
// returns the lines whose replies differ. want is the reference.
// A reply to FLUSHALL that differs is reported as line 0. The
// error reports a failure to talk to either side (I/O, protocol, set-up),
// after which the connections are unusable; the mismatches found before it
// are returned with it.
func Run(sc *Script, proto int, want, got Side) ([]Mismatch, error) {
	if proto != 2 && proto != 3 {
		return nil, fmt.Errorf("redistest: protocol %d, want 2 or 3", proto)
	}
	if proto == 3 {
		for _, s := range []Side{want, got} {
			r, err := s.Conn.Do("HELLO", "3")
			if err != nil {
				return nil, fmt.Errorf("%s: HELLO 3: %w", s.Name, err)
			}
			if r.Kind != Map {
				return nil, fmt.Errorf("%s: HELLO 3 replied %s", s.Name, r)
			}
		}
	}
	// FLUSHALL on both sides. The reference must succeed. The other side's
	// reply is not compared: it starts empty (a fresh store), and FLUSHALL
	// itself is tested by the scripts like any other command.
	for _, s := range []Side{want, got} {
		r, err := s.Conn.Do("FLUSHALL")
		if err != nil {
			return nil, fmt.Errorf("%s: FLUSHALL: %w", s.Name, err)
		}
		if s == want && (r.Kind != Simple || r.Text != "OK") {
			return nil, fmt.Errorf("%s: FLUSHALL replied %s", s.Name, r)
		}
	}
	var out []Mismatch
	for _, ln := range sc.Lines {
		if ln.Proto != 0 && ln.Proto != proto {
			continue
		}
		wr, err := want.Conn.Do(ln.Args...)
		if err != nil {
			return out, fmt.Errorf("%s (RESP%d): %s: %s: %w", ln.Pos(), proto, ln.Text, want.Name, err)
		}
		gr, err := got.Conn.Do(ln.Args...)
		if err != nil {
			return out, fmt.Errorf("%s (RESP%d): %s: %s: %w (%s replied %s)", ln.Pos(), proto, ln.Text, got.Name, err, want.Name, wr)
		}
		if !Compare(ln, wr, gr) {
			out = append(out, Mismatch{Line: ln, Proto: proto, Want: Normalize(ln, wr), Got: Normalize(ln, gr),
				WantName: want.Name, GotName: got.Name})
		}
		if n := got.Conn.Buffered(); n > 0 && want.Conn.Buffered() == 0 {
			// What follows would be read out of step: stop here.
			return out, fmt.Errorf("%s (RESP%d): %s: %s sent %d bytes after its reply %s", ln.Pos(), proto, ln.Text, got.Name, n, gr)
		}
	}
	return out, nil
}
