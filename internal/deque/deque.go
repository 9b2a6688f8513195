// Package deque is a double-ended queue on a ring buffer: O(1) pushes and
// pops at both ends and O(1) access by index, with inserts and removals in
// the middle costing O(min(i, n-i)) moves.
//
// Layout: the elements live in buf, a power-of-two ring; element i is at
// buf[(head+i) & (len(buf)-1)]. The buffer doubles when full and halves
// when a quarter full (never below minCap), so memory stays within a
// constant factor of the length. Vacated slots are zeroed so the garbage
// collector can reclaim what they pointed to.
//
// A Deque is not safe for concurrent use.
package deque

// minCap is the smallest buffer a non-empty deque holds.
const minCap = 8

// Deque is a double-ended queue. Its zero value is an empty deque ready to
// use.
type Deque[T any] struct {
	buf  []T // ring of len 0 or a power of two >= minCap
	head int // index in buf of element 0
	n    int // number of elements
}

// Len returns the number of elements.
func (d *Deque[T]) Len() int { return d.n }

func (d *Deque[T]) slot(i int) int { return (d.head + i) & (len(d.buf) - 1) }

// At returns element i (0 <= i < Len), counted from the front.
func (d *Deque[T]) At(i int) T {
	d.check(i)
	return d.buf[d.slot(i)]
}

// Set replaces element i (0 <= i < Len).
func (d *Deque[T]) Set(i int, v T) {
	d.check(i)
	d.buf[d.slot(i)] = v
}

func (d *Deque[T]) check(i int) {
	if uint(i) >= uint(d.n) {
		panic("deque: index out of range")
	}
}

// PushBack appends v at the back.
func (d *Deque[T]) PushBack(v T) {
	d.grow()
	d.buf[d.slot(d.n)] = v
	d.n++
}

// PushFront prepends v at the front.
func (d *Deque[T]) PushFront(v T) {
	d.grow()
	d.head = (d.head - 1) & (len(d.buf) - 1)
	d.buf[d.head] = v
	d.n++
}

// PopFront removes and returns the front element; the deque must not be
// empty.
func (d *Deque[T]) PopFront() T {
	if d.n == 0 {
		panic("deque: PopFront of an empty deque")
	}
	var zero T
	v := d.buf[d.head]
	d.buf[d.head] = zero
	d.head = (d.head + 1) & (len(d.buf) - 1)
	d.n--
	d.shrink()
	return v
}

// PopBack removes and returns the back element; the deque must not be
// empty.
func (d *Deque[T]) PopBack() T {
	if d.n == 0 {
		panic("deque: PopBack of an empty deque")
	}
	var zero T
	i := d.slot(d.n - 1)
	v := d.buf[i]
	d.buf[i] = zero
	d.n--
	d.shrink()
	return v
}

// Insert puts v at index i (0 <= i <= Len), moving the shorter side of the
// deque by one.
func (d *Deque[T]) Insert(i int, v T) {
	if uint(i) > uint(d.n) {
		panic("deque: insert index out of range")
	}
	if i < d.n/2 {
		d.PushFront(v)
		// Shift elements 1..i one step towards the front.
		for j := 0; j < i; j++ {
			d.buf[d.slot(j)] = d.buf[d.slot(j+1)]
		}
	} else {
		d.PushBack(v)
		for j := d.n - 1; j > i; j-- {
			d.buf[d.slot(j)] = d.buf[d.slot(j-1)]
		}
	}
	d.buf[d.slot(i)] = v
}

// Remove deletes and returns element i (0 <= i < Len), moving the shorter
// side of the deque by one.
func (d *Deque[T]) Remove(i int) T {
	d.check(i)
	v := d.buf[d.slot(i)]
	if i < d.n/2 {
		for j := i; j > 0; j-- {
			d.buf[d.slot(j)] = d.buf[d.slot(j-1)]
		}
		d.PopFront()
	} else {
		for j := i; j < d.n-1; j++ {
			d.buf[d.slot(j)] = d.buf[d.slot(j+1)]
		}
		d.PopBack()
	}
	return v
}

