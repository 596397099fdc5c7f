package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/intake"
	"github.com/rastro/rastro/vault"
)

// uploadFixture is the fixture with a server whose intake is a real
// intake.Service over an in-memory vault, spooling into its own directory.
type uploadFixture struct {
	*fixture
	backend *vault.MemBackend
	spool   string
}

// newUploadFixture builds an uploadFixture with an upload limit of max
// bytes (0: the default).
func newUploadFixture(t *testing.T, max int64) *uploadFixture {
	t.Helper()
	f := newFixture(t)
	b := vault.NewMemBackend()
	kr, err := vault.NewKeyring(b, bytes.Repeat([]byte{9}, vault.KeySize))
	must(t, err)
	v := vault.New(b, kr)
	uf := &uploadFixture{fixture: f, backend: b, spool: t.TempDir()}
	in := WithUploadLimits(&intake.Service{Vault: v, Store: f.db}, UploadLimits{MaxBytes: max, TempDir: uf.spool})
	f.srv = New(Config{Version: "test", Now: func() time.Time { return f.now }, Blobs: v, Intake: in},
		f.db, slog.New(slog.NewJSONHandler(f.logBuf, nil)))
	f.h = f.srv.Handler()
	return uf
}

// upFile is one file of a test upload.
type upFile struct {
	name    string
	content []byte
}

// multipartBody encodes fields and files as multipart/form-data, fields
// first.
func multipartBody(t *testing.T, fields url.Values, files ...upFile) (string, []byte) {
	t.Helper()
	return multipartOrdered(t, false, fields, files...)
}

// multipartOrdered encodes fields and files, the files first when
// filesFirst (as a browser sends the upload form).
func multipartOrdered(t *testing.T, filesFirst bool, fields url.Values, files ...upFile) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	writeFields := func() {
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			must(t, mw.WriteField(k, fields.Get(k)))
		}
	}
	if !filesFirst {
		writeFields()
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		must(t, err)
		_, err = w.Write(f.content)
		must(t, err)
	}
	if filesFirst {
		writeFields()
	}
	must(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// uiUpload posts a multipart body to the UI route as u, with the CSRF token
// in the header (as upload.js sends it).
func (f *uploadFixture) uiUpload(u *rastro.User, ct string, b []byte) *http.Response {
	f.t.Helper()
	cookie, csrf := f.session(u)
	req := httptest.NewRequest("POST", "/cases/"+itoa(f.caseID)+"/evidence", bytes.NewReader(b))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-CSRF-Token", csrf)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	return f.do(req)
}

// apiUpload posts body to the API route with a write token of u; query
// holds the raw upload's name and metadata.
func (f *uploadFixture) apiUpload(u *rastro.User, ct string, b io.Reader, query url.Values) *http.Response {
	f.t.Helper()
	secret, _ := f.apiToken(u, "write")
	path := "/api/v1/cases/" + itoa(f.caseID) + "/evidence"
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	req := httptest.NewRequest("POST", path, b)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+secret)
	return f.do(req)
}

// evidenceByName returns the case's items by original name.
func (f *uploadFixture) evidenceByName() map[string]*rastro.Evidence {
	f.t.Helper()
	all, err := f.db.EvidenceList(context.Background(), rastro.SystemActor("test"), f.caseID)
	must(f.t, err)
	m := map[string]*rastro.Evidence{}
	for _, e := range all {
		m[e.OriginalName] = e
	}
	return m
}

// blobCount is the number of objects in the vault backend (keys and blobs).
func (f *uploadFixture) blobCount() int {
	f.t.Helper()
	names, err := f.backend.List(context.Background(), "")
	must(f.t, err)
	return len(names)
}

// assertSpoolEmpty fails when an upload left files behind.
func (f *uploadFixture) assertSpoolEmpty(t *testing.T) {
	t.Helper()
	left, err := os.ReadDir(f.spool)
	must(t, err)
	if len(left) != 0 {
		t.Errorf("spool directory holds %d entries after the request, want none", len(left))
	}
}

// sha returns the hex SHA-256 of b.
func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// decodeUpload reads an upload result.
func decodeUpload(t *testing.T, res *http.Response) uploadResult {
	t.Helper()
	var r uploadResult
	must(t, json.NewDecoder(res.Body).Decode(&r))
	return r
}

var (
	chatFile  = upFile{"chat-export.json", []byte(`{"messages":[{"from":"Persona de interés A (ficticia)","text":"nos vemos"}]}`)}
	notesFile = upFile{"notas del caso.txt", []byte("Notas ficticias de la incautación 2026-117.\n")}
)

