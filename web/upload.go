package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake"
)

// Ingester stores the file at path (an archive with its members) as
// evidence of a case; *intake.Service satisfies it.
type Ingester interface {
	Ingest(ctx context.Context, actor rastro.Actor, caseID int64, path string, meta intake.Acquisition, progress func(done, total int64)) ([]*rastro.Evidence, []error)
}

// DefaultMaxUpload is the largest upload request body accepted when no
// limit is configured: 20 GiB.
const DefaultMaxUpload int64 = 20 << 30

// UploadLimits bound the web and API uploads.
type UploadLimits struct {
	// MaxBytes is the largest request body, all files together;
	// DefaultMaxUpload when zero. Larger uploads get 413.
	MaxBytes int64
	// TempDir is where uploads are spooled before intake; the system's
	// temporary directory when "". It needs room for the largest upload.
	TempDir string
}

// limitedIngester is an Ingester with upload limits attached.
type limitedIngester struct {
	Ingester
	lim UploadLimits
}

// WithUploadLimits returns in with limits for Config.Intake; nil stays nil.
func WithUploadLimits(in Ingester, lim UploadLimits) Ingester {
	if in == nil {
		return nil
	}
	return limitedIngester{Ingester: in, lim: lim}
}

// uploadLimits returns the configured limits with defaults filled in.
func (s *Server) uploadLimits() UploadLimits {
	var lim UploadLimits
	if l, ok := s.cfg.Intake.(limitedIngester); ok {
		lim = l.lim
	}
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxUpload
	}
	return lim
}

// Upload field names, shared by the form, the multipart API and the raw
// API's query parameters.
const (
	fieldFile       = "file"
	fieldSource     = "source"
	fieldExhibit    = "exhibit_no"
	fieldAcquiredAt = "acquired_at"
	fieldTool       = "tool"
	fieldSourceTZ   = "source_tz"
	fieldNotes      = "notes"
	fieldName       = "name"
)

// Upload bounds besides the body size.
const (
	maxUploadFiles = 1000     // file parts in one request
	maxFields      = 100      // other parts in one request
	maxFieldBytes  = 16 << 10 // one metadata value
	maxNameBytes   = 255      // one file name
)

// spooled is one uploaded file written to the temporary directory.
type spooled struct {
	Name string // sanitised base name: the evidence's original name
	Path string
	Size int64
}

// upload is a request's files, spooled to disk, and its metadata.
type upload struct {
	dir     string
	files   []spooled
	fields  url.Values
	nfields int // field parts read
}

// remove deletes the spooled files.
func (u *upload) remove() {
	if u != nil && u.dir != "" {
		_ = os.RemoveAll(u.dir)
	}
}

// spoolPrefix starts the name of every upload's temporary directory.
const spoolPrefix = "rastro-upload-"

// staleSpool is the age after which a temporary upload directory is taken
// to be left over by a crash (the process died mid-request) and removed.
const staleSpool = 48 * time.Hour

// newUpload creates the temporary directory of one request, first removing
// what crashed requests left behind.
func newUpload(lim UploadLimits) (*upload, error) {
	if lim.TempDir != "" {
		if err := os.MkdirAll(lim.TempDir, 0o700); err != nil {
			return nil, fmt.Errorf("upload: temp dir: %w", err)
		}
	}
	removeStaleSpools(lim.TempDir, time.Now().Add(-staleSpool))
	dir, err := os.MkdirTemp(lim.TempDir, spoolPrefix)
	if err != nil {
		return nil, fmt.Errorf("upload: temp dir: %w", err)
	}
	return &upload{dir: dir, fields: url.Values{}}, nil
}

// removeStaleSpools deletes upload directories under dir (the system's
// temporary directory when "") last modified before cutoff.
func removeStaleSpools(dir string, cutoff time.Time) {
	if dir == "" {
		dir = os.TempDir()
	}
	old, _ := filepath.Glob(filepath.Join(dir, spoolPrefix+"*"))
	for _, p := range old {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() && fi.ModTime().Before(cutoff) {
			_ = os.RemoveAll(p)
		}
	}
}

