package money

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rastro/rastro/synth"
)

// cases holds generated training cases shared by the tests of one run
// (generation dominates their time); removed by TestMain.
var cases struct {
	sync.Mutex
	root  string
	dirs  map[string]string
	truth map[string]*synth.Truth
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cases.root != "" {
		os.RemoveAll(cases.root)
	}
	os.Exit(code)
}

// generated returns the folder and truth of a case, generating it once.
func generated(tb testing.TB, size string, seed uint64) (string, *synth.Truth) {
	tb.Helper()
	cases.Lock()
	defer cases.Unlock()
	key := fmt.Sprintf("%s-%d", size, seed)
	if d, ok := cases.dirs[key]; ok {
		return d, cases.truth[key]
	}
	if cases.root == "" {
		root, err := os.MkdirTemp("", "rastro-money-test-")
		if err != nil {
			tb.Fatal(err)
		}
		cases.root, cases.dirs, cases.truth = root, map[string]string{}, map[string]*synth.Truth{}
	}
	dir := filepath.Join(cases.root, key)
	tr, err := synth.Generate(context.Background(), synth.Options{Size: size, Seed: seed, Out: dir})
	if err != nil {
		tb.Fatal(err)
	}
	cases.dirs[key], cases.truth[key] = dir, tr
	return dir, tr
}

// synthCase returns the folder of a generated training case.
func synthCase(tb testing.TB, size string, seed uint64) string {
	tb.Helper()
	dir, _ := generated(tb, size, seed)
	return dir
}