// acquisition is the metadata every test upload carries.
func acquisition() url.Values {
	return url.Values{"source": {"Phone of person of interest A (fictional), seizure 2026-117"}, "exhibit_no": {"EX-117-1"},
		"acquired_at": {"2026-03-01T14:30"}, "tool": {"Extractor Ficticio 2.1"}, "source_tz": {"America/Guatemala"}, "notes": {"fictional"}}
}

func TestUploadUIStoresFilesWithMetadata(t *testing.T) {
	f := newUploadFixture(t, 0)
	u := f.users["investigator-m"]
	ct, b := multipartOrdered(t, true, acquisition(), chatFile, notesFile)
	res := f.uiUpload(u, ct, b)
	page := body(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("upload: %d: %s", res.StatusCode, page)
	}
	if !strings.Contains(page, "2 stored, 0 already present, 0 failed.") {
		t.Errorf("result page lacks the summary:\n%s", page)
	}
	got := f.evidenceByName()
	want := time.Date(2026, 3, 1, 14, 30, 0, 0, time.UTC)
	for _, file := range []upFile{chatFile, notesFile} {
		e := got[file.name]
		if e == nil {
			t.Fatalf("no evidence named %q; have %v", file.name, keys(got))
		}
		if e.SHA256 != sha(file.content) || e.Size != int64(len(file.content)) {
			t.Errorf("%s: sha %s size %d, want %s %d", file.name, e.SHA256, e.Size, sha(file.content), len(file.content))
		}
		if e.Source != acquisition().Get("source") || e.ExhibitNo != "EX-117-1" || e.Tool != "Extractor Ficticio 2.1" ||
			e.SourceTZ != "America/Guatemala" || e.Notes != "fictional" || !e.AcquiredAt.Equal(want) || e.AcquiredBy != u.ID {
			t.Errorf("%s: metadata %+v", file.name, e)
		}
		if !strings.Contains(page, e.SHA256) {
			t.Errorf("result page does not show %s's SHA-256", file.name)
		}
	}
	f.assertSpoolEmpty(t)

	// The same files again: nothing new, both reported as already present.
	ct, b = multipartBody(t, acquisition(), chatFile, notesFile)
	page = body(t, f.uiUpload(u, ct, b))
	if !strings.Contains(page, "0 stored, 2 already present, 0 failed.") {
		t.Errorf("re-upload page lacks the summary:\n%s", page)
	}
	if n := len(f.evidenceByName()); n != len(got) {
		t.Errorf("re-upload: %d items, want %d", n, len(got))
	}
	events, err := f.db.AuditEvents(context.Background(), rastro.ActorOf(f.users["auditor-m"]), rastro.AuditFilter{Action: "evidence_upload"})
	must(t, err)
	if len(events) != 2 || events[0].UserID != u.ID || events[0].CaseID != f.caseID {
		t.Errorf("audit events %+v, want two uploads by user %d", events, u.ID)
	}
}

// keys lists a map's keys, for messages.
func keys(m map[string]*rastro.Evidence) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestUploadUIWithoutScript(t *testing.T) {
	// A plain form post carries the CSRF token as a form field.
	f := newUploadFixture(t, 0)
	cookie, csrf := f.session(f.users["analyst-m"])
	fields := acquisition()
	fields.Set("csrf_token", csrf)
	ct, b := multipartBody(t, fields, notesFile)
	req := httptest.NewRequest("POST", "/cases/"+itoa(f.caseID)+"/evidence", bytes.NewReader(b))
	req.Header.Set("Content-Type", ct)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	res := f.do(req)
	if page := body(t, res); res.StatusCode != 200 || !strings.Contains(page, "1 stored") {
		t.Fatalf("plain form post: %d:\n%s", res.StatusCode, page)
	}
	if f.evidenceByName()[notesFile.name] == nil {
		t.Errorf("no evidence stored")
	}
	f.assertSpoolEmpty(t)
}

