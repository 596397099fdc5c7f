package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
)

// evidencePath is the item page of evidence id.
func (f *fixture) evidencePath(id int64) string {
	return "/cases/" + itoa(f.caseID) + "/evidence/" + itoa(id)
}

// appendCustody appends an event for item as the system (as intake does).
func (f *fixture) appendCustody(item int64, action rastro.CustodyAction) *rastro.CustodyEvent {
	f.t.Helper()
	ev, err := f.db.AppendCustody(context.Background(), rastro.SystemActor("intake"),
		&rastro.CustodyEvent{CaseID: f.caseID, EvidenceID: item, Action: action, Tool: "rastro ingest", ToolVersion: "test"})
	must(f.t, err)
	return ev
}

// checkpoint signs the log's current head.
func (f *fixture) checkpoint() {
	f.t.Helper()
	_, err := custody.CheckpointNow(context.Background(), f.db, f.keys, custody.CheckpointOptions{})
	must(f.t, err)
}

// custodyOf lists the item's custody events.
func (f *fixture) custodyOf(item int64) []*rastro.CustodyEvent {
	f.t.Helper()
	evs, err := f.db.CustodyEvents(context.Background(), rastro.SystemActor("t"), f.caseID, item)
	must(f.t, err)
	return evs
}

// auditActions lists the audit events of one action.
func (f *fixture) auditActions(action string) []*rastro.AuditEvent {
	f.t.Helper()
	evs, err := f.db.AuditEvents(context.Background(), rastro.SystemActor("t"), rastro.AuditFilter{Action: action})
	must(f.t, err)
	return evs
}

func TestEvidenceListFilterAndPages(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	if b := body(t, f.get("/cases/"+itoa(f.caseID), cookie)); !strings.Contains(b, `href="/cases/`+itoa(f.caseID)+`/evidence"`) {
		t.Error("case dashboard has no link to the evidence list")
	}
	list := "/cases/" + itoa(f.caseID) + "/evidence"
	img, err := f.db.EvidenceByID(context.Background(), rastro.SystemActor("t"), f.caseID, f.imageID)
	must(t, err)
	b := body(t, f.get(list, cookie))
	for _, want := range []string{"photo-0001.png", "notes.txt", "chat-export.txt", "EX-2", "image/png", img.SHA256, `title="` + img.SHA256 + `"`} {
		if !strings.Contains(b, want) {
			t.Errorf("evidence list lacks %q", want)
		}
	}
	b = body(t, f.get(list+"?q=PHOTO", cookie))
	if !strings.Contains(b, "photo-0001.png") || strings.Contains(b, "notes.txt") {
		t.Error("filter by name: wrong items")
	}
	b = body(t, f.get(list+"?q=ex-3", cookie, "HX-Request", "true"))
	if strings.Contains(b, "<html") || !strings.Contains(b, "notes.txt") || strings.Contains(b, "photo-0001.png") {
		t.Error("htmx filter by exhibit: wrong fragment")
	}
	b = body(t, f.get(list+"?limit=2", cookie))
	if !strings.Contains(b, `rel="next"`) || strings.Contains(b, `rel="prev"`) {
		t.Error("first page of two: pager wrong")
	}
	b = body(t, f.get(list+"?limit=2&offset=2", cookie))
	if strings.Contains(b, `rel="next"`) || !strings.Contains(b, `rel="prev"`) || strings.Count(b, `/evidence/`) != 1 {
		t.Errorf("second page of two: pager or rows wrong")
	}
}

func TestEvidencePageShowsHashesAndVerifiedTimeline(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["investigator-m"])
	f.appendCustody(f.textID, rastro.CustodyAcquire)
	f.appendCustody(f.textID, rastro.CustodyParse)
	f.checkpoint()
	item, err := f.db.EvidenceByID(context.Background(), rastro.SystemActor("t"), f.caseID, f.textID)
	must(t, err)
	b := body(t, f.get(f.evidencePath(f.textID), cookie))
	for _, want := range []string{item.SHA256, item.MD5, item.SHA1, "EX-3", "rastro ingest", "Chain of custody",
		"Verified: every event is included", strings.ReplaceAll(f.keys.VerifierKey, "+", "&#43;"), "acquired", "parsed"} {
		if !strings.Contains(b, want) {
			t.Errorf("evidence page lacks %q", want)
		}
	}
	if n := strings.Count(b, `data-testid="event-state">verified<`); n != 2 {
		t.Errorf("%d verified events, want 2", n)
	}

	// An event after the checkpoint is told apart from a forged one.
	f.appendCustody(f.textID, rastro.CustodyExport)
	b = body(t, f.get(f.evidencePath(f.textID), cookie))
	if !strings.Contains(b, ">not yet checkpointed<") || !strings.Contains(b, "some events are not yet checkpointed") || strings.Contains(b, "FAILED") {
		t.Errorf("event after the checkpoint not shown as pending")
	}
}