// Keep removes, in one pass, every element i for which keep(i, element)
// is false, preserving the order of the rest; keep is called once per
// element with ascending i (the index before removal). It returns the
// number of elements removed.
func (d *Deque[T]) Keep(keep func(i int, v T) bool) int {
	w := 0
	for r := 0; r < d.n; r++ {
		v := d.buf[d.slot(r)]
		if keep(r, v) {
			if w != r {
				d.buf[d.slot(w)] = v
			}
			w++
		}
	}
	removed := d.n - w
	d.TrimBack(removed)
	return removed
}

// TrimFront removes the first k elements (0 <= k <= Len).
func (d *Deque[T]) TrimFront(k int) {
	if k < 0 || k > d.n {
		panic("deque: trim count out of range")
	}
	var zero T
	for j := 0; j < k; j++ {
		d.buf[d.slot(j)] = zero
	}
	if d.n > 0 {
		d.head = (d.head + k) & (len(d.buf) - 1)
	}
	d.n -= k
	d.shrink()
}

// TrimBack removes the last k elements (0 <= k <= Len).
func (d *Deque[T]) TrimBack(k int) {
	if k < 0 || k > d.n {
		panic("deque: trim count out of range")
	}
	var zero T
	for j := d.n - k; j < d.n; j++ {
		d.buf[d.slot(j)] = zero
	}
	d.n -= k
	d.shrink()
}

// Clear removes every element and releases the buffer.
func (d *Deque[T]) Clear() { *d = Deque[T]{} }

// Clone returns an independent copy (the elements themselves are copied
// by assignment).
func (d *Deque[T]) Clone() *Deque[T] {
	c := &Deque[T]{}
	if d.n == 0 {
		return c
	}
	c.buf = make([]T, capFor(d.n))
	d.copyTo(c.buf)
	c.n = d.n
	return c
}

// Range calls f for elements from..to-1 in order (or, when reverse, for
// to-1 down to from) until f returns false. 0 <= from <= to <= Len.
func (d *Deque[T]) Range(from, to int, reverse bool, f func(i int, v T) bool) {
	if from < 0 || to > d.n || from > to {
		panic("deque: range out of bounds")
	}
	if reverse {
		for i := to - 1; i >= from; i-- {
			if !f(i, d.buf[d.slot(i)]) {
				return
			}
		}
		return
	}
	for i := from; i < to; i++ {
		if !f(i, d.buf[d.slot(i)]) {
			return
		}
	}
}

// AppendTo appends elements from..to-1 to dst in order and returns it.
func (d *Deque[T]) AppendTo(dst []T, from, to int) []T {
	if from < 0 || to > d.n || from > to {
		panic("deque: range out of bounds")
	}
	if from == to {
		return dst
	}
	mask := len(d.buf) - 1
	s := (d.head + from) & mask
	e := s + (to - from)
	if e <= len(d.buf) {
		return append(dst, d.buf[s:e]...)
	}
	dst = append(dst, d.buf[s:]...)
	return append(dst, d.buf[:e&mask]...)
}

// copyTo copies the elements, in order, to the start of dst.
func (d *Deque[T]) copyTo(dst []T) {
	if d.n == 0 {
		return
	}
	end := d.head + d.n
	if end <= len(d.buf) {
		copy(dst, d.buf[d.head:end])
		return
	}
	k := copy(dst, d.buf[d.head:])
	copy(dst[k:], d.buf[:end-len(d.buf)])
}

func capFor(n int) int {
	c := minCap
	for c < n {
		c <<= 1
	}
	return c
}

// grow makes room for one more element.
func (d *Deque[T]) grow() {
	if d.n < len(d.buf) {
		return
	}
	d.resize(capFor(d.n + 1))
}

// shrink halves the buffer while it is at most a quarter full, so a list
// that grew large and was drained gives its memory back.
func (d *Deque[T]) shrink() {
	if d.n == 0 {
		d.buf, d.head = nil, 0
		return
	}
	if len(d.buf) > minCap && d.n <= len(d.buf)/4 {
		d.resize(capFor(d.n * 2))
	}
}

func (d *Deque[T]) resize(c int) {
	buf := make([]T, c)
	d.copyTo(buf)
	d.buf, d.head = buf, 0
}
