package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/internal/browsertest"
	"github.com/rastro/rastro/sqlite"
)

// demoServer sets the demo up in a temporary data directory, runs its
// background jobs to completion and serves it on a free port.
func demoServer(t *testing.T) (url, password string, caseID int64, s rastro.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	password, caseID, err = setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ev, err := openEvidence(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := newRunner(s, ev, log, 1).RunPending(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := serveConfig{Workers: 1}
	c.DataDir = dir
	done := make(chan error, 1)
	go func() { done <- c.run(ctx, ln, s, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		s.Close()
	})
	return "http://" + ln.Addr().String(), password, caseID, s
}

func TestDemoLoadsTrainingCase(t *testing.T) {
	url, password, caseID, s := demoServer(t)
	ctx := context.Background()
	sys := rastro.SystemActor("test")
	victims, nv, err := s.Entities(ctx, sys, caseID, rastro.EntityFilter{Role: rastro.CaseRolePossibleVictim})
	if err != nil {
		t.Fatal(err)
	}
	suspects, ns, err := s.Entities(ctx, sys, caseID, rastro.EntityFilter{Role: rastro.CaseRoleSuspect})
	if err != nil {
		t.Fatal(err)
	}
	if nv == 0 || ns == 0 {
		t.Fatalf("demo case has %d possible victims and %d suspects; want both", nv, ns)
	}
	for _, v := range victims {
		if v.LegalStatus != rastro.LegalNone {
			t.Errorf("possible victim %s carries legal status %q", v.ID, v.LegalStatus)
		}
	}
	e, err := s.Entity(ctx, sys, caseID, suspects[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Statements) == 0 || e.Statements[0].EvidenceID == 0 {
		t.Fatalf("suspect %s has no statement with provenance: %+v", e.ID, e.Statements)
	}
	ev, err := s.EvidenceList(ctx, sys, caseID)
	if err != nil || len(ev) == 0 {
		t.Fatalf("demo case has no evidence items (err %v)", err)
	}
	// The parse jobs turned the chats into accounts and the identifiers
	// mentioned in them into entities, each statement citing its record.
	if _, n, err := s.Entities(ctx, sys, caseID, rastro.EntityFilter{Schema: "UserAccount"}); err != nil || n == 0 {
		t.Errorf("parsing created %d chat accounts (err %v)", n, err)
	}
	ids, _, err := s.Entities(ctx, sys, caseID, rastro.EntityFilter{Schema: "Identifier", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	extracted := 0
	for _, id := range ids {
		full, err := s.Entity(ctx, sys, caseID, id.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range full.Statements {
			if st.Origin == rastro.OriginExtractor && st.RecordID != 0 && st.Locator != "" {
				extracted++
			}
		}
	}
	if extracted == 0 {
		t.Error("no identifier statement comes from the extractor with its record and locator")
	}
	// The printed credentials log in.
	if password == "" {
		t.Fatal("no one-time password")
	}
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestDemoReuseResetsPassword(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "rastro.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p1, c1, err := setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	p2, c2, err := setupDemo(ctx, s, dir, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if c1 != c2 {
		t.Errorf("second demo start created case %d instead of reusing %d", c2, c1)
	}
	if p1 == p2 {
		t.Errorf("second demo start kept the old one-time password")
	}
}

// TestBrowserLoginToProvenance drives Debian's chromium through the critical
// flow: log in, open the demo case, open an entity, see where a statement
// came from.
func TestBrowserLoginToProvenance(t *testing.T) {
	ctx := browsertest.Context(t, 90*time.Second)
	url, password, _, _ := demoServer(t)

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), demoAdmin),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.EmulateViewport(1280, 900),
		chromedp.WaitVisible(css("a.case-link")),
		chromedp.Click(css("a.case-link")),
		chromedp.WaitVisible(css("[data-testid=entities-link]")),
		screenshot(t, "dashboard.png"),
		chromedp.Click(css("[data-testid=entities-link]")),
		chromedp.WaitVisible(css("a.entity-link")),
		chromedp.Click(css("a.entity-link")),
		chromedp.WaitVisible(css(".provenance summary")),
		chromedp.Click(css(".provenance summary")),
		chromedp.WaitVisible(css(".provenance dl")),
		screenshot(t, "entity.png"),
	)
	if err != nil {
		t.Fatalf("browser flow: %v", err)
	}
	provenance, err := chromedp.Run(ctx, chromedp.Text(css(".provenance dl")))
	if err != nil {
		t.Fatalf("read provenance: %v", err)
	}
	// The provenance names the evidence file (a path in the scenario folder)
	// and the place inside it.
	if !strings.Contains(provenance, "/") || !(strings.Contains(provenance, "bytes:") || strings.Contains(provenance, "line:") || strings.Contains(provenance, "json:")) {
		t.Errorf("provenance %q names neither the evidence item nor the place in it", provenance)
	}
}

// screenshot saves the page as PNG into RASTRO_SCREENSHOT_DIR when it is set
// (how docs/screenshot.png is made); otherwise it does nothing.
func screenshot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		dir := os.Getenv("RASTRO_SCREENSHOT_DIR")
		if dir == "" {
			return chromedp.Void{}, nil
		}
		png, err := chromedp.CaptureScreenshot()(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		t.Logf("screenshot %s", filepath.Join(dir, name))
		return chromedp.Void{}, os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
}
