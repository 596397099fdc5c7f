package web

import (
	"html/template"
	"net/http"

	"github.com/rastro/rastro"
)

// uploadView is the upload page's data: the form, and after a post the
// outcome of every file.
type uploadView struct {
	CaseID  int64
	Ready   bool   // intake is configured
	Limit   string // the upload limit, for people
	Error   string
	Result  *uploadResult
	Stored  int
	Present int
	Failed  int
}

// uploadPage shows the form that adds evidence to a case.
func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	s.renderUpload(w, r, http.StatusOK, s.newUploadView(id))
}

// newUploadView returns the view of an empty form.
func (s *Server) newUploadView(caseID int64) *uploadView {
	return &uploadView{CaseID: caseID, Ready: s.cfg.Intake != nil, Limit: humanSize(s.uploadLimits().MaxBytes)}
}

// uploadEvidence receives the form (posted plainly or by upload.js) and
// shows what became of each file.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "caseID")
	v := s.newUploadView(id)
	if !isMultipart(r) {
		v.Error = "Send the form with its files (multipart/form-data)."
		s.renderUpload(w, r, http.StatusBadRequest, v)
		return
	}
	res, err := s.receive(w, r, id)
	if err != nil {
		if rastro.ErrorCode(err) == rastro.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		v.Error = rastro.ErrorMessage(err)
		s.renderUpload(w, r, statusFor(err), v)
		return
	}
	v.Result = res
	v.Stored, v.Present, v.Failed = res.counts()
	s.renderUpload(w, r, http.StatusOK, v)
}

// renderUpload renders the upload page. Until "upload" is listed in
// pageNames (render.go), its template is parsed here on each call.
func (s *Server) renderUpload(w http.ResponseWriter, r *http.Request, status int, v *uploadView) {
	t, ok := s.views.pages["upload"]
	if !ok {
		var err error
		t, err = template.New("layout.html").Funcs(templateFuncs()).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", "templates/upload.html")
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.execute(w, r, status, t, "layout.html", v)
}