// spool writes r to a new file named name (sanitised) in its own folder,
// so that two uploads of the same name do not collide.
func (u *upload) spool(name string, r io.Reader) error {
	clean, err := sanitizeName(name)
	if err != nil {
		return err
	}
	if len(u.files) >= maxUploadFiles {
		return rastro.Errorf(rastro.EINVALID, "Field %s: at most %d files per upload.", fieldFile, maxUploadFiles)
	}
	sub := filepath.Join(u.dir, strconv.Itoa(len(u.files)))
	if err := os.Mkdir(sub, 0o700); err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	p := filepath.Join(sub, clean)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return uploadReadError(err)
	}
	u.files = append(u.files, spooled{Name: clean, Path: p, Size: n})
	return nil
}

// uploadReadError names what went wrong while reading the body: too large,
// cut off, or a failure of the server's disk.
func uploadReadError(err error) error {
	if e := errTooLarge(err); e != nil {
		return e
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("upload: %w", err)
	}
	return rastro.Errorf(rastro.EINVALID, "The upload was cut off before it ended; nothing was stored. Send it again.")
}

// sanitizeName reduces a client's file name to a safe base name: no folder
// (either slash), no control characters, not empty, "." or "..".
func sanitizeName(name string) (string, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	switch {
	case name == "" || name == "." || name == "..":
		return "", rastro.Errorf(rastro.EINVALID, "Field %s: the file name is empty; give each file a name.", fieldFile)
	case len(name) > maxNameBytes:
		return "", rastro.Errorf(rastro.EINVALID, "Field %s: the file name %q is longer than %d bytes.", fieldFile, truncate(name, 40), maxNameBytes)
	}
	return name, nil
}

// limitBody caps the request body at the upload limit, answering at once
// when the declared length is already over it.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) error {
	lim := s.uploadLimits()
	if r.ContentLength > lim.MaxBytes {
		return &rastro.Error{Code: eTOOLARGE, Message: "The upload is larger than the limit of " + humanSize(lim.MaxBytes) + "."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes)
	return nil
}

// readMultipart spools every file part of a multipart body and collects the
// other parts as metadata fields. A body the CSRF check already parsed
// (small forms posted without script) is taken from r.MultipartForm.
func (s *Server) readMultipart(w http.ResponseWriter, r *http.Request) (*upload, error) {
	if r.MultipartForm != nil {
		return s.readParsedForm(r.MultipartForm)
	}
	if err := s.limitBody(w, r); err != nil {
		return nil, err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "Send the files as multipart/form-data.")
	}
	u, err := newUpload(s.uploadLimits())
	if err != nil {
		return nil, err
	}
	if err := u.readParts(mr); err != nil {
		u.remove()
		return nil, err
	}
	return u, nil
}

// readParts reads every part of mr into u.
func (u *upload) readParts(mr *multipart.Reader) error {
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return uploadReadError(err)
		}
		err = u.readPart(p)
		p.Close()
		if err != nil {
			return err
		}
	}
}

// readPart spools a file part or records a field part. Metadata sent
// before the first file is checked at once, so that a client that sends
// its fields first learns about a mistake before sending gigabytes.
func (u *upload) readPart(p *multipart.Part) error {
	if p.FormName() == fieldFile {
		if len(u.files) == 0 {
			if _, err := parseAcquisition(u.fields, time.Now()); err != nil {
				return err
			}
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if params["filename"] == "" && p.FileName() == "" {
			// A file input left empty sends a part with no name and no bytes.
			n, err := io.Copy(io.Discard, io.LimitReader(p, 1))
			if err != nil {
				return uploadReadError(err)
			}
			if n == 0 {
				return nil
			}
		}
		return u.spool(params["filename"], p)
	}
	if u.nfields++; u.nfields > maxFields {
		return rastro.Errorf(rastro.EINVALID, "The upload has more than %d form fields.", maxFields)
	}
	b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
	if err != nil {
		return uploadReadError(err)
	}
	if len(b) > maxFieldBytes {
		return rastro.Errorf(rastro.EINVALID, "Field %s is longer than %d bytes.", truncate(p.FormName(), 40), maxFieldBytes)
	}
	u.fields.Add(p.FormName(), string(b))
	return nil
}

// readParsedForm spools the files of an already parsed multipart form.
func (s *Server) readParsedForm(form *multipart.Form) (*upload, error) {
	u, err := newUpload(s.uploadLimits())
	if err != nil {
		return nil, err
	}
	for k, vs := range form.Value {
		u.fields[k] = vs
	}
	for _, fh := range form.File[fieldFile] {
		if err := u.spoolHeader(fh); err != nil {
			u.remove()
			return nil, err
		}
	}
	return u, nil
}

// spoolHeader spools one file of a parsed form.
func (u *upload) spoolHeader(fh *multipart.FileHeader) error {
	if fh.Filename == "" && fh.Size == 0 {
		return nil
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	defer f.Close()
	return u.spool(fh.Filename, f)
}

// readRaw spools a raw request body named by ?name= or Content-Disposition;
// the metadata comes from the query.
func (s *Server) readRaw(w http.ResponseWriter, r *http.Request) (*upload, error) {
	name := r.URL.Query().Get(fieldName)
	if name == "" {
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
		name = params["filename"]
	}
	if _, err := sanitizeName(name); err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "Field %s: the file name is empty or invalid; send ?name= or a Content-Disposition header with a filename.", fieldName)
	}
	if _, err := parseAcquisition(r.URL.Query(), time.Now()); err != nil {
		return nil, err
	}
	if err := s.intakeReady(); err != nil {
		return nil, err
	}
	if err := s.limitBody(w, r); err != nil {
		return nil, err
	}
	u, err := newUpload(s.uploadLimits())
	if err != nil {
		return nil, err
	}
	u.fields = r.URL.Query()
	if err := u.spool(name, r.Body); err != nil {
		u.remove()
		return nil, err
	}
	return u, nil
}