func TestEvidencePageShowsTampering(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	ev := f.appendCustody(f.textID, rastro.CustodyAcquire)
	ev2 := f.appendCustody(f.textID, rastro.CustodyParse)
	f.checkpoint()
	// The first view verifies (and fills the server's leaf-hash cache).
	if b := body(t, f.get(f.evidencePath(f.textID), cookie)); !strings.Contains(b, "Verified: every event") {
		t.Fatal("untouched timeline does not verify")
	}
	// Someone with the database file rewrites who acquired the item.
	exec := func(q string, args ...any) {
		t.Helper()
		_, err := f.db.SQL().ExecContext(context.Background(), q, args...)
		must(t, err)
	}
	exec(`DROP TRIGGER custody_events_no_update`)
	exec(`UPDATE custody_events SET username = 'someone else' WHERE seq = ` + itoa(ev.Seq))
	b := body(t, f.get(f.evidencePath(f.textID), cookie))
	if !strings.Contains(b, "Verification FAILED") || strings.Count(b, `data-testid="event-state">FAILED<`) != 1 {
		t.Errorf("tampered event not shown as failed")
	}
	if !strings.Contains(b, "do not match its stored leaf") {
		t.Error("the failure does not say what is wrong")
	}
	// Rewriting another event's leaf and leaf hash consistently.
	forged := *ev2
	forged.Tool = "another tool"
	leaf, err := custody.EncodeLeaf(&forged)
	must(t, err)
	exec(`UPDATE custody_events SET tool = $1, leaf = $2, leaf_hash = $3 WHERE seq = $4`, forged.Tool, leaf, custody.LeafHash(leaf), ev2.Seq)
	b = body(t, f.get(f.evidencePath(f.textID), cookie))
	if strings.Count(b, `data-testid="event-state">FAILED<`) != 2 || !strings.Contains(b, "another tool") {
		t.Errorf("re-leafed event not shown as failed")
	}
}

func TestImageHiddenUntilRevealed(t *testing.T) {
	f := newFixture(t)
	u := f.users["caseworker-m"]
	cookie, csrf := f.session(u)
	page, content := f.evidencePath(f.imageID), f.evidencePath(f.imageID)+"/content"
	b := body(t, f.get(page, cookie))
	if strings.Contains(b, "<img") || strings.Contains(b, "<video") || strings.Contains(b, content) {
		t.Fatal("the image is in the page before any reveal")
	}
	if !strings.Contains(b, `data-testid="content-placeholder"`) {
		t.Error("no neutral placeholder")
	}
	if res := f.get(content, cookie); res.StatusCode != http.StatusForbidden {
		t.Fatalf("content without reveal: %d, want 403", res.StatusCode)
	}
	if res := f.postForm(page+"/reveal", cookie, "", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reveal without CSRF token: %d, want 403", res.StatusCode)
	}
	if n := len(f.custodyOf(f.imageID)); n != 0 {
		t.Fatalf("refused requests left %d custody events", n)
	}

	res := f.postForm(page+"/reveal", cookie, csrf, nil)
	b = body(t, res)
	if res.StatusCode != 200 || !strings.Contains(b, `<img class="evidence-media" data-testid="revealed-media" src="`+content+`"`) {
		t.Fatalf("reveal: %d, no image in the page", res.StatusCode)
	}
	evs := f.custodyOf(f.imageID)
	if len(evs) != 1 || evs[0].Action != rastro.CustodyView || evs[0].UserID != u.ID || evs[0].Tool != webTool {
		t.Fatalf("custody after reveal: %+v", evs)
	}
	if au := f.auditActions("view_evidence"); len(au) != 1 || au[0].UserID != u.ID || au[0].Object != "evidence:"+itoa(f.imageID) {
		t.Fatalf("audit after reveal: %+v", au)
	}

	res = f.get(content, cookie)
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(got, testPNG(t)) {
		t.Fatalf("content after reveal: %d, %d bytes", res.StatusCode, len(got))
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
		"Content-Disposition": `inline; filename=photo-0001.png`} {
		if res.Header.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, res.Header.Get(k), want)
		}
	}
	if len(f.custodyOf(f.imageID)) != 1 {
		t.Error("the inline fetch after the reveal added a custody event")
	}

	res = f.get(content+"?download=1", cookie)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	if evs := f.custodyOf(f.imageID); len(evs) != 2 || evs[1].Action != rastro.CustodyDownload {
		t.Errorf("custody after download: %+v", evs)
	}

	other, _ := f.session(u)
	if res := f.get(content, other); res.StatusCode != http.StatusForbidden {
		t.Errorf("another session of the same user: %d, want 403", res.StatusCode)
	}
	f.now = f.now.Add(6 * time.Minute)
	if res := f.get(content, cookie); res.StatusCode != http.StatusForbidden {
		t.Errorf("after the reveal expired: %d, want 403", res.StatusCode)
	}
}

