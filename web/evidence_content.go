package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/rastro/rastro"
)

// contentCSP is the policy of evidence content responses: a file opened
// directly in a tab can run nothing and load nothing.
const contentCSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'none'; sandbox"

// inlineTypes are the media types served as themselves; anything else is
// served as application/octet-stream, so that no evidence file (HTML, SVG,
// script) is ever interpreted by the browser in Rastro's origin.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"video/mp4": true, "video/webm": true, "video/ogg": true, "text/plain": true,
}

// webTool is the tool named in custody events the web interface appends.
const webTool = "rastro-web"

// logAccess appends a custody event (action) for the item in the actor's
// name and then an audit event (auditAction). Both happen before any byte of
// content leaves the server.
func (s *Server) logAccess(r *http.Request, e *rastro.Evidence, action rastro.CustodyAction, auditAction string) error {
	via := "ui"
	if isAPI(r) {
		via = "api"
	}
	details, _ := json.Marshal(map[string]string{"via": via, "media_type": e.MediaType})
	ev := &rastro.CustodyEvent{CaseID: e.CaseID, EvidenceID: e.ID, EvidenceSHA256: e.SHA256, Action: action,
		Tool: webTool, ToolVersion: s.cfg.Version, Details: details}
	if _, err := s.store.AppendCustody(r.Context(), actor(r), ev); err != nil {
		return fmt.Errorf("custody %s: %w", action, err)
	}
	a := actor(r)
	au := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: auditAction,
		CaseID: e.CaseID, Object: fmt.Sprintf("evidence:%d", e.ID), Purpose: a.Purpose,
		Details: fmt.Sprintf("%s, %s, sha256 %s", via, e.MediaType, e.SHA256), Remote: remoteAddr(r)}
	if err := s.store.Audit(r.Context(), a, au); err != nil {
		return fmt.Errorf("audit %s: %w", auditAction, err)
	}
	return nil
}

// evidenceContent streams an item's content to a browser session that
// revealed it in the last minutes (403 otherwise). ?download=1 sends it as
// an attachment and appends a "download" custody event; the inline view
// was logged by the reveal.
func (s *Server) evidenceContent(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sess := reqInfo(r).session
	if sess == nil || !s.reveals.allowed(sess.TokenHash, e.CaseID, e.ID, s.cfg.Now()) {
		s.fail(w, r, rastro.Errorf(rastro.EFORBIDDEN, "Reveal this item on its evidence page first; the content is served only for a few minutes after a logged reveal."))
		return
	}
	// What the browser cannot show is always a (logged) download.
	download := r.URL.Query().Get("download") == "1" || contentKind(e.MediaType) == kindOther
	s.serveContent(w, r, e, download)
}

// apiEvidenceContent downloads an item's content for an API client; every
// call is a "download" custody event.
func (s *Server) apiEvidenceContent(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveContent(w, r, e, true)
}

// serveContent opens the item in the vault, logs a download when download
// is set, and streams it with http.ServeContent (ranges included).
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, e *rastro.Evidence, download bool) {
	if s.cfg.Blobs == nil {
		s.fail(w, r, rastro.Errorf(rastro.ENOTFOUND, "Evidence content is not available on this server; only its metadata and hashes are."))
		return
	}
	b, err := s.cfg.Blobs.Open(r.Context(), e.CaseID, e.SHA256)
	if err != nil {
		s.fail(w, r, contentError(err))
		return
	}
	defer b.Close()
	if download && r.Method != http.MethodHead { // HEAD sends no content
		if err := s.logAccess(r, e, rastro.CustodyDownload, "download_evidence"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", servedType(e.MediaType))
	h.Set("Content-Disposition", disposition(e, download))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", contentCSP)
	h.Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", time.Time{}, b)
}

// servedType is the Content-Type an item is served with.
func servedType(mediaType string) string {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil || !inlineTypes[mt] {
		return "application/octet-stream"
	}
	if mt == "text/plain" {
		return "text/plain; charset=utf-8"
	}
	return mt
}

// disposition is the Content-Disposition header: inline or attachment, with
// the item's original file name (RFC 2231-encoded when not ASCII).
func disposition(e *rastro.Evidence, download bool) string {
	kind := "inline"
	if download {
		kind = "attachment"
	}
	name := path.Base(strings.ReplaceAll(e.OriginalName, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = fmt.Sprintf("evidence-%d", e.ID)
	}
	if v := mime.FormatMediaType(kind, map[string]string{"filename": name}); v != "" {
		return v
	}
	return fmt.Sprintf("%s; filename=\"evidence-%d\"", kind, e.ID)
}
