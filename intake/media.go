package intake

import (
	"net/http"
	"path"
	"strings"
)

// byExtension are media types for evidence formats that content sniffing
// cannot tell apart (JSON, CSV and chat exports all sniff as text). A fixed
// table, rather than mime.TypeByExtension, so that the result does not
// depend on the machine's /etc/mime.types.
var byExtension = map[string]string{
	".json":   "application/json",
	".csv":    "text/csv; charset=utf-8",
	".tsv":    "text/tab-separated-values; charset=utf-8",
	".txt":    "text/plain; charset=utf-8",
	".html":   "text/html; charset=utf-8",
	".htm":    "text/html; charset=utf-8",
	".xml":    "application/xml",
	".pdf":    "application/pdf",
	".zip":    "application/zip",
	".tar":    "application/x-tar",
	".gz":     "application/gzip",
	".tgz":    "application/gzip",
	".jpg":    "image/jpeg",
	".jpeg":   "image/jpeg",
	".png":    "image/png",
	".gif":    "image/gif",
	".webp":   "image/webp",
	".heic":   "image/heic",
	".mp4":    "video/mp4",
	".mov":    "video/quicktime",
	".opus":   "audio/ogg",
	".ogg":    "audio/ogg",
	".mp3":    "audio/mpeg",
	".m4a":    "audio/mp4",
	".vcf":    "text/vcard",
	".eml":    "message/rfc822",
	".db":     "application/vnd.sqlite3",
	".sqlite": "application/vnd.sqlite3",
}

// mediaType decides an item's media type from its first bytes and its name:
// a specific sniffed type wins; a generic one (plain text, octet stream)
// gives way to the extension's.
func mediaType(name string, head []byte) string {
	sniffed := http.DetectContentType(head)
	generic := sniffed == "application/octet-stream" || strings.HasPrefix(sniffed, "text/plain")
	if ext, ok := byExtension[strings.ToLower(path.Ext(name))]; ok && generic {
		if strings.HasPrefix(ext, "text/") && sniffed == "application/octet-stream" && len(head) > 0 {
			return sniffed // binary content under a text name: do not claim text
		}
		return ext
	}
	return sniffed
}

// headWriter keeps the first 512 bytes written to it, for sniffing.
type headWriter struct{ head []byte }

// Write implements io.Writer.
func (h *headWriter) Write(p []byte) (int, error) {
	if n := 512 - len(h.head); n > 0 {
		h.head = append(h.head, p[:min(n, len(p))]...)
	}
	return len(p), nil
}
