package ingest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// docxBody is the member of a DOCX archive that holds the main text.
const docxBody = "word/document.xml"

// maxDOCXBody caps the decompressed size of word/document.xml read (a zip
// bomb stops there with a Problem).
const maxDOCXBody = 256 << 20

// ParseDOCX reads the text of a Word document (a zip with
// word/document.xml): one item of kind Options.Kind (default "page") per
// non-empty paragraph (w:p), made of its runs' text (w:t), tabs (w:tab,
// as "\t") and breaks (w:br, w:cr, as "\n"), located by "docx:p/N" (N counts
// every w:p of the body from 1, empty ones included, in document order, so
// that N is the paragraph's place in the file). Text deleted under tracked
// changes (w:delText) is kept in Fields["deleted_text"]. Headers, footers,
// footnotes and comments are not read. Paragraphs longer than 64 KB are cut
// (with a Problem).
func ParseDOCX(ra io.ReaderAt, size int64, name string, opt Options, fn Func) (*Report, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("ingest docx: %w", err)
	}
	var body *zip.File
	for _, f := range zr.File {
		if f.Name == docxBody {
			body = f
			break
		}
	}
	if body == nil {
		return nil, fmt.Errorf("ingest docx: %s holds no %s; is it a Word document?", path.Base(name), docxBody)
	}
	rc, err := body.Open()
	if err != nil {
		return nil, fmt.Errorf("ingest docx: %w", err)
	}
	defer rc.Close()
	return ParseDOCXBody(rc, name, opt, fn)
}

// docxPara is a paragraph being read.
type docxPara struct {
	n             int
	text, deleted strings.Builder
	cut           bool
}

// errDOCXTooLarge marks a document.xml past maxDOCXBody.
var errDOCXTooLarge = errors.New("word/document.xml larger than 256 MB")

// ParseDOCXBody reads a bare word/document.xml as ParseDOCX does.
func ParseDOCXBody(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatDOCX}
	dec := xml.NewDecoder(&cappedReader{r: r, left: maxDOCXBody, err: errDOCXTooLarge})
	dec.Strict = false
	kind := firstNonEmpty(opt.Kind, KindPage)
	var stack []*docxPara
	n := 0
	inText, inDel, inProps := false, false, false // w:pPr holds tab stops, not tabs
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			rep.problem("docx:p/"+strconv.Itoa(n), "xml: %v", err)
			return rep, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				n++
				stack = append(stack, &docxPara{n: n})
			case "t":
				inText = true
			case "delText":
				inDel = true
			case "pPr":
				inProps = true
			case "tab":
				if len(stack) > 0 && !inText && !inProps {
					stack[len(stack)-1].add("\t", false)
				}
			case "br", "cr":
				if len(stack) > 0 && !inText {
					stack[len(stack)-1].add("\n", false)
				}
			}
		case xml.CharData:
			if len(stack) > 0 && (inText || inDel) {
				stack[len(stack)-1].add(string(t), inDel)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "delText":
				inDel = false
			case "pPr":
				inProps = false
			case "p":
				if len(stack) == 0 {
					continue
				}
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if err := p.emit(kind, rep, fn); err != nil {
					return rep, err
				}
			}
		}
	}
}

// add appends text to the paragraph (or its deleted text), up to the cap.
func (p *docxPara) add(s string, deleted bool) {
	b := &p.text
	if deleted {
		b = &p.deleted
	}
	if b.Len()+len(s) > maxTextBlock {
		p.cut = true
		s = cutRunes(s, maxTextBlock-b.Len())
	}
	b.WriteString(s)
}

// emit sends a non-empty paragraph.
func (p *docxPara) emit(kind string, rep *Report, fn Func) error {
	text := p.text.String()
	if strings.TrimSpace(text) == "" && p.deleted.Len() == 0 {
		return nil
	}
	it := Item{Kind: kind, Locator: "docx:p/" + strconv.Itoa(p.n), Text: text}
	if p.deleted.Len() > 0 {
		it.Fields = map[string]string{"deleted_text": p.deleted.String()}
	}
	if p.cut {
		rep.problem(it.Locator, "paragraph longer than 64 KB: cut")
	}
	rep.Items++
	return fn(it)
}

// cappedReader returns err after left bytes: a bound on decompressed data.
type cappedReader struct {
	r    io.Reader
	left int64
	err  error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, c.err
	}
	p = p[:min(int64(len(p)), c.left)]
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// cutRunes returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cutRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
