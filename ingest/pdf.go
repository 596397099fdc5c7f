package ingest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// PDF bounds: a hostile file cannot make the parser hold more than these.
const (
	maxPDFSize     = 256 << 20 // bytes of the file read
	maxPDFObjects  = 200_000   // objects indexed
	maxPDFInflate  = 64 << 20  // decompressed bytes per document
	maxPDFPages    = 100_000
	maxPDFXObjects = 8 // nesting of form XObjects drawn with Do
)

// pdfObject is one indirect object: its value and, for streams, the raw
// (still encoded) data.
type pdfObject struct {
	value  any
	stream []byte
	isStm  bool
}

// pdfDoc is an indexed PDF.
type pdfDoc struct {
	objs     map[int]*pdfObject
	inflated int // bytes decompressed so far
	rep      *Report
}

// ParsePDF reads the text of a text-based PDF: one item of kind
// Options.Kind (default "page") per page that shows text, located by
// "pdf:page/N" (N from 1 in the page tree's order). Pages without text
// (scans) are reported as Problems.
//
// The file is read without its cross-reference table: objects are found
// by scanning for "N G obj", which also reads files whose xref is broken,
// as seized files often are; object streams (PDF 1.5) are opened. Content
// streams may be uncompressed or FlateDecode. Text comes from the
// text-showing operators (Tj, TJ, ', ") and form XObjects; string bytes are
// read as WinAnsi (a superset of the standard encoding for letters), or as
// UTF-16 with a byte-order mark. Encrypted files are not decrypted (a
// Problem says so). Limitation: fonts with custom encodings
// (Differences arrays, CID fonts with Identity-H and ToUnicode maps) give
// wrong characters; their text should be extracted another way.
func ParsePDF(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPDFSize+1))
	if err != nil {
		return nil, fmt.Errorf("ingest pdf: %w", err)
	}
	rep := &Report{Format: FormatPDF}
	if len(data) > maxPDFSize {
		rep.problem("pdf", "file larger than %d MB: only its start is read", maxPDFSize>>20)
		data = data[:maxPDFSize]
	}
	if bytes.Contains(data, []byte("/Encrypt")) {
		rep.problem("pdf", "encrypted PDF: its streams are not decrypted, text may be missing")
	}
	d := &pdfDoc{objs: map[int]*pdfObject{}, rep: rep}
	d.scan(data)
	d.openObjectStreams()
	kind := firstNonEmpty(opt.Kind, KindPage)
	for i, page := range d.pages() {
		loc := "pdf:page/" + strconv.Itoa(i+1)
		var text pdfText
		d.pageText(&text, page, 0)
		s := strings.TrimSpace(text.String())
		if s == "" {
			rep.problem(loc, "no text on this page (a scan or a picture?)")
			continue
		}
		rep.Items++
		if err := fn(Item{Kind: kind, Locator: loc, Text: s}); err != nil {
			return rep, err
		}
	}
	if rep.Items == 0 && len(d.objs) == 0 {
		rep.problem("pdf", "no PDF objects found")
	}
	return rep, nil
}

// scan indexes every "N G obj ... endobj" of data; later definitions of a
// number (incremental updates) replace earlier ones.
func (d *pdfDoc) scan(data []byte) {
	pos := 0
	for len(d.objs) < maxPDFObjects {
		i := bytes.Index(data[pos:], []byte("obj"))
		if i < 0 {
			return
		}
		at := pos + i
		pos = at + 3
		num, ok := objHeader(data, at)
		if !ok || pos < len(data) && !isPDFSpace(data[pos]) && !isPDFDelim(data[pos]) {
			continue
		}
		obj, end := parseObject(data, pos)
		d.objs[num] = obj
		pos = min(max(pos, end), len(data))
	}
	d.rep.problem("pdf", "more than %d objects: the rest is not read", maxPDFObjects)
}

// objHeader reads "num gen " backwards from the "obj" keyword at at.
func objHeader(data []byte, at int) (int, bool) {
	j := at
	digits := func() (int, bool) {
		end := j
		for j > 0 && data[j-1] >= '0' && data[j-1] <= '9' {
			j--
		}
		if j == end || end-j > 10 {
			return 0, false
		}
		n, err := strconv.Atoi(string(data[j:end]))
		return n, err == nil
	}
	spaces := func() bool {
		end := j
		for j > 0 && isPDFSpace(data[j-1]) {
			j--
		}
		return j < end
	}
	if !spaces() {
		return 0, false
	}
	if _, ok := digits(); !ok || !spaces() {
		return 0, false
	}
	num, ok := digits()
	return num, ok && (j == 0 || isPDFSpace(data[j-1]) || isPDFDelim(data[j-1]))
}

// parseObject reads an object's value and stream from pos (after "obj");
// it returns where the object ends.
func parseObject(data []byte, pos int) (*pdfObject, int) {
	l := &pdfLexer{b: data, pos: pos}
	v, _ := l.value(0)
	obj := &pdfObject{value: v}
	save := l.pos
	if kw, ok := l.token(); !ok || kw != pdfKeyword("stream") {
		l.pos = save
		return obj, l.pos
	}
	start := l.pos
	if start < len(data) && data[start] == '\r' {
		start++
	}
	if start < len(data) && data[start] == '\n' {
		start++
	}
	end := -1
	if dict, ok := v.(map[string]any); ok {
		if n, ok := dict["Length"].(float64); ok && n >= 0 && start+int(n) <= len(data) &&
			bytes.HasPrefix(bytes.TrimLeft(data[start+int(n):], "\r\n \t"), []byte("endstream")) {
			end = start + int(n)
		}
	}
	if end < 0 {
		k := bytes.Index(data[start:], []byte("endstream"))
		if k < 0 {
			return obj, len(data)
		}
		end = start + k
		for end > start && (data[end-1] == '\n' || data[end-1] == '\r') {
			end--
		}
	}
	obj.stream, obj.isStm = data[start:end], true
	return obj, end
}

