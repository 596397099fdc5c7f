package extract

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds cover every kind and obfuscation.
var fuzzSeeds = []string{
	"28/5/25, 4:29 - +505 8555 0115: escribime al 8️⃣5️⃣5️⃣5️⃣0️⃣1️⃣1️⃣5️⃣",
	"juan.ramirez at example dot com, luna [at] example [dot] org",
	"ocho cinco cinco cinco cero uno uno cinco / five, five, five",
	"CR05 0152 0200 1026 2840 66 bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
	"http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/x t.me/a wa.me/50685550123",
	`"screenNames": ["luna_bb", "@x"], "username": "@estrellax"`,
	"9.9281,-84.0907 2001:db8::1 198.51.100.7 4111 1111 1111 1111 ８５５５",
	"@ @@ [at] (dot) .onion :: +( +1 (",
	"llamame al doble ",
}

func FuzzScan(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, text []byte, decoys bool) {
		sels := Scan(text, Options{Region: "CR", Decoys: decoys})
		for i, s := range sels {
			if s.Start < 0 || s.End < s.Start || s.End > int64(len(text)) {
				t.Fatalf("selector %d out of bounds: %+v (len %d)", i, s, len(text))
			}
			if s.Raw != string(text[s.Start:s.End]) {
				t.Fatalf("Raw %q != text[%d:%d] %q", s.Raw, s.Start, s.End, text[s.Start:s.End])
			}
			if i > 0 && sels[i-1].Start > s.Start {
				t.Fatalf("not sorted by Start at %d", i)
			}
			if !decoys && !s.Valid {
				t.Fatalf("invalid selector without Decoys: %+v", s)
			}
			if utf8.Valid(text) && !utf8.ValidString(s.Context) {
				t.Fatalf("context is not valid UTF-8: %q", s.Context)
			}
		}
		// ScanAppend after other selectors appends the same selectors.
		prev := []Selector{{Kind: KindDomain, Value: "kept"}}
		if got := ScanAppend(prev, text, Options{Region: "CR", Decoys: decoys}); len(got) != len(sels)+1 || got[0].Value != "kept" ||
			len(sels) > 0 && got[len(got)-1] != sels[len(sels)-1] {
			t.Fatalf("ScanAppend gave %d selectors after dst, Scan %d", len(got)-1, len(sels))
		}
		// The streaming Scanner finds selectors at the same places.
		sc := NewScanner(bytes.NewReader(text), Options{Region: "CR", Decoys: decoys})
		sc.Buffer(1024)
		n := 0
		for sc.Scan() {
			s := sc.Selector()
			if s.Raw != string(text[s.Start:s.End]) {
				t.Fatalf("Scanner: Raw %q != text[%d:%d]", s.Raw, s.Start, s.End)
			}
			n++
		}
		if sc.Err() != nil {
			t.Fatal(sc.Err())
		}
		if len(text) < 1024 && n != len(sels) {
			t.Fatalf("Scanner found %d selectors, Scan %d", n, len(sels))
		}
	})
}