func TestUploadAPI(t *testing.T) {
	f := newUploadFixture(t, 0)
	u := f.users["caseworker-m"]
	ct, b := multipartBody(t, acquisition(), chatFile, notesFile)
	res := f.apiUpload(u, ct, bytes.NewReader(b), nil)
	if res.StatusCode != 201 {
		t.Fatalf("multipart: %d: %s", res.StatusCode, body(t, res))
	}
	r := decodeUpload(t, res)
	var got []string
	for _, fr := range r.Files {
		got = append(got, fr.Name+" "+fr.Status+" "+fr.Evidence[0].SHA256)
	}
	want := []string{chatFile.name + " stored " + sha(chatFile.content), notesFile.name + " stored " + sha(notesFile.content)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}

	// A raw body named by ?name=, metadata in the query.
	photo := upFile{"IMG_0001.jpg", []byte("\xff\xd8\xff\xe0 not really a photo (fictional bytes)")}
	q := acquisition()
	q.Set("name", photo.name)
	res = f.apiUpload(u, "application/octet-stream", bytes.NewReader(photo.content), q)
	if res.StatusCode != 201 {
		t.Fatalf("raw: %d: %s", res.StatusCode, body(t, res))
	}
	if e := f.evidenceByName()[photo.name]; e == nil || e.SHA256 != sha(photo.content) || e.ExhibitNo != "EX-117-1" {
		t.Errorf("raw upload stored %+v", e)
	}

	// Named by Content-Disposition; already present: 200, status present.
	req := httptest.NewRequest("POST", "/api/v1/cases/"+itoa(f.caseID)+"/evidence", bytes.NewReader(photo.content))
	secret, _ := f.apiToken(u, "write")
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Disposition", `attachment; filename="copy.jpg"`)
	res = f.do(req)
	if res.StatusCode != 200 {
		t.Fatalf("re-upload: %d: %s", res.StatusCode, body(t, res))
	}
	if r := decodeUpload(t, res); len(r.Files) != 1 || r.Files[0].Status != filePresent || r.Files[0].Name != "copy.jpg" {
		t.Errorf("re-upload result %+v", r.Files)
	}
	f.assertSpoolEmpty(t)
}

func TestUploadUnpacksZip(t *testing.T) {
	f := newUploadFixture(t, 0)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, m := range []upFile{chatFile, notesFile} {
		w, err := zw.Create("export/" + m.name)
		must(t, err)
		_, err = w.Write(m.content)
		must(t, err)
	}
	must(t, zw.Close())
	ct, b := multipartBody(t, acquisition(), upFile{"phone-export.zip", zbuf.Bytes()})
	res := f.apiUpload(f.users["analyst-m"], ct, bytes.NewReader(b), nil)
	if res.StatusCode != 201 {
		t.Fatalf("zip: %d: %s", res.StatusCode, body(t, res))
	}
	r := decodeUpload(t, res)
	if len(r.Files) != 1 || len(r.Files[0].Evidence) != 3 {
		t.Fatalf("zip result %+v, want the container and two members", r.Files)
	}
	zipItem := r.Files[0].Evidence[0]
	children := 0
	for _, e := range f.evidenceByName() {
		if e.ParentID == zipItem.ID {
			children++
			if e.SHA256 != sha(chatFile.content) && e.SHA256 != sha(notesFile.content) {
				t.Errorf("child %s has an unexpected hash", e.OriginalName)
			}
		}
	}
	if children != 2 {
		t.Errorf("%d children of the zip, want 2", children)
	}
}

func TestUploadTruncatedLeavesNothing(t *testing.T) {
	for _, route := range []string{"ui", "api"} {
		t.Run(route, func(t *testing.T) {
			f := newUploadFixture(t, 0)
			before, blobs := len(f.evidenceByName()), f.blobCount()
			big := upFile{"large-export.bin", bytes.Repeat([]byte("fictional data "), 20000)}
			ct, b := multipartBody(t, acquisition(), notesFile, big)
			cut := b[:len(b)-len(big.content)/2]
			var res *http.Response
			if route == "ui" {
				res = f.uiUpload(f.users["investigator-m"], ct, cut)
			} else {
				res = f.apiUpload(f.users["investigator-m"], ct, bytes.NewReader(cut), nil)
			}
			if res.StatusCode != 400 {
				t.Errorf("truncated body: %d, want 400: %s", res.StatusCode, body(t, res))
			}
			if n := len(f.evidenceByName()); n != before {
				t.Errorf("truncated upload: %d items, want %d", n, before)
			}
			if n := f.blobCount(); n != blobs {
				t.Errorf("truncated upload: %d vault objects, want %d", n, blobs)
			}
			if f.backend.OpenTemps() != 0 {
				t.Errorf("vault temps left open")
			}
			f.assertSpoolEmpty(t)
		})
	}
}

