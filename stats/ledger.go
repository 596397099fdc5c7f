package stats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rastro/rastro"
)

// Entry is one released count, as the ledger keeps it: never a withheld value.
type Entry struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Record is what the ledger keeps of a release: where, when, how, the ε it
// spent and the counts it published (to detect differencing later).
type Record struct {
	ID        string    `json:"id"`
	Scope     string    `json:"scope"`
	Dims      string    `json:"dims"`
	Method    string    `json:"method"`
	K         int       `json:"k"`
	Epsilon   float64   `json:"epsilon,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Published []Entry   `json:"published"`
}

// Ledger records releases per data set (scope, e.g. "case:12"). The store
// backs it with a table; FileLedger keeps a JSON file.
type Ledger interface {
	// Releases returns the scope's releases, oldest first.
	Releases(ctx context.Context, scope string) ([]*Record, error)
	// Commit appends r to the scope's releases in one atomic step, refusing
	// with EFORBIDDEN when the ε already spent on the scope plus r.Epsilon
	// exceeds budget.
	Commit(ctx context.Context, r *Record, budget float64) error
}

// Spent returns the ε spent by releases.
func Spent(recs []*Record) float64 {
	s := 0.0
	for _, r := range recs {
		s += r.Epsilon
	}
	return s
}

// checkBudget refuses a release that would overspend.
func checkBudget(spent, epsilon, budget float64) error {
	if spent+epsilon > budget+1e-12 {
		return rastro.Errorf(rastro.EFORBIDDEN,
			"The privacy budget of this data set is spent: %.3g of %.3g used, this release needs %.3g. Release with k-anonymity only, or ask the data owner to review the budget.",
			spent, budget, epsilon)
	}
	return nil
}

// FileLedger is a Ledger in one JSON file, for tests and the command line.
// It serialises its own calls; it is not meant for several processes.
type FileLedger struct {
	Path string
	mu   sync.Mutex
}

// ledgerFile is the file's content.
type ledgerFile struct {
	Releases []*Record `json:"releases"`
}

// Releases implements Ledger.
func (l *FileLedger) Releases(ctx context.Context, scope string) ([]*Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := l.load()
	if err != nil {
		return nil, err
	}
	out := []*Record{}
	for _, r := range f.Releases {
		if r.Scope == scope {
			out = append(out, r)
		}
	}
	return out, nil
}

// Commit implements Ledger.
func (l *FileLedger) Commit(ctx context.Context, r *Record, budget float64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := l.load()
	if err != nil {
		return err
	}
	spent := 0.0
	for _, x := range f.Releases {
		if x.Scope == r.Scope {
			spent += x.Epsilon
		}
	}
	if err := checkBudget(spent, r.Epsilon, budget); err != nil {
		return err
	}
	f.Releases = append(f.Releases, r)
	return l.save(f)
}

// load reads the file; a missing file is an empty ledger.
func (l *FileLedger) load() (*ledgerFile, error) {
	data, err := os.ReadFile(l.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return &ledgerFile{}, nil
	} else if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	var f ledgerFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ledger %s: %w", l.Path, err)
	}
	return &f, nil
}

// save writes the file atomically (temporary file, then rename).
func (l *FileLedger) save(f *ledgerFile) error {
	data, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.Path), ".ledger-*")
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("ledger: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("ledger: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.Path); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}
