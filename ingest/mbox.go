package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// maxMboxMessage bounds the bytes of one message kept for parsing; the rest
// of a larger message (a big attachment) is dropped with a Problem.
const maxMboxMessage = 64 << 20

// ParseMbox reads a Unix mailbox: messages start at lines "From " (after a
// blank line or at the start). Each message is an e-mail item located by its
// byte range "bytes:A-B" (from its "From " line to the next one). ">From "
// lines are unescaped (mboxrd).
func ParseMbox(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatMbox}
	lr := newLineReader(r)
	var msg []byte
	start, has, prevBlank, truncated := int64(0), false, true, false
	flush := func(end int64) error {
		if !has {
			return nil
		}
		loc := "bytes:" + strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end, 10)
		if truncated {
			rep.problem(loc, "message larger than %d MB; its end was not read", maxMboxMessage>>20)
		}
		it, err := readMail(bytes.NewReader(msg), rep, loc)
		if err != nil {
			rep.problem(loc, "not an e-mail: %v", err)
			return nil
		}
		it.Locator = loc
		rep.Items++
		return fn(it)
	}
	for line, ok := lr.line(); ok; line, ok = lr.line() {
		if prevBlank && bytes.HasPrefix(line, []byte("From ")) {
			if err := flush(lr.off); err != nil {
				return rep, err
			}
			msg, start, has, truncated = msg[:0], lr.off, true, false
			prevBlank = false
			continue
		}
		prevBlank = len(line) == 0
		switch {
		case !has:
			if len(bytes.TrimSpace(line)) > 0 {
				rep.problem("bytes:"+strconv.FormatInt(lr.off, 10), "text before the first \"From \" line")
			}
		case len(msg) > maxMboxMessage:
			truncated = true
		default:
			if bytes.HasPrefix(line, []byte(">From ")) {
				line = line[1:]
			}
			msg = append(append(msg, line...), '\n')
		}
	}
	if err := lr.failure(); err != nil {
		return rep, fmt.Errorf("ingest mbox: %w", err)
	}
	return rep, flush(lr.next)
}