// intakeReady says whether this server can take evidence at all.
func (s *Server) intakeReady() error {
	if s.cfg.Intake == nil {
		return rastro.Errorf(rastro.EUNAVAILABLE, "Evidence intake is not configured on this server.")
	}
	return nil
}

// parseAcquisition reads and checks the acquisition metadata fields.
func parseAcquisition(v url.Values, now time.Time) (intake.Acquisition, error) {
	a := intake.Acquisition{
		Source:    strings.TrimSpace(v.Get(fieldSource)),
		ExhibitNo: strings.TrimSpace(v.Get(fieldExhibit)),
		Tool:      strings.TrimSpace(v.Get(fieldTool)),
		SourceTZ:  strings.TrimSpace(v.Get(fieldSourceTZ)),
		Notes:     strings.TrimSpace(v.Get(fieldNotes)),
	}
	if a.SourceTZ != "" {
		if _, err := time.LoadLocation(a.SourceTZ); err != nil || a.SourceTZ == "Local" {
			return a, rastro.Errorf(rastro.EINVALID, "Field %s: %q is not an IANA time zone name such as America/Mexico_City.", fieldSourceTZ, truncate(a.SourceTZ, 60))
		}
	}
	at, err := parseAcquiredAt(strings.TrimSpace(v.Get(fieldAcquiredAt)))
	if err != nil {
		return a, err
	}
	if at.After(now.Add(24 * time.Hour)) {
		return a, rastro.Errorf(rastro.EINVALID, "Field %s: %s is in the future.", fieldAcquiredAt, at.Format(time.RFC3339))
	}
	a.AcquiredAt = at
	return a, nil
}

// acquiredLayouts are the accepted forms of acquired_at: RFC 3339, or a
// date and time without offset (what a datetime-local input sends), read as
// UTC.
var acquiredLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"}

// parseAcquiredAt parses acquired_at; "" is the zero time (intake: now).
func parseAcquiredAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range acquiredLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, rastro.Errorf(rastro.EINVALID, "Field %s: %q is not a time such as 2026-03-01T14:30:00Z.", fieldAcquiredAt, truncate(s, 40))
}

// Per-file outcomes.
const (
	fileStored  = "stored"  // new evidence
	filePresent = "present" // the same content was already evidence of the case
	fileFailed  = "failed"  // nothing stored; Error says why
)

// fileResult is what became of one uploaded file.
type fileResult struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Problems are what went wrong with parts of the file (archive
	// members, say) while the rest was stored.
	Problems []string `json:"problems,omitempty"`
	// Evidence is the file's item first, then the items unpacked from it.
	Evidence []*rastro.Evidence `json:"evidence"`
}

// uploadResult is the outcome of one upload request.
type uploadResult struct {
	Files []fileResult `json:"files"`
}

// counts returns how many files were stored, already present and failed.
func (u *uploadResult) counts() (stored, present, failed int) {
	for _, f := range u.Files {
		switch f.Status {
		case fileStored:
			stored++
		case filePresent:
			present++
		default:
			failed++
		}
	}
	return stored, present, failed
}

