package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/rastro/rastro"
)

// Kinds of content, deciding how an item may be shown once revealed.
const (
	kindImage = "image"
	kindVideo = "video"
	kindText  = "text"
	kindOther = "other"
)

// previewLimit is how much of a text item the preview shows.
const previewLimit = 64 << 10

// evidencePageView is the evidence item page's data.
type evidencePageView struct {
	*evidenceDetail
	Kind      string
	Available bool   // the server can read the content
	Revealed  bool   // the user just revealed it (this response only)
	Preview   string // the text preview, when revealed and textual
	Truncated bool   // the preview is the first previewLimit bytes only
	Error     string
}

// contentKind classifies a media type.
func contentKind(mediaType string) string {
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]))
	switch {
	case strings.HasPrefix(mt, "image/"):
		return kindImage
	case strings.HasPrefix(mt, "video/"):
		return kindVideo
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/xml", mt == "application/x-ndjson":
		return kindText
	}
	return kindOther
}

// evidencePage shows an item's metadata and verified custody timeline.
// Content is never shown here: images and videos get a neutral placeholder
// until the user deliberately reveals them (a logged POST).
func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEvidence(w, r, http.StatusOK, e, func(v *evidencePageView) {})
}

// renderEvidence loads the page data, lets fill adjust it and renders it.
func (s *Server) renderEvidence(w http.ResponseWriter, r *http.Request, status int, e *rastro.Evidence, fill func(*evidencePageView)) {
	d, err := s.loadEvidenceDetail(r, e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &evidencePageView{evidenceDetail: d, Kind: contentKind(e.MediaType), Available: s.cfg.Blobs != nil}
	fill(v)
	s.render(w, r, status, "evidence", "", v)
}

// revealEvidence is the deliberate click that shows an item's content: it
// appends a "view" custody event and a "view_evidence" audit event, lets
// this session fetch the content for a few minutes, and renders the page
// with the image, video or text preview.
func (s *Server) revealEvidence(w http.ResponseWriter, r *http.Request) {
	e, err := s.loadEvidence(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if contentKind(e.MediaType) == kindOther {
		s.revealForDownload(w, r, e)
		return
	}
	preview, truncated, err := s.openForReveal(r, e)
	if err != nil {
		s.formError(w, r, err, func(msg string) {
			s.renderEvidence(w, r, statusFor(err), e, func(v *evidencePageView) { v.Error = msg })
		})
		return
	}
	if err := s.logAccess(r, e, rastro.CustodyView, "view_evidence"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.reveals.mark(reqInfo(r).session.TokenHash, e.CaseID, e.ID, s.cfg.Now())
	s.renderEvidence(w, r, http.StatusOK, e, func(v *evidencePageView) {
		v.Revealed, v.Preview, v.Truncated = true, preview, truncated
	})
}

// revealForDownload handles the reveal of an item the browser cannot show
// (an archive, a database, ...): nothing is viewed, so no view is logged;
// the session may fetch the content and is sent to the download, which
// appends the "download" custody event.
func (s *Server) revealForDownload(w http.ResponseWriter, r *http.Request, e *rastro.Evidence) {
	if _, _, err := s.openForReveal(r, e); err != nil {
		s.formError(w, r, err, func(msg string) {
			s.renderEvidence(w, r, statusFor(err), e, func(v *evidencePageView) { v.Error = msg })
		})
		return
	}
	s.reveals.mark(reqInfo(r).session.TokenHash, e.CaseID, e.ID, s.cfg.Now())
	http.Redirect(w, r, fmt.Sprintf("/cases/%d/evidence/%d/content?download=1", e.CaseID, e.ID), http.StatusSeeOther)
}

// openForReveal checks that the content can be read (before anything is
// logged) and, for text items, reads the preview.
func (s *Server) openForReveal(r *http.Request, e *rastro.Evidence) (string, bool, error) {
	if s.cfg.Blobs == nil {
		return "", false, rastro.Errorf(rastro.ENOTFOUND, "Evidence content is not available on this server; only its metadata and hashes are.")
	}
	b, err := s.cfg.Blobs.Open(r.Context(), e.CaseID, e.SHA256)
	if err != nil {
		return "", false, contentError(err)
	}
	defer b.Close()
	if contentKind(e.MediaType) != kindText {
		return "", false, nil
	}
	buf, err := io.ReadAll(io.LimitReader(b, previewLimit+1))
	if err != nil {
		return "", false, contentError(err)
	}
	truncated := len(buf) > previewLimit
	if truncated {
		buf = buf[:previewLimit]
		for i := 0; i < utf8.UTFMax && len(buf) > 0 && !utf8.Valid(buf); i++ {
			buf = buf[:len(buf)-1] // a rune cut in half at the limit
		}
	}
	return strings.ToValidUTF8(string(buf), "\uFFFD"), truncated, nil
}

// contentError explains a vault failure to the user.
func contentError(err error) error {
	switch rastro.ErrorCode(err) {
	case rastro.ENOTFOUND:
		return rastro.Errorf(rastro.ENOTFOUND, "The content of this item is not in the vault; only its metadata and hashes are.")
	case rastro.EINVALID:
		return rastro.Errorf(rastro.ECONFLICT, "The stored content of this item failed its integrity check: %s", rastro.ErrorMessage(err))
	}
	return err
}
