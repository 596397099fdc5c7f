package ingest

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"
)

// ParseWhatsAppZip reads a WhatsApp export with media ("WhatsApp Chat -
// NAME.zip"): the chat member (_chat.txt, or the only .txt) is parsed with
// locators "zip:MEMBER#line:N", and every other member is listed in
// Report.Members so the caller can store it as child evidence (attachments
// name them).
func ParseWhatsAppZip(ra io.ReaderAt, size int64, name string, opt Options, fn Func) (*Report, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("ingest whatsapp zip: %w", err)
	}
	chat := chatMember(zr.File)
	if chat == nil {
		return nil, fmt.Errorf("ingest whatsapp zip: %s holds no chat text (_chat.txt)", path.Base(name))
	}
	var members []Member
	for _, f := range zr.File {
		if f != chat && !f.FileInfo().IsDir() {
			members = append(members, Member{Name: f.Name, Size: int64(f.UncompressedSize64)})
		}
	}
	var rc io.ReadCloser
	open := func() (io.Reader, error) {
		if rc != nil {
			rc.Close()
		}
		rc, err = chat.Open()
		return rc, err
	}
	defer func() {
		if rc != nil {
			rc.Close()
		}
	}()
	rep, err := parseWhatsApp(open, waTitle(name), "zip:"+chat.Name+"#", opt, fn)
	if rep != nil {
		rep.Members = members
	}
	return rep, err
}

// chatMember picks the chat text of an export.
func chatMember(files []*zip.File) *zip.File {
	var txt *zip.File
	n := 0
	for _, f := range files {
		if path.Base(f.Name) == "_chat.txt" {
			return f
		}
		if strings.HasSuffix(strings.ToLower(f.Name), ".txt") {
			txt = f
			n++
		}
	}
	if n == 1 {
		return txt
	}
	return nil
}
