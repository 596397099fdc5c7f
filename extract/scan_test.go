package extract

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// got is the comparable part of a selector.
type got struct {
	Kind, Value, Raw, Obfuscation, Platform string
	Valid                                   bool
}

func scanKinds(text string, opts Options) []got {
	var out []got
	for _, s := range Scan([]byte(text), opts) {
		out = append(out, got{s.Kind, s.Value, s.Raw, s.Obfuscation, s.Platform, s.Valid})
	}
	return out
}

func TestScanObfuscatedForms(t *testing.T) {
	tests := []struct {
		name, text, region string
		want               []got
	}{
		{"words es with calling code on the line", "+506 8555 0123: escribime al ocho cinco cinco cinco cero uno dos tres", "", []got{
			{"phone", "+50685550123", "+506 8555 0123", "", "", true},
			{"phone", "+50685550123", "ocho cinco cinco cinco cero uno dos tres", ObfWordsES, "", true}}},
		{"words en with oh and double", "call three oh five double five five zero one two three", "US", []got{
			{"phone", "+13055550123", "three oh five double five five zero one two three", ObfWordsEN, "", true}}},
		{"doble in spanish", "mi número: ocho doble cinco cinco cero uno dos tres, tico", "", []got{
			{"phone", "+50685550123", "ocho doble cinco cinco cero uno dos tres", ObfWordsES, "", true}}},
		{"words with commas", "five, five, five, five, five, zero, zero, one, nine, one", "MX", []got{
			{"phone", "+525555500191", "five, five, five, five, five, zero, zero, one, nine, one", ObfWordsEN, "", true}}},
		{"dashed digits", "número 8-5-5-5-0-1-2-3 en Costa Rica", "", []got{
			{"phone", "+50685550123", "8-5-5-5-0-1-2-3", ObfSeparators, "", true}}},
		{"spaced single digits", "escribime 5 5 5 5 5 0 0 1 2 5", "MX", []got{
			{"phone", "+525555500125", "5 5 5 5 5 0 0 1 2 5", ObfSeparators, "", true}}},
		{"dot split", "whatsapp 8555.0123", "CR", []got{
			{"phone", "+50685550123", "8555.0123", ObfSeparators, "", true}}},
		{"area code in parentheses", "llamá al (506) 8555 0123", "", []got{
			{"phone", "+50685550123", "(506) 8555 0123", ObfSeparators, "", true}}},
		{"emoji keycaps", "8️⃣5️⃣5️⃣5️⃣0️⃣1️⃣2️⃣3️⃣", "CR", []got{
			{"phone", "+50685550123", "8️⃣5️⃣5️⃣5️⃣0️⃣1️⃣2️⃣3️⃣", ObfEmojiDigits, "", true}}},
		{"fullwidth digits", "cel ８５５５０１２３", "CR", []got{
			{"phone", "+50685550123", "８５５５０１２３", ObfUnicodeDigits, "", true}}},
		{"mixed digits and words", "mi cel es 8555 cero uno dos tres", "CR", []got{
			{"phone", "+50685550123", "8555 cero uno dos tres", ObfWordsES, "", true}}},
		{"the number written in full in the same input wins", "+504 9555 0101 y +504 9555 0102\n+505 8555 0121 es de Ana\nella: ocho cinco cinco cinco cero uno dos uno", "HN", []got{
			{"phone", "+50495550101", "+504 9555 0101", "", "", true},
			{"phone", "+50495550102", "+504 9555 0102", "", "", true},
			{"phone", "+50585550121", "+505 8555 0121", "", "", true},
			{"phone", "+50585550121", "ocho cinco cinco cinco cero uno dos uno", ObfWordsES, "", true}}},
		{"arroba punto", "luna.v arroba example punto com", "", []got{
			{"email", "luna.v@example.com", "luna.v arroba example punto com", ObfAtDot, "", true}}},
		{"bracket at dot", "Luna.V [at] example [dot] org", "", []got{
			{"email", "luna.v@example.org", "Luna.V [at] example [dot] org", ObfAtDot, "", true}}},
		{"paren at dot", "luna (at) mail (dot) example (dot) net", "", []got{
			{"email", "luna@mail.example.net", "luna (at) mail (dot) example (dot) net", ObfAtDot, "", true}}},
		{"at with unknown tld word", "nos vemos at home dot later", "", nil},
		{"handle with platform after", "@luna_vip23 en IG", "", []got{
			{"handle", "luna_vip23", "@luna_vip23", "", "instagram", true}}},
		{"handle with platform before", "insta: @Luna_VIP", "", []got{
			{"handle", "luna_vip", "@Luna_VIP", "", "instagram", true}}},
		{"telegram link", "t.me/tigre_gt", "", []got{
			{"url", "http://t.me/tigre_gt", "t.me/tigre_gt", "", "", true},
			{"domain", "t.me", "t.me", "", "", true},
			{"handle", "tigre_gt", "tigre_gt", "", "telegram", true}}},
		{"whatsapp link", "https://wa.me/50685550123", "", []got{
			{"url", "https://wa.me/50685550123", "https://wa.me/50685550123", "", "", true},
			{"domain", "wa.me", "wa.me", "", "", true},
			{"phone", "+50685550123", "50685550123", "", "", true}}},
		{"maps link", "https://maps.google.com/?q=9.9281,-84.0907", "", []got{
			{"url", "https://maps.google.com/?q=9.9281,-84.0907", "https://maps.google.com/?q=9.9281,-84.0907", "", "", true},
			{"domain", "maps.google.com", "maps.google.com", "", "", true},
			{"coordinates", "9.9281,-84.0907", "9.9281,-84.0907", "", "", true}}},
		{"ip addresses", "desde 198.51.100.7 y 2001:db8::1", "", []got{
			{"ipv4", "198.51.100.7", "198.51.100.7", "", "", true},
			{"ipv6", "2001:db8::1", "2001:db8::1", "", "", true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, scanKinds(tt.text, Options{Region: tt.region})); diff != "" {
				t.Errorf("Scan(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestNegativeCorpus: things that look numeric in chats, ads and bank
// files must not become valid selectors.
func TestNegativeCorpus(t *testing.T) {
	lines := []string{
		"$300 la hora", "$2,600 special today", "precio 2.909.810,00", "saldo 328889.12", "-1801.01,327088.11",
		"USDT,2743.000000,tron", "28/05/2025, 16:20 - Juan: hola", "5/28/25, 4:20\u202fPM - Ana: ok",
		"[28/05/2025, 16:20:05] Ana: ok", "2025-05-19T18:00:00", "19.05.2025", "el 2025-05-19 a las 12:25",
		"Pedido 123456789 enviado", "orden #4567891234", "código postal 10101", "tengo 18 años", "Citas 24/7",
		`"date_unixtime": "1747895637"`, `"from_id": "user6864298359"`, `"espUserId": "2724721066"`,
		"hash 10a3290d0cc56c97a1b2c3d4e5f60718", "ISBN 978-3-16-148410-0", "v1.2.3.4.5", "IMG-20250528-WA0007.jpg",
		"de 8 a 17 hrs, 3 4 5", "version 10.0.19045.3803", "lote 55 55 55", "24/7 incall/outcall",
		"meet me at noon", "result.json", "apartado 1000-10101", "ok.me voy", "gracias.es verdad", "hola.do bien",
		"0.01603169,0.00004264", "0.5000,0.2500", "12.50000000,3.25000000",
		"2025/05/20 08:46,0916,08352391422,0916,561590825981,292.31,US Dollar",
		"tron\n4638870277889b5159b666cb5d3c0cf43ef8a2ae4160d042e3f16,",
	}
	for _, line := range lines {
		for _, s := range Scan([]byte(line), Options{Region: "MX"}) {
			t.Errorf("%q: unexpected %s %q from %q", line, s.Kind, s.Value, s.Raw)
		}
	}
}

// TestReferencesAreNotPhones: a hyphenated case or file reference ends in
// digits that are a valid landline in Nicaragua.
func TestReferencesAreNotPhones(t *testing.T) {
	for _, line := range []string{"Case HTC-HN-2025-0001. Fictional", "expediente EXP/2025-0001"} {
		for _, s := range Scan([]byte(line), Options{Region: "NI"}) {
			t.Errorf("%q: unexpected %s %q from %q", line, s.Kind, s.Value, s.Raw)
		}
	}
}

// TestPathologicalInputsStayLinear scans inputs that would make a
// backtracking or rescanning extractor quadratic; it completes in
// milliseconds when the scan is linear and would take minutes otherwise.
func TestPathologicalInputsStayLinear(t *testing.T) {
	for _, unit := range []string{"1 ", "5-", "cinco ", "a at b dot ", "http://a", "AB12 ", "@a", "8️⃣", "1.", "x.es ", "+1 ", "9.1234,"} {
		text := bytes.Repeat([]byte(unit), 200_000/len(unit))
		Scan(text, Options{Region: "MX", Decoys: true})
	}
}

// TestDecoysAreInvalid: near-misses come back only with Decoys, and never valid.
func TestDecoysAreInvalid(t *testing.T) {
	tests := []struct{ name, text, kind string }{
		{"phone missing a digit", "este es el bueno +5058555018 perdón", KindPhone},
		{"phone with unused leading digit", "este es el bueno +50515550133 perdón", KindPhone},
		{"btc checksum", "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", KindBTC},
		{"tron checksum", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", KindTRON},
		{"iban check digits", "CR06015202001026284066", KindIBAN},
		{"card luhn", "4111111111111112", KindCard},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if sels := Scan([]byte(tt.text), Options{Region: "NI"}); len(sels) != 0 {
				t.Errorf("without Decoys: %+v", sels)
			}
			sel := only(t, Scan([]byte(tt.text), Options{Region: "NI", Decoys: true}), tt.kind)
			if sel.Valid || sel.Reason == "" {
				t.Errorf("decoy %+v", sel)
			}
		})
	}
}

func TestLocatorPointsAtRawBytes(t *testing.T) {
	text := []byte("hola 👋 escribime a luna.v@example.com")
	sel := only(t, Scan(text, Options{}), KindEmail)
	if got, want := sel.Locator(), "bytes:22-40"; got != want || string(text[22:40]) != sel.Raw {
		t.Errorf("Locator = %s, want %s (raw %q)", got, want, sel.Raw)
	}
}

func TestKindsFilter(t *testing.T) {
	text := "luna@example.com +50685550123 203.0.113.5"
	if diff := cmp.Diff([]got{{"phone", "+50685550123", "+50685550123", "", "", true}},
		scanKinds(text, Options{Kinds: []string{KindPhone}})); diff != "" {
		t.Error(diff)
	}
}

// TestScanAppendReusesSlice: ScanAppend keeps what dst holds and appends
// this text's selectors after it, ordered by Start; ContextBytes < 0
// leaves Context empty.
func TestScanAppendReusesSlice(t *testing.T) {
	text := []byte("luna@example.com y +50685550123")
	prev := Selector{Kind: KindDomain, Value: "kept.example"}
	dst := make([]Selector, 1, 8)
	dst[0] = prev
	got := ScanAppend(dst, text, Options{ContextBytes: -1})
	want := []located{{"domain", "kept.example", "", 0, 0}, {"email", "luna@example.com", "luna@example.com", 0, 16}, {"phone", "+50685550123", "+50685550123", 19, 31}}
	if diff := cmp.Diff(want, locate(got)); diff != "" {
		t.Errorf("ScanAppend (-want +got):\n%s", diff)
	}
	if &got[0] != &dst[0] {
		t.Error("ScanAppend did not append into dst's array")
	}
	for _, s := range got[1:] {
		if s.Context != "" {
			t.Errorf("ContextBytes -1: context %q", s.Context)
		}
	}
	if c := Scan(text, Options{})[1].Context; c != string(text) {
		t.Errorf("default context %q, want the whole short text", c)
	}
}
