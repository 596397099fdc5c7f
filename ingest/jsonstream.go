package ingest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonStream walks a large JSON document with encoding/json's tokens,
// decoding only one small value (a message) at a time.
type jsonStream struct {
	dec *json.Decoder
	rep *Report
}

func newJSONStream(r io.Reader, rep *Report) *jsonStream {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.UseNumber()
	return &jsonStream{dec: dec, rep: rep}
}

// errStop wraps an error returned by the caller's Func so it passes through
// the JSON error handling unchanged.
type errStop struct{ err error }

func (e errStop) Error() string { return e.err.Error() }
func (e errStop) Unwrap() error { return e.err }

// isSyntax reports a malformed or truncated document: not recoverable, but
// the items before it stand.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	var sh *shapeError
	return errors.As(err, &se) || errors.As(err, &sh) || errors.Is(err, io.ErrUnexpectedEOF)
}

// shapeError is a document whose structure is not the expected one.
type shapeError struct{ msg string }

func (e *shapeError) Error() string { return e.msg }

// finish turns the walk's error into the parser's result: a syntax error
// becomes a Problem, the caller's error and read errors are returned.
func (js *jsonStream) finish(prefix string, err error) (*Report, error) {
	var stop errStop
	switch {
	case err == nil:
		return js.rep, nil
	case errors.As(err, &stop):
		return js.rep, stop.err
	case isSyntax(err) || errors.Is(err, io.EOF):
		js.rep.problem("bytes:"+strconv.FormatInt(js.dec.InputOffset(), 10), "malformed JSON, the rest of the file is skipped: %v", err)
		return js.rep, nil
	}
	return js.rep, fmt.Errorf("%s: %w", prefix, err)
}

// delim consumes the expected delimiter.
func (js *jsonStream) delim(want json.Delim) error {
	t, err := js.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return &shapeError{fmt.Sprintf("expected %q at byte %d, found %v", want, js.dec.InputOffset(), t)}
	}
	return nil
}

// key reads the next object key; false at the object's end (consumed).
func (js *jsonStream) key() (string, bool, error) {
	if !js.dec.More() {
		return "", false, js.delim('}')
	}
	t, err := js.dec.Token()
	if err != nil {
		return "", false, err
	}
	k, _ := t.(string)
	return k, true, nil
}

// skip consumes one value of any size without keeping it.
func (js *jsonStream) skip() error {
	depth := 0
	for {
		t, err := js.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// array calls each for every element of an array value, with its index.
func (js *jsonStream) array(each func(i int) error) error {
	if err := js.delim('['); err != nil {
		return err
	}
	for i := 0; js.dec.More(); i++ {
		if err := each(i); err != nil {
			return err
		}
	}
	return js.delim(']')
}

// object calls each for every key of an object value.
func (js *jsonStream) object(each func(k string) error) error {
	if err := js.delim('{'); err != nil {
		return err
	}
	for {
		k, ok, err := js.key()
		if err != nil || !ok {
			return err
		}
		if err := each(k); err != nil {
			return err
		}
	}
}

// decodeOne decodes one value into v; a value of the wrong shape is
// reported at locator and skipped (ok false), other errors are returned.
func (js *jsonStream) decodeOne(v any, locator string) (bool, error) {
	err := js.dec.Decode(v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		js.rep.problem(locator, "unexpected value: %v", err)
		return false, nil
	}
	return err == nil, err
}

// rawString returns a JSON string or number as text ("" for null/other).
func rawString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
		return string(raw)
	}
	return ""
}