func TestUploadProblems(t *testing.T) {
	f := newUploadFixture(t, 4<<10)
	inv := f.users["investigator-m"]
	withTZ := acquisition()
	withTZ.Set("source_tz", "Mars/Olympus_Mons")
	badTime := acquisition()
	badTime.Set("acquired_at", "yesterday")
	tests := []struct {
		name   string
		user   *rastro.User
		body   func() (string, []byte)
		query  url.Values
		status int
		detail string
	}{
		{"bad time zone", inv, func() (string, []byte) { return multipartBody(t, withTZ, notesFile) }, nil, 400, "source_tz"},
		{"bad time zone after the files", inv, func() (string, []byte) { return multipartOrdered(t, true, withTZ, notesFile) }, nil, 400, "source_tz"},
		{"bad time zone raw", inv, func() (string, []byte) { return "text/plain", notesFile.content },
			url.Values{"name": {"x.txt"}, "source_tz": {"Nowhere/Land"}}, 400, "source_tz"},
		{"bad acquired_at", inv, func() (string, []byte) { return multipartBody(t, badTime, notesFile) }, nil, 400, "acquired_at"},
		{"empty file name", inv, func() (string, []byte) { return multipartBody(t, acquisition(), upFile{"", []byte("x")}) }, nil, 400, "file name"},
		{"raw without name", inv, func() (string, []byte) { return "text/plain", notesFile.content }, nil, 400, "name"},
		{"raw name is a folder", inv, func() (string, []byte) { return "text/plain", notesFile.content }, url.Values{"name": {"../"}}, 400, "name"},
		{"no file", inv, func() (string, []byte) { return multipartBody(t, acquisition()) }, nil, 400, "at least one file"},
		{"too large", inv, func() (string, []byte) {
			return multipartBody(t, acquisition(), upFile{"big.bin", bytes.Repeat([]byte{1}, 8<<10)})
		}, nil, 413, "limit"},
		{"too large raw", inv, func() (string, []byte) { return "application/octet-stream", bytes.Repeat([]byte{1}, 8<<10) },
			url.Values{"name": {"big.bin"}}, 413, "limit"},
		{"non-member", f.users["investigator-n"], func() (string, []byte) { return multipartBody(t, acquisition(), notesFile) }, nil, 404, "not a member"},
		{"auditor", f.users["auditor-m"], func() (string, []byte) { return multipartBody(t, acquisition(), notesFile) }, nil, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.evidenceByName())
			ct, b := tt.body()
			res := f.apiUpload(tt.user, ct, bytes.NewReader(b), tt.query)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, body(t, res))
			}
			if p := decodeProblem(t, res); !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q does not mention %q", p.Detail, tt.detail)
			}
			if n := len(f.evidenceByName()); n != before {
				t.Errorf("%d items after a refused upload, want %d", n, before)
			}
			f.assertSpoolEmpty(t)
		})
	}
}

func TestUploadUIBadTimeZoneShowsForm(t *testing.T) {
	f := newUploadFixture(t, 0)
	q := acquisition()
	q.Set("source_tz", "Mars/Olympus_Mons")
	ct, b := multipartBody(t, q, notesFile)
	res := f.uiUpload(f.users["investigator-m"], ct, b)
	page := body(t, res)
	if res.StatusCode != 400 || !strings.Contains(page, "source_tz") || !strings.Contains(page, `id="upload-form"`) {
		t.Errorf("bad zone in the form: %d:\n%s", res.StatusCode, page)
	}
}

func TestUploadPages(t *testing.T) {
	f := newUploadFixture(t, 0)
	tests := []struct {
		name, path, lang string
		want             []string
	}{
		{"form", "/cases/" + itoa(f.caseID) + "/evidence/new", "en",
			[]string{`enctype="multipart/form-data"`, `name="file" multiple`, `name="source_tz"`, `src="/static/upload.js"`, "<progress", "Add evidence"}},
		{"form in Spanish", "/cases/" + itoa(f.caseID) + "/evidence/new", "es",
			[]string{"Añadir evidencia", "Archivos", "Subir y guardar", "Zona horaria IANA"}},
		{"list links to the form", "/cases/" + itoa(f.caseID) + "/evidence", "en",
			[]string{`href="evidence/new"`}}, // relative to /cases/{id}/evidence
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cookie, _ := f.session(f.users["investigator-m"])
			res := f.get(tt.path, cookie, "Accept-Language", tt.lang)
			page := body(t, res)
			if res.StatusCode != 200 {
				t.Fatalf("%d: %s", res.StatusCode, page)
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(page, "<script>") {
				t.Errorf("page has an inline script")
			}
		})
	}
	// A reader who may not write sees no link: the auditor is no member,
	// so check that the form is refused for a non-member instead.
	cookie, _ := f.session(f.users["investigator-n"])
	if res := f.get("/cases/"+itoa(f.caseID)+"/evidence/new", cookie); res.StatusCode != 404 {
		t.Errorf("non-member form: %d, want 404", res.StatusCode)
	}
}

