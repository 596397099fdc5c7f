package web

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPath finds Debian's chromium, or skips when it is absent (fails
// when RASTRO_REQUIRE_CI_SERVICES is set).
func browserPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("RASTRO_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		if os.Getenv("RASTRO_REQUIRE_CI_SERVICES") != "" {
			t.Fatal("chromium not found but RASTRO_REQUIRE_CI_SERVICES is set")
		}
		t.Skip("chromium not installed (apt-get install chromium, or set RASTRO_CHROMIUM): browser test skipped")
	}
	return path
}

// TestBrowserUpload drives chromium through the upload form under the
// strict CSP: upload.js sends two files by XHR (CSRF in the header), and
// the results replace the form without leaving the page.
func TestBrowserUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := browserPath(t)
	f := newUploadFixture(t, 0)
	ts := httptest.NewServer(f.h)
	defer ts.Close()
	dir := t.TempDir()
	var paths []string
	for _, file := range []upFile{chatFile, notesFile} {
		p := filepath.Join(dir, file.name)
		must(t, os.WriteFile(p, file.content, 0o600))
		paths = append(paths, p)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	form := ts.URL + "/cases/" + itoa(f.caseID) + "/evidence/new"
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "investigator-m"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css("a.case-link")),
		chromedp.Navigate(form),
		chromedp.WaitVisible(css("#upload-files")),
		chromedp.SetUploadFiles(css("#upload-files"), paths),
		chromedp.SendKeys(css("#upload-exhibit"), "EX-9"),
		chromedp.SendKeys(css("#upload-tz"), "America/Guatemala"),
		chromedp.Click(css("#upload-submit")),
		chromedp.WaitVisible(css("[data-testid=upload-results]")),
	)
	if err != nil {
		t.Fatalf("browser flow: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(css("[data-testid=upload-results]")))
	must(t, err)
	if !strings.Contains(text, "2 stored, 0 already present, 0 failed.") {
		t.Errorf("results: %q", text)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if loc != form {
		t.Errorf("location %s: the form was posted without upload.js (want to stay on %s)", loc, form)
	}
	if e := f.evidenceByName()[notesFile.name]; e == nil || e.ExhibitNo != "EX-9" || e.SourceTZ != "America/Guatemala" {
		t.Errorf("stored %+v", e)
	}
}
