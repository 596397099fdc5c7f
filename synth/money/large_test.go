package money

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteAMLworld(t *testing.T) {
	p := LargeParams{Seed: 3, Transactions: 20000}
	var a, b bytes.Buffer
	res, err := WriteAMLworld(&a, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAMLworld(&b, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same parameters wrote different files")
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if lines[0] != amlHeader {
		t.Errorf("header %q", lines[0])
	}
	if got := int64(len(lines) - 1); got != p.Transactions || res.Transactions != got {
		t.Errorf("wrote %d lines, reported %d, want %d", got, res.Transactions, p.Transactions)
	}
	if res.Bytes != int64(a.Len()) {
		t.Errorf("reported %d bytes, wrote %d", res.Bytes, a.Len())
	}
	laundering := int64(0)
	prev := ""
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 11 {
			t.Fatalf("line %d: %d fields: %q", i+2, len(f), l)
		}
		if f[0] < prev {
			t.Fatalf("line %d: %s before %s: not time-ordered", i+2, f[0], prev)
		}
		prev = f[0]
		if f[10] == "1" {
			laundering++
		}
	}
	if laundering != res.Laundering || laundering == 0 {
		t.Errorf("%d laundering lines, reported %d", laundering, res.Laundering)
	}
}

func TestWriteAMLworldRejects(t *testing.T) {
	for _, p := range []LargeParams{{}, {Transactions: 10, Accounts: 5}} {
		if _, err := WriteAMLworld(&bytes.Buffer{}, p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}