// ingestUpload checks the metadata and ingests every spooled file, one
// Ingest call each. Once the body has arrived whole, ingest goes on even if
// the client goes away: the spooled files are deleted afterwards, so an
// interrupted ingest could not be resumed.
func (s *Server) ingestUpload(r *http.Request, caseID int64, u *upload) (*uploadResult, error) {
	meta, err := parseAcquisition(u.fields, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	if len(u.files) == 0 {
		return nil, rastro.Errorf(rastro.EINVALID, "Field %s: choose at least one file.", fieldFile)
	}
	if err := s.intakeReady(); err != nil {
		return nil, err
	}
	ctx, act := context.WithoutCancel(r.Context()), actor(r)
	before, err := s.store.EvidenceList(ctx, act, caseID)
	if err != nil {
		return nil, err
	}
	known := make(map[int64]bool, len(before))
	for _, e := range before {
		known[e.ID] = true
	}
	res := &uploadResult{Files: []fileResult{}}
	for _, f := range u.files {
		items, errs := s.cfg.Intake.Ingest(ctx, act, caseID, f.Path, meta, nil)
		res.Files = append(res.Files, s.fileOutcome(r, f, items, errs, known))
	}
	s.auditUpload(ctx, r, caseID, res)
	return res, nil
}

// auditUpload records the upload in the audit log: counts and sizes only,
// since file names may name people. The evidence is stored by then, so a
// failure is logged rather than shown as a failed upload.
func (s *Server) auditUpload(ctx context.Context, r *http.Request, caseID int64, res *uploadResult) {
	var size int64
	for _, f := range res.Files {
		size += f.Size
	}
	stored, present, failed := res.counts()
	a := actor(r)
	ev := &rastro.AuditEvent{Time: s.cfg.Now(), UserID: a.UserID, Username: a.Username, Action: "evidence_upload",
		CaseID: caseID, Object: fmt.Sprintf("case:%d", caseID), Purpose: a.Purpose, Remote: remoteAddr(r),
		Details: fmt.Sprintf("%d files, %s: %d stored, %d already present, %d failed", len(res.Files), humanSize(size), stored, present, failed)}
	if err := s.store.Audit(ctx, a, ev); err != nil {
		s.log.ErrorContext(ctx, "audit upload", "request_id", reqInfo(r).id, "err", err)
	}
}

// fileOutcome summarises one Ingest call.
func (s *Server) fileOutcome(r *http.Request, f spooled, items []*rastro.Evidence, errs []error, known map[int64]bool) fileResult {
	fr := fileResult{Name: f.Name, Size: f.Size, Evidence: items}
	if fr.Evidence == nil {
		fr.Evidence = []*rastro.Evidence{}
	}
	for _, err := range errs {
		if rastro.ErrorCode(err) == rastro.EINTERNAL {
			s.log.ErrorContext(r.Context(), "upload ingest", "request_id", reqInfo(r).id, "err", err)
		}
		fr.Problems = append(fr.Problems, rastro.ErrorMessage(err))
	}
	switch {
	case len(items) == 0:
		fr.Status, fr.Error, fr.Problems = fileFailed, "Not stored.", fr.Problems[min(1, len(fr.Problems)):]
		if len(errs) > 0 {
			fr.Error = rastro.ErrorMessage(errs[0])
		}
	case known[items[0].ID]:
		fr.Status = filePresent
	default:
		fr.Status = fileStored
	}
	return fr
}

// apiUploadEvidence takes evidence through the API: a multipart body (the
// form's fields) or a raw body named by ?name= or Content-Disposition, with
// the metadata in the query. 201 when something new was stored, 200 when
// every file was already evidence, 207 when some file failed.
func (s *Server) apiUploadEvidence(w http.ResponseWriter, r *http.Request) {
	caseID, _ := pathID(r, "caseID")
	res, err := s.receive(w, r, caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	stored, _, failed := res.counts()
	status := http.StatusOK
	switch {
	case failed > 0:
		status = http.StatusMultiStatus
	case stored > 0:
		status = http.StatusCreated
	}
	writeJSON(w, status, res)
}

// receive reads the upload in whichever form it came and ingests it; the
// spooled files are deleted whatever happens.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, caseID int64) (*uploadResult, error) {
	var u *upload
	var err error
	if isMultipart(r) {
		if err = s.intakeReady(); err == nil {
			u, err = s.readMultipart(w, r)
		}
	} else {
		u, err = s.readRaw(w, r)
	}
	if err != nil {
		return nil, err
	}
	defer u.remove()
	return s.ingestUpload(r, caseID, u)
}

// isMultipart reports whether the body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
