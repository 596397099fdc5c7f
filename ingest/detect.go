package ingest

import (
	"bytes"
	"path"
	"strings"
)

// Format names a file format the parsers read.
type Format string

// Formats.
const (
	FormatUnknown     Format = ""
	FormatWhatsApp    Format = "whatsapp"
	FormatWhatsAppZip Format = "whatsapp:zip"
	FormatTelegram    Format = "telegram"
	FormatDiscord     Format = "discord"
	FormatCSV         Format = "csv"
	FormatAdsJSONL    Format = "ads:jsonl"
	FormatEML         Format = "eml"
	FormatMbox        Format = "mbox"
	FormatHTML        Format = "html"
	FormatText        Format = "text"
	FormatUFDR        Format = "ufdr"  // Cellebrite UFDR: a zip with report.xml
	FormatPDF         Format = "pdf"   // text-based PDF
	FormatDOCX        Format = "docx"  // Word: a zip with word/document.xml
	FormatImage       Format = "image" // JPEG, PNG or GIF: metadata only
)

// Detect guesses a file's format from its name and its first bytes (a few KB
// are enough; 8 KB is plenty). It returns FormatUnknown for binary files and
// formats no parser reads (transactions CSVs are CSV: the caller routes money
// files by their header before calling Parse).
func Detect(name string, head []byte) Format {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	ext := path.Ext(base)
	head = bytes.TrimPrefix(head, []byte(bomMark))
	switch {
	case bytes.HasPrefix(head, []byte("PK")):
		return detectZip(base, ext, head)
	case bytes.HasPrefix(head, []byte("%PDF-")), ext == ".pdf" && bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return FormatPDF
	case isImage(head):
		return FormatImage
	case isBinary(head):
		return FormatUnknown
	case ext == ".json":
		return detectJSON(head)
	case ext == ".jsonl" || ext == ".ndjson":
		return FormatAdsJSONL
	case ext == ".eml":
		return FormatEML
	case ext == ".mbox" || bytes.HasPrefix(head, []byte("From ")) && bytes.Contains(head, []byte("\nFrom:")):
		return FormatMbox
	case ext == ".html" || ext == ".htm" || looksHTML(head):
		return FormatHTML
	case looksWhatsApp(head), ext == ".txt" && strings.HasPrefix(base, "whatsapp chat"):
		return FormatWhatsApp
	case ext == ".csv" || ext == ".tsv":
		return FormatCSV
	case looksEmail(head):
		return FormatEML
	}
	return FormatText
}

// detectZip tells the zip-based formats apart by extension and, for ".zip"
// and names without extension, by the member names in the first local
// headers (a UFDR's report.xml, a DOCX's word/document.xml).
func detectZip(base, ext string, head []byte) Format {
	sniff := ext == ".zip" || ext == ""
	switch {
	case ext == ".ufdr" || sniff && bytes.Contains(head, []byte("report.xml")):
		return FormatUFDR
	case ext == ".docx" || sniff && bytes.Contains(head, []byte("word/document.xml")):
		return FormatDOCX
	case ext == ".zip" && (strings.HasPrefix(base, "whatsapp") || bytes.Contains(head, []byte("_chat.txt"))):
		return FormatWhatsAppZip
	}
	return FormatUnknown
}

// isImage reports JPEG, PNG or GIF magic.
func isImage(head []byte) bool {
	return bytes.HasPrefix(head, []byte("\xff\xd8\xff")) || bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")) ||
		bytes.HasPrefix(head, []byte("GIF87a")) || bytes.HasPrefix(head, []byte("GIF89a"))
}

// detectJSON tells Telegram, Discord and JSONL ads apart.
func detectJSON(head []byte) Format {
	switch {
	case bytes.Contains(head, []byte(`"guild"`)) && bytes.Contains(head, []byte(`"channel"`)):
		return FormatDiscord
	case bytes.Contains(head, []byte(`"personal_information"`)), bytes.Contains(head, []byte(`"chats"`)),
		bytes.Contains(head, []byte(`"date_unixtime"`)), bytes.Contains(head, []byte(`"messages"`)):
		return FormatTelegram
	case bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")) && bytes.Count(head, []byte("\n{")) > 0:
		return FormatAdsJSONL
	}
	return FormatUnknown
}

// looksWhatsApp reports whether one of the first lines starts with a stamp.
func looksWhatsApp(head []byte) bool {
	for i := 0; i < 5 && len(head) > 0; i++ {
		line, rest, _ := bytes.Cut(head, []byte{'\n'})
		if _, ok := parseWAStamp(bytes.TrimSuffix(line, []byte{'\r'})); ok {
			return true
		}
		head = rest
	}
	return false
}

// looksHTML reports an HTML document.
func looksHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimSpace(head[:min(len(head), 512)]))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html")) || bytes.Contains(h, []byte("<head"))
}

// looksEmail reports an RFC 5322 message without the .eml extension.
func looksEmail(head []byte) bool {
	n := 0
	for _, h := range []string{"\nFrom: ", "\nTo: ", "\nSubject: ", "\nDate: ", "\nMessage-ID: ", "\nReceived: "} {
		if bytes.Contains(append([]byte{'\n'}, head...), []byte(h)) {
			n++
		}
	}
	return n >= 3
}

// isBinary reports NUL bytes in the head.
func isBinary(head []byte) bool {
	return bytes.IndexByte(head[:min(len(head), 8192)], 0) >= 0
}
