package ingest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// buildPDF writes a minimal valid PDF 1.4: catalog, page tree, one page per
// content stream (Flate-compressed when flate is set), one font, and a
// correct cross-reference table.
func buildPDF(tb testing.TB, flate bool, contents ...string) []byte {
	tb.Helper()
	n := len(contents)
	var objs []string
	kids := make([]string, n)
	for i := range contents {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /Resources << /Font << /F1 3 0 R >> >> >>", strings.Join(kids, " "), n),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, c := range contents {
		data, filter := []byte(c), ""
		if flate {
			var buf bytes.Buffer
			zw := zlib.NewWriter(&buf)
			zw.Write(data)
			zw.Close()
			data, filter = buf.Bytes(), " /Filter /FlateDecode"
		}
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>", 5+2*i),
			fmt.Sprintf("<< /Length %d%s >>\nstream\n%s\nendstream", len(data), filter, data))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDF(t *testing.T) {
	page1 := "BT /F1 12 Tf 72 720 Td (Hola \\(mundo\\)) Tj 0 -14 Td [(Llam)20(a al) -300 (+1 555-555-0123)] TJ T* <4D61 7269 61> Tj ( caf\\351 \\\nok) Tj ET"
	page3 := "q 1 0 0 1 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \xff\x00 EI Q BT 72 700 Td (Escribe a:) Tj (ana@example.com) ' (\x80 25) Tj ET"
	pdf := buildPDF(t, true, page1, "0 0 1 rg 0 0 10 10 re f", page3)
	if f := Detect("informe.pdf", pdf); f != FormatPDF {
		t.Fatalf("Detect = %q", f)
	}
	items, rep := collect(t, func(fn Func) (*Report, error) {
		return Parse(bytes.NewReader(pdf), "informe.pdf", FormatPDF, Options{}, fn)
	})
	want := []Item{
		{Kind: KindPage, Locator: "pdf:page/1", Text: "Hola (mundo)\nLlama al +1 555-555-0123\nMaria café ok"},
		{Kind: KindPage, Locator: "pdf:page/3", Text: "Escribe a:\nana@example.com€ 25"},
	}
	if d := cmp.Diff(want, items); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Problem{{"pdf:page/2", "no text on this page (a scan or a picture?)"}}, rep.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	// Uncompressed streams, a broken xref (offsets ignored) and a wrong
	// /Length read the same.
	plain := bytes.Replace(buildPDF(t, false, page1), []byte("/Length "), []byte("/Length 9"), 1)
	items, _ = collect(t, func(fn Func) (*Report, error) {
		return ParsePDF(bytes.NewReader(plain[:len(plain)-40]), "x.pdf", Options{}, fn)
	})
	if len(items) != 1 || items[0].Text != want[0].Text {
		t.Errorf("plain PDF items %+v", items)
	}
}

func TestPDFBounds(t *testing.T) {
	// A content stream that inflates past the document budget is refused, not read.
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	chunk := make([]byte, 1<<20)
	for written := 0; written <= maxPDFInflate; written += len(chunk) {
		zw.Write(chunk)
	}
	zw.Close()
	bomb := fmt.Sprintf("%%PDF-1.4\n1 0 obj << /Type /Page /Contents 2 0 R >> endobj\n2 0 obj << /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream endobj\n", buf.Len(), buf.Bytes())
	items, rep := collect(t, func(fn Func) (*Report, error) { return ParsePDF(strings.NewReader(bomb), "x.pdf", Options{}, fn) })
	if len(items) != 0 || len(rep.Problems) != 2 || !strings.Contains(rep.Problems[0].Reason, "decompressed") {
		t.Errorf("items %d problems %v", len(items), rep.Problems)
	}
}

func TestPDFObjectStream(t *testing.T) {
	// PDF 1.5 packs dictionaries in object streams: the page (2) and its
	// catalog (1) live in object 5; only the content stream (3) is direct.
	packed := "<< /Type /Catalog /Pages 6 0 R >> << /Type /Page /Contents 3 0 R >> << /Type /Pages /Kids [2 0 R] >>"
	i2 := strings.Index(packed, "<< /Type /Page ")
	i6 := strings.Index(packed, "<< /Type /Pages")
	header := fmt.Sprintf("1 0 2 %d 6 %d ", i2, i6)
	stm := header + packed
	pdf := fmt.Sprintf("%%PDF-1.5\n3 0 obj << /Length 14 >> stream\nBT (hi) Tj ET\nendstream endobj\n"+
		"5 0 obj << /Type /ObjStm /N 3 /First %d /Length %d >> stream\n%s\nendstream endobj\n", len(header), len(stm), stm)
	items, rep := collect(t, func(fn Func) (*Report, error) { return ParsePDF(strings.NewReader(pdf), "x.pdf", Options{}, fn) })
	if len(items) != 1 || items[0].Text != "hi" || items[0].Locator != "pdf:page/1" {
		t.Errorf("items %+v problems %v", items, rep.Problems)
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(buildPDF(f, true, "BT (a\\) b) Tj [(c) -500 <64>] TJ ET"))
	f.Add([]byte("%PDF-1.5\n1 0 obj << /Type /ObjStm /N 2 /First 8 >> stream\n2 0 3 30 << /Type /Page /Contents 4 0 R >> <<>>\nendstream endobj 4 0 obj <</Length 3>> stream\n(x) Tj ' [ << /Do\nendstream"))
	f.Add([]byte("1 0 obj [[[[[[ (\\0 <<1 0 R>> 1 0 obj"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ParsePDF(bytes.NewReader(data), "x.pdf", Options{}, func(it Item) error {
			if !strings.HasPrefix(it.Locator, "pdf:page/") || it.Text == "" {
				t.Fatalf("item %+v", it)
			}
			return nil
		})
		if err != nil || rep == nil {
			t.Fatalf("err %v", err)
		}
	})
}