func TestTextPreviewIsEscapedAndLogged(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["analyst-m"])
	if b := body(t, f.get(f.evidencePath(f.textID), cookie)); strings.Contains(b, "Mensaje ficticio") {
		t.Fatal("text shown before the reveal")
	}
	b := body(t, f.postForm(f.evidencePath(f.textID)+"/reveal", cookie, csrf, nil))
	if !strings.Contains(b, "Mensaje ficticio") || strings.Contains(b, "<script>alert") || !strings.Contains(b, "&lt;script&gt;") {
		t.Errorf("preview missing or not escaped")
	}
	if evs := f.custodyOf(f.textID); len(evs) != 1 || evs[0].Action != rastro.CustodyView {
		t.Errorf("preview custody: %+v", evs)
	}
}

func TestContentUnavailableWithoutVault(t *testing.T) {
	f := newFixture(t)
	f.srv = New(Config{Version: "test", Now: func() time.Time { return f.now }}, f.db, nil)
	f.h = f.srv.Handler()
	cookie, csrf := f.session(f.users["analyst-m"])
	b := body(t, f.get(f.evidencePath(f.imageID), cookie))
	if !strings.Contains(b, `data-testid="content-unavailable"`) || !strings.Contains(b, "Signatures not checked") && !strings.Contains(b, "No custody events") {
		t.Error("page does not say content is unavailable")
	}
	if res := f.postForm(f.evidencePath(f.imageID)+"/reveal", cookie, csrf, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("reveal without a vault: %d, want 404", res.StatusCode)
	}
	if n := len(f.custodyOf(f.imageID)); n != 0 {
		t.Errorf("%d custody events for content never shown", n)
	}
}

// bearerGet sends a GET with an API token.
func (f *fixture) bearerGet(path, token string) *http.Response {
	f.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return f.do(req)
}

func TestEvidenceAPI(t *testing.T) {
	f := newFixture(t)
	u := f.users["investigator-m"]
	tok, _ := f.apiToken(u, "read")
	f.appendCustody(f.imageID, rastro.CustodyAcquire)
	f.checkpoint()
	api := "/api/v1/cases/" + itoa(f.caseID) + "/evidence/" + itoa(f.imageID)

	var d struct {
		Evidence *rastro.Evidence `json:"evidence"`
		Custody  timeline         `json:"custody"`
	}
	res := f.bearerGet(api, tok)
	must(t, json.NewDecoder(res.Body).Decode(&d))
	if res.StatusCode != 200 || d.Evidence.ID != f.imageID || d.Custody.State != "verified" || len(d.Custody.Events) != 1 ||
		d.Custody.Events[0].Verification.State != custody.EventVerified || d.Custody.VerifierKey != f.keys.VerifierKey {
		t.Fatalf("item: %d %+v", res.StatusCode, d)
	}
	var tl timeline
	res = f.bearerGet(api+"/custody", tok)
	must(t, json.NewDecoder(res.Body).Decode(&tl))
	if tl.Checkpoint == nil || tl.Checkpoint.Size < 1 || len(tl.Events) != 1 || tl.Events[0].Action != rastro.CustodyAcquire {
		t.Fatalf("custody: %+v", tl)
	}

	res = f.bearerGet(api+"/content", tok)
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(got, testPNG(t)) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d, %d bytes, %q", res.StatusCode, len(got), res.Header.Get("Content-Disposition"))
	}
	evs := f.custodyOf(f.imageID)
	if len(evs) != 2 || evs[1].Action != rastro.CustodyDownload || evs[1].UserID != u.ID || !strings.Contains(string(evs[1].Details), `"api"`) {
		t.Errorf("API download custody: %+v", evs)
	}
	if len(f.auditActions("download_evidence")) != 1 {
		t.Error("API download not audited")
	}
}

