package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// maxTextBlock bounds one text item; a longer paragraph is split.
const maxTextBlock = 64 << 10

// ParseText reads plain text as paragraphs (blocks separated by blank
// lines), one item of kind Options.Kind (default "page") each, located by
// "line:N" (the block's first line). Blocks longer than 64 KB are split.
func ParseText(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatText}
	kind := firstNonEmpty(opt.Kind, KindPage)
	lr := newLineReader(r)
	var block []byte
	first := 0
	flush := func() error {
		if first == 0 {
			return nil
		}
		it := Item{Kind: kind, Locator: "line:" + strconv.Itoa(first), Text: string(block)}
		block, first = block[:0], 0
		rep.Items++
		return fn(it)
	}
	for line, ok := lr.line(); ok; line, ok = lr.line() {
		if len(bytes.TrimSpace(line)) == 0 || len(block)+len(line) > maxTextBlock {
			if err := flush(); err != nil {
				return rep, err
			}
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
		}
		if first == 0 {
			first = lr.num
			line = bytes.TrimPrefix(line, []byte(bomMark))
		} else {
			block = append(block, '\n')
		}
		block = append(block, line...)
	}
	if err := lr.failure(); err != nil {
		return rep, fmt.Errorf("ingest text: %w", err)
	}
	return rep, flush()
}
