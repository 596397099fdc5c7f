package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader yields the lines of a stream with their 1-based number and byte
// offset, without the line ending ("\n" or "\r\n"). The returned slice is
// valid until the next call.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	num  int   // number of the line last returned
	off  int64 // offset of the line last returned
	next int64 // offset of the next line
	err  error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// line returns the next line, or false at the end or on a read error (see err).
func (lr *lineReader) line() ([]byte, bool) {
	if lr.err != nil {
		return nil, false
	}
	b, err := lr.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.buf = append(lr.buf[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = lr.br.ReadSlice('\n')
			lr.buf = append(lr.buf, b...)
		}
		b = lr.buf
	}
	if err != nil && (err != io.EOF || len(b) == 0) {
		lr.err = err
		return nil, false
	}
	lr.num++
	lr.off = lr.next
	lr.next += int64(len(b))
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'}), true
}

// failure returns the read error that ended the stream, nil at a clean end.
func (lr *lineReader) failure() error {
	if lr.err == io.EOF {
		return nil
	}
	return lr.err
}
