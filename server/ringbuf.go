package server

// ringBuffer keeps the last size bytes written to it: a session's recent
// terminal output, replayed to a client on (re)attach so its screen can
// be rebuilt. Its memory grows with the output, up to size: a thousand
// quiet sessions do not each hold size bytes.
type ringBuffer struct {
	size int
	buf  []byte // grows by append until len == size, then wraps
	next int    // where the next byte goes once full
	full bool   // buf has reached size
}

func newRingBuffer(size int) *ringBuffer { return &ringBuffer{size: size} }

func (r *ringBuffer) Write(p []byte) {
	if len(p) >= r.size {
		if len(r.buf) < r.size {
			r.buf = make([]byte, r.size)
		}
		copy(r.buf, p[len(p)-r.size:])
		r.next, r.full = 0, true
		return
	}
	if !r.full {
		room := r.size - len(r.buf)
		if len(p) <= room {
			r.buf = append(r.buf, p...)
			r.full = len(r.buf) == r.size
			return
		}
		if cap(r.buf) < r.size {
			grown := make([]byte, len(r.buf), r.size)
			copy(grown, r.buf)
			r.buf = grown
		}
		r.buf = append(r.buf, p[:room]...)
		p = p[room:]
		r.full, r.next = true, 0
	}
	n := copy(r.buf[r.next:], p)
	if n < len(p) {
		copy(r.buf, p[n:])
	}
	r.next = (r.next + len(p)) % r.size
}

// Bytes returns a copy of the kept output, oldest first.
func (r *ringBuffer) Bytes() []byte {
	if !r.full {
		return append([]byte(nil), r.buf...)
	}
	out := make([]byte, 0, r.size)
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}
