package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Scanner extracts selectors from a stream in bounded memory. Offsets are
// absolute in the stream. Each buffer is scanned with some bytes of the
// previous one before it and read-ahead after it, and a selector is reported
// by the buffer holding its first byte, so selectors that straddle a buffer
// boundary are found once, with the same offsets Scan would give. Phone
// region hints carry over from earlier buffers only.
type Scanner struct {
	r     io.Reader
	opts  Options
	size  int    // bytes per step
	buf   []byte // text from abs offset base
	base  int64
	done  int64 // selectors starting before done were reported
	eof   bool
	err   error
	ph    *phoneState
	queue []Selector
	cur   Selector
}

// Bytes of context kept before and read ahead after a step.
const (
	scanOverlap   = 4096
	scanLookahead = 4096
)

// NewScanner returns a Scanner reading r.
func NewScanner(r io.Reader, opts Options) *Scanner {
	return &Scanner{r: r, opts: opts, size: 1 << 20, ph: newPhoneState(opts.KnownPhones)}
}

// Buffer sets how many bytes are scanned per step (at least 1 KiB); call it
// before the first Scan.
func (s *Scanner) Buffer(size int) {
	s.size = max(size, 1024)
}

// Scan advances to the next selector, which Selector then returns. It
// returns false at the end of the input or on a read error (see Err).
func (s *Scanner) Scan() bool {
	for len(s.queue) == 0 {
		if s.err != nil || (s.eof && int64(len(s.buf))+s.base <= s.done) {
			return false
		}
		s.step()
	}
	s.cur, s.queue = s.queue[0], s.queue[1:]
	return true
}

// Selector returns the selector found by the last Scan.
func (s *Scanner) Selector() Selector { return s.cur }

// Err returns the first read error, nil at a clean end of input.
func (s *Scanner) Err() error { return s.err }

// step reads one buffer and queues the selectors starting in it.
func (s *Scanner) step() {
	s.fill()
	if s.err != nil {
		return
	}
	from := int(s.done - s.base)
	cut := len(s.buf)
	if !s.eof {
		cut = len(s.buf) - scanLookahead
		if nl := bytes.LastIndexByte(s.buf[from:cut], '\n'); nl >= 0 {
			cut = from + nl + 1
		}
	}
	sc := newScan(s.buf, s.opts, s.base, s.ph)
	sc.run()
	n := len(s.queue)
	for _, sel := range sc.out {
		if sel.Start >= s.done && sel.Start < s.base+int64(cut) {
			s.queue = append(s.queue, sel)
		}
	}
	sc.fillContext(s.queue[n:])
	s.done = s.base + int64(cut)
	if drop := max(0, cut-scanOverlap); drop > 0 {
		n := copy(s.buf, s.buf[drop:])
		s.buf = s.buf[:n]
		s.base += int64(drop)
	}
}

// fill reads until the buffer holds a step plus read-ahead, or the end.
func (s *Scanner) fill() {
	want := int(s.done-s.base) + s.size + scanLookahead
	if cap(s.buf) < want {
		nb := make([]byte, len(s.buf), want)
		copy(nb, s.buf)
		s.buf = nb
	}
	for !s.eof && len(s.buf) < want {
		n, err := s.r.Read(s.buf[len(s.buf):want])
		s.buf = s.buf[:len(s.buf)+n]
		if errors.Is(err, io.EOF) {
			s.eof = true
		} else if err != nil {
			s.err = fmt.Errorf("extract: read at byte %d: %w", s.base+int64(len(s.buf)), err)
			return
		}
	}
}