func TestEvidencePagesInSpanish(t *testing.T) {
	f := newFixture(t)
	cookie, _ := f.session(f.users["analyst-m"])
	b := body(t, f.get(f.evidencePath(f.imageID), cookie, "Accept-Language", "es"))
	for _, want := range []string{"Cadena de custodia", "Imagen o vídeo oculto", "Mostrar esta imagen o vídeo"} {
		if !strings.Contains(b, want) {
			t.Errorf("Spanish evidence page lacks %q", want)
		}
	}
	b = body(t, f.get("/cases/"+itoa(f.caseID)+"/evidence", cookie, "Accept-Language", "es"))
	if !strings.Contains(b, "Nombre original") {
		t.Error("Spanish evidence list lacks its headings")
	}
}

func TestUnviewableItemIsALoggedDownload(t *testing.T) {
	f := newFixture(t)
	cookie, csrf := f.session(f.users["investigator-m"])
	zip := f.putEvidence(context.Background(), []byte("PK\x03\x04 fictional archive"), "phone-dump.zip", "application/zip", "EX-4")
	res := f.postForm(f.evidencePath(zip)+"/reveal", cookie, csrf, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.evidencePath(zip)+"/content?download=1" {
		t.Fatalf("reveal of an archive: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := len(f.custodyOf(zip)); n != 0 {
		t.Fatalf("%d custody events before anything was viewed or downloaded", n)
	}
	// Even without ?download=1 the archive leaves only as a logged download.
	res = f.get(f.evidencePath(zip)+"/content", cookie)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("archive content: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	if evs := f.custodyOf(zip); len(evs) != 1 || evs[0].Action != rastro.CustodyDownload {
		t.Errorf("archive custody: %+v", evs)
	}
}

func TestServedType(t *testing.T) {
	tests := []struct {
		name, mediaType, want, kind string
	}{
		{"png", "image/png", "image/png", kindImage},
		{"html is never rendered", "text/html; charset=utf-8", "application/octet-stream", kindText},
		{"svg is never rendered", "image/svg+xml", "application/octet-stream", kindImage},
		{"plain text", "text/plain", "text/plain; charset=utf-8", kindText},
		{"mp4", "video/mp4", "video/mp4", kindVideo},
		{"garbage", "not a type", "application/octet-stream", kindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := servedType(tt.mediaType); got != tt.want {
				t.Errorf("servedType(%q) = %q, want %q", tt.mediaType, got, tt.want)
			}
			if got := contentKind(tt.mediaType); got != tt.kind {
				t.Errorf("contentKind(%q) = %q, want %q", tt.mediaType, got, tt.kind)
			}
		})
	}
}

func TestDispositionKeepsNameSafe(t *testing.T) {
	tests := []struct{ name, original, want string }{
		{"plain", "photo.png", `inline; filename=photo.png`},
		{"path stripped", `C:\Users\x\..\evil".png`, `inline; filename="evil\".png"`},
		{"non-ascii", "foto niña.jpg", `inline; filename*=utf-8''foto%20ni%C3%B1a.jpg`},
		{"empty", "", `inline; filename=evidence-7`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := disposition(&rastro.Evidence{ID: 7, OriginalName: tt.original}, false); got != tt.want {
				t.Errorf("disposition(%q) = %s, want %s", tt.original, got, tt.want)
			}
		})
	}
}

func TestCheckpointByAnotherKeyFails(t *testing.T) {
	f := newFixture(t)
	f.appendCustody(f.textID, rastro.CustodyAcquire)
	f.checkpoint()
	f.srv = New(Config{Version: "test", Now: func() time.Time { return f.now }, CustodyKey: newTestKeys(t).VerifierKey}, f.db, nil)
	f.h = f.srv.Handler()
	cookie, _ := f.session(f.users["analyst-m"])
	if b := body(t, f.get(f.evidencePath(f.textID), cookie)); !strings.Contains(b, "Verification FAILED") {
		t.Error("a checkpoint the configured key did not sign is not shown as failed")
	}
}

func TestRuntimeKeysInBothCatalogs(t *testing.T) {
	c := mustLoadCatalogs()
	var keys []string
	for _, a := range rastro.CustodyActions {
		keys = append(keys, "custody.action."+string(a))
	}
	for _, s := range []string{"verified", "pending", "failed", "empty", "unchecked"} {
		keys = append(keys, "custody.state."+s)
	}
	for _, s := range []custody.EventState{custody.EventVerified, custody.EventUnsigned, custody.EventFailed} {
		keys = append(keys, "custody.event."+string(s))
	}
	for _, s := range []rastro.Triage{rastro.TriageNew, rastro.TriageConfirmed, rastro.TriageDismissed} {
		keys = append(keys, "triage."+string(s))
	}
	for _, l := range languages {
		for _, k := range keys {
			if _, ok := c.msgs[l][k]; !ok {
				t.Errorf("%s catalog lacks %s", l, k)
			}
		}
	}
}