// get resolves references (a few levels) to a value.
func (d *pdfDoc) get(v any) any {
	for range 8 {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		o := d.objs[r.num]
		if o == nil {
			return nil
		}
		v = o.value
	}
	return nil
}

// dict resolves v to a dictionary (nil if it is none).
func (d *pdfDoc) dict(v any) map[string]any {
	m, _ := d.get(v).(map[string]any)
	return m
}

// decode returns the decoded data of the stream object v refers to.
func (d *pdfDoc) decode(v any) ([]byte, bool) {
	r, ok := v.(pdfRef)
	if !ok || d.objs[r.num] == nil || !d.objs[r.num].isStm {
		return nil, false
	}
	o := d.objs[r.num]
	dict, _ := o.value.(map[string]any)
	var filters []any
	switch f := d.get(dict["Filter"]).(type) {
	case pdfName:
		filters = []any{f}
	case []any:
		filters = f
	}
	data := o.stream
	for _, f := range filters {
		switch d.get(f) {
		case pdfName("FlateDecode"), pdfName("Fl"):
			var err error
			if data, err = d.inflate(data); err != nil {
				d.rep.problem("pdf:obj/"+strconv.Itoa(r.num), "%v", err)
				return nil, false
			}
		default:
			d.rep.problem("pdf:obj/"+strconv.Itoa(r.num), "stream filter %v not read", f)
			return nil, false
		}
	}
	return data, true
}

// inflate decompresses zlib data within the document's budget; a truncated
// stream gives what decompressed before the damage.
func (d *pdfDoc) inflate(data []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("flate: %w", err)
	}
	defer zr.Close()
	left := maxPDFInflate - d.inflated
	out, err := io.ReadAll(io.LimitReader(zr, int64(left)+1))
	d.inflated += len(out)
	if len(out) > left {
		return nil, fmt.Errorf("flate: more than %d MB decompressed in this document", maxPDFInflate>>20)
	}
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("flate: %w", err)
	}
	return out, nil
}

// openObjectStreams adds the objects packed in object streams (/Type
// /ObjStm) that no direct definition gives.
func (d *pdfDoc) openObjectStreams() {
	nums := make([]int, 0)
	for n, o := range d.objs {
		if m, ok := o.value.(map[string]any); ok && o.isStm && m["Type"] == pdfName("ObjStm") {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	for _, n := range nums {
		m := d.objs[n].value.(map[string]any)
		data, ok := d.decode(pdfRef{n, 0})
		count, _ := d.get(m["N"]).(float64)
		first, _ := d.get(m["First"]).(float64)
		if !ok || first < 0 || int(first) > len(data) {
			continue
		}
		l := &pdfLexer{b: data[:int(first)]}
		for i := 0; i < int(count) && len(d.objs) < maxPDFObjects; i++ {
			num, ok1 := l.token()
			off, ok2 := l.token()
			on, isNum := num.(float64)
			oo, isOff := off.(float64)
			if !ok1 || !ok2 || !isNum || !isOff || oo < 0 || int(first)+int(oo) >= len(data) {
				break
			}
			if _, seen := d.objs[int(on)]; !seen {
				vl := &pdfLexer{b: data, pos: int(first) + int(oo)}
				v, _ := vl.value(0)
				d.objs[int(on)] = &pdfObject{value: v}
			}
		}
	}
}

// pages lists the page dictionaries in the page tree's order, or, without
// a usable tree, every /Type /Page object in object-number order.
func (d *pdfDoc) pages() []map[string]any {
	var root any
	nums := make([]int, 0, len(d.objs))
	for n := range d.objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		if m, ok := d.objs[n].value.(map[string]any); ok && m["Type"] == pdfName("Catalog") {
			root = m["Pages"]
		}
	}
	var out []map[string]any
	seen := map[int]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if r, ok := v.(pdfRef); ok {
			if seen[r.num] {
				return
			}
			seen[r.num] = true
		}
		node := d.dict(v)
		if node == nil || depth > 64 || len(out) >= maxPDFPages {
			return
		}
		if kids, ok := d.get(node["Kids"]).([]any); ok && node["Type"] != pdfName("Page") {
			for _, k := range kids {
				walk(k, depth+1)
			}
			return
		}
		out = append(out, node)
	}
	walk(root, 0)
	if len(out) > 0 {
		return out
	}
	for _, n := range nums {
		if m, ok := d.objs[n].value.(map[string]any); ok && m["Type"] == pdfName("Page") && len(out) < maxPDFPages {
			out = append(out, m)
		}
	}
	return out
}

// pageText appends the text of a page or form XObject's content streams.
func (d *pdfDoc) pageText(t *pdfText, page map[string]any, depth int) {
	var contents []any
	switch c := page["Contents"].(type) {
	case pdfRef:
		if arr, ok := d.get(c).([]any); ok {
			contents = arr
		} else {
			contents = []any{c}
		}
	case []any:
		contents = c
	}
	var stream []byte
	for _, c := range contents {
		if data, ok := d.decode(c); ok {
			stream = append(append(stream, data...), '\n')
		}
	}
	d.contentText(t, stream, d.resources(page), depth)
}

// resources returns a page's resources, inherited from its parents when
// the page has none.
func (d *pdfDoc) resources(page map[string]any) map[string]any {
	for node, i := page, 0; node != nil && i < 32; node, i = d.dict(node["Parent"]), i+1 {
		if res := d.dict(node["Resources"]); res != nil {
			return res
		}
	}
	return nil
}
