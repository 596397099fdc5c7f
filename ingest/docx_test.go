package ingest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const docxBodySample = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Tarifas</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">por </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>hora</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:t>Llamar al</w:t><w:br/><w:t>+1 555-555-0188</w:t></w:r><w:del w:author="x"><w:r><w:delText>ana@example.com</w:delText></w:r></w:del></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>celda &amp; tabla</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>`

func TestDOCX(t *testing.T) {
	archive := buildZip(t, [2]string{"[Content_Types].xml", `<Types/>`}, [2]string{"_rels/.rels", `<Relationships/>`},
		[2]string{"word/document.xml", docxBodySample})
	if f := Detect("contrato.docx", archive); f != FormatDOCX {
		t.Fatalf("Detect = %q, want docx", f)
	}
	items, rep := collect(t, func(fn Func) (*Report, error) {
		return Parse(bytes.NewReader(archive), "contrato.docx", FormatDOCX, Options{}, fn)
	})
	want := []Item{
		{Kind: KindPage, Locator: "docx:p/1", Text: "Tarifas\tpor hora"},
		{Kind: KindPage, Locator: "docx:p/3", Text: "Llamar al\n+1 555-555-0188", Fields: map[string]string{"deleted_text": "ana@example.com"}},
		{Kind: KindPage, Locator: "docx:p/4", Text: "celda & tabla"},
	}
	if d := cmp.Diff(want, items); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("problems %v", rep.Problems)
	}
}

func TestDOCXBounds(t *testing.T) {
	long := `<w:p><w:r><w:t>` + strings.Repeat("a", maxTextBlock+10) + `</w:t></w:r></w:p>`
	items, rep := collect(t, func(fn Func) (*Report, error) {
		return ParseDOCXBody(strings.NewReader(long+"<w:p><w:t>x"), "x", Options{Kind: KindAd}, fn)
	})
	if len(items) != 1 || len(items[0].Text) != maxTextBlock || items[0].Kind != KindAd || len(rep.Problems) != 2 {
		t.Errorf("items %d problems %v", len(items), rep.Problems)
	}
	archive := buildZip(t, [2]string{"word/other.xml", "x"})
	if _, err := ParseDOCX(bytes.NewReader(archive), int64(len(archive)), "x.docx", Options{}, func(Item) error { return nil }); err == nil {
		t.Error("a zip without word/document.xml parsed")
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add([]byte(docxBodySample))
	f.Add([]byte(`<w:p><w:p><w:t>a</w:p><w:delText>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ParseDOCXBody(bytes.NewReader(data), "x", Options{}, func(it Item) error {
			if !strings.HasPrefix(it.Locator, "docx:p/") || len(it.Text) > maxTextBlock {
				t.Fatalf("locator %q, %d bytes", it.Locator, len(it.Text))
			}
			return nil
		})
		if err != nil || rep == nil {
			t.Fatalf("err %v", err)
		}
	})
}
