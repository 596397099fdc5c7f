package web

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rastro/rastro/internal/browsertest"
)

// TestBrowserUpload drives chromium through the upload form under the
// strict CSP: upload.js sends two files by XHR (CSRF in the header), and
// the results replace the form without leaving the page.
func TestBrowserUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
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
	ctx := browsertest.Context(t, 60*time.Second)

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
