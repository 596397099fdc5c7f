// Package custody is the pure core of Rastro's chain of custody: the
// canonical JSON encoding of custody events (the leaves of an RFC 6962
// Merkle tree), tree roots and proofs, signed checkpoints (C2SP
// tlog-checkpoint in a C2SP signed note, Ed25519), an RFC 3161 time-stamp
// client, and the court package: its writer, reader and offline verifier,
// with a CASE/UCO JSON-LD graph and a human-readable report. It does no SQL;
// the store keeps the log and the caller supplies a PackageSource.
package custody

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Canonicalize returns the canonical form of a JSON text following RFC 8785
// (JCS): object members sorted by the UTF-16 code units of their names, no
// insignificant whitespace, strings escaped minimally, numbers in the
// ECMAScript shortest form. It rejects invalid UTF-8, duplicate member
// names, trailing data and numbers that are not finite doubles.
func Canonicalize(data []byte) ([]byte, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("canonical json: invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := canonValue(dec, &buf, 0); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("canonical json: trailing data after the value")
	}
	return buf.Bytes(), nil
}

// maxDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxDepth = 200

// canonValue writes the next value of dec.
func canonValue(dec *json.Decoder, buf *bytes.Buffer, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return canonObject(dec, buf, depth)
		} else if v == '[' {
			return canonArray(dec, buf, depth)
		}
		return fmt.Errorf("unexpected %q", v)
	case string:
		writeString(buf, v)
	case json.Number:
		s, err := canonNumber(string(v))
		if err != nil {
			return err
		}
		buf.WriteString(s)
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case nil:
		buf.WriteString("null")
	}
	return nil
}

// canonObject writes an object whose '{' has been read.
func canonObject(dec *json.Decoder, buf *bytes.Buffer, depth int) error {
	type member struct {
		name string
		val  []byte
	}
	var members []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if seen[name] {
			return fmt.Errorf("duplicate member name %q", name)
		}
		seen[name] = true
		var val bytes.Buffer
		if err := canonValue(dec, &val, depth+1); err != nil {
			return err
		}
		members = append(members, member{name, val.Bytes()})
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	slices.SortFunc(members, func(a, b member) int { return compareUTF16(a.name, b.name) })
	buf.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeString(buf, m.name)
		buf.WriteByte(':')
		buf.Write(m.val)
	}
	buf.WriteByte('}')
	return nil
}

// canonArray writes an array whose '[' has been read.
func canonArray(dec *json.Decoder, buf *bytes.Buffer, depth int) error {
	buf.WriteByte('[')
	for i := 0; dec.More(); i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := canonValue(dec, buf, depth+1); err != nil {
			return err
		}
	}
	buf.WriteByte(']')
	_, err := dec.Token()
	return err
}

// compareUTF16 orders strings by their UTF-16 code units, as JCS requires.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// writeString writes s as a JSON string, escaping only '"', '\\' and the
// control characters below U+0020.
func writeString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf.WriteByte('\\')
			buf.WriteByte(c)
		case c == '\b':
			buf.WriteString(`\b`)
		case c == '\f':
			buf.WriteString(`\f`)
		case c == '\n':
			buf.WriteString(`\n`)
		case c == '\r':
			buf.WriteString(`\r`)
		case c == '\t':
			buf.WriteString(`\t`)
		case c < 0x20:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[c>>4])
			buf.WriteByte(hex[c&0xf])
		default:
			buf.WriteByte(c)
		}
	}
	buf.WriteByte('"')
}

// canonNumber formats a JSON number as ECMAScript's Number.prototype.toString
// does (RFC 8785 §3.2.2.3).
func canonNumber(lit string) (string, error) {
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("number %s is not a finite IEEE 754 double", lit)
	}
	return FormatNumber(f), nil
}

// FormatNumber formats f as ECMAScript's Number.prototype.toString: the
// shortest round-tripping digits, in plain notation when 1e-6 <= |f| < 1e21
// and in exponent notation ("1e+21", "5e-324") otherwise; -0 is "0".
func FormatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// Shortest digits d1.d2...dk and exponent e: f = 0.d1...dk * 10^n, n = e+1.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n, k := x+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	s := digits[:1]
	if k > 1 {
		s += "." + digits[1:]
	}
	if n-1 >= 0 {
		return sign + s + "e+" + strconv.Itoa(n-1)
	}
	return sign + s + "e-" + strconv.Itoa(1-n)
}
