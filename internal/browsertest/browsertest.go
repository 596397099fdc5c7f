// Package browsertest starts Debian's chromium for the UI tests, the same
// way in every package: headless, sandbox off (tests run as root in CI), no
// background network traffic, a fresh profile per test.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Context returns a browser context that ends after timeout, or skips the
// test when chromium is absent — and fails it when RASTRO_REQUIRE_CI_SERVICES
// is set, so that CI never silently skips a browser test.
func Context(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := os.Getenv("RASTRO_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		if os.Getenv("RASTRO_REQUIRE_CI_SERVICES") != "" {
			t.Fatal("chromium not found but RASTRO_REQUIRE_CI_SERVICES is set")
		}
		t.Skip("chromium not installed (apt-get install chromium, or set RASTRO_CHROMIUM): browser test skipped; CI runs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc()
	})
	return ctx
}