func TestUploadNotConfigured(t *testing.T) {
	f := newFixture(t) // Config.Intake is nil
	cookie, _ := f.session(f.users["investigator-m"])
	page := body(t, f.get("/cases/"+itoa(f.caseID)+"/evidence/new", cookie))
	if !strings.Contains(page, "not configured") || strings.Contains(page, `id="upload-form"`) {
		t.Errorf("form without intake:\n%s", page)
	}
	uf := &uploadFixture{fixture: f}
	ct, b := multipartBody(t, acquisition(), notesFile)
	res := uf.apiUpload(f.users["investigator-m"], ct, bytes.NewReader(b), nil)
	if res.StatusCode != 503 {
		t.Errorf("API without intake: %d, want 503", res.StatusCode)
	}
}

func TestSanitizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"chat.txt", "chat.txt"},
		{`C:\Users\agent\Desktop\export.zip`, "export.zip"},
		{"../../etc/passwd", "passwd"},
		{"a\x00b\nc.txt", "abc.txt"},
		{"  notas del caso.txt ", "notas del caso.txt"},
		{"..", ""},
		{"dir/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := sanitizeName(tt.in)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("sanitizeName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// failingIngester fails every file named fail and passes the rest on.
type failingIngester struct {
	Ingester
	fail string
}

func (fi failingIngester) Ingest(ctx context.Context, actor rastro.Actor, caseID int64, path string, meta intake.Acquisition, progress func(done, total int64)) ([]*rastro.Evidence, []error) {
	if filepath.Base(path) == fi.fail {
		return nil, []error{rastro.Errorf(rastro.EINVALID, "intake: %s: the vault refused it (simulated)", fi.fail)}
	}
	return fi.Ingester.Ingest(ctx, actor, caseID, path, meta, progress)
}

func TestUploadReportsFailedFiles(t *testing.T) {
	f := newUploadFixture(t, 0)
	lim := f.srv.uploadLimits()
	f.srv = New(Config{Version: "test", Now: f.srv.cfg.Now, Intake: WithUploadLimits(failingIngester{Ingester: f.srv.cfg.Intake, fail: "broken.bin"}, lim)}, f.db, nil)
	f.h = f.srv.Handler()
	files := []upFile{notesFile, {"broken.bin", []byte("fictional")}}

	ct, b := multipartBody(t, acquisition(), files...)
	res := f.apiUpload(f.users["investigator-m"], ct, bytes.NewReader(b), nil)
	if res.StatusCode != http.StatusMultiStatus {
		t.Fatalf("one file failing: %d, want 207: %s", res.StatusCode, body(t, res))
	}
	r := decodeUpload(t, res)
	if len(r.Files) != 2 || r.Files[0].Status != fileStored || r.Files[1].Status != fileFailed ||
		!strings.Contains(r.Files[1].Error, "vault refused it") || len(r.Files[1].Evidence) != 0 {
		t.Errorf("results %+v", r.Files)
	}

	ct, b = multipartBody(t, acquisition(), files...)
	page := body(t, f.uiUpload(f.users["investigator-m"], ct, b))
	for _, want := range []string{"0 stored, 1 already present, 1 failed.", "Already in the case", "Failed", "vault refused it (simulated)"} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	f.assertSpoolEmpty(t)
}

func TestStaleSpoolsRemoved(t *testing.T) {
	dir := t.TempDir()
	old, fresh, other := filepath.Join(dir, spoolPrefix+"old"), filepath.Join(dir, spoolPrefix+"fresh"), filepath.Join(dir, "unrelated")
	for _, d := range []string{old, fresh, other} {
		must(t, os.MkdirAll(filepath.Join(d, "0"), 0o700))
	}
	long := time.Now().Add(-3 * staleSpool)
	must(t, os.Chtimes(old, long, long))
	must(t, os.Chtimes(other, long, long))
	u, err := newUpload(UploadLimits{TempDir: dir})
	must(t, err)
	defer u.remove()
	for d, want := range map[string]bool{old: false, fresh: true, other: true} {
		if _, err := os.Stat(d); (err == nil) != want {
			t.Errorf("%s exists=%v, want %v", filepath.Base(d), err == nil, want)
		}
	}
}
