package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteAtomicallyLeavesDevicesAlone writes to a named pipe: the output
// must go through the pipe, and the pipe must still be a pipe afterwards
// (renaming a temporary file over /dev/null once replaced the device).
func TestWriteAtomicallyLeavesDevicesAlone(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if _, err := writeAtomically(fifo, func(w *bufio.Writer) (int, error) {
		_, err := w.WriteString("exported\n")
		return 1, err
	}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "exported\n" {
		t.Errorf("the pipe's reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi.Mode(), err)
	}
}

func TestWriteAtomicallyReplacesFilesWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	os.WriteFile(path, []byte("old"), 0o644)
	_, err := writeAtomically(path, func(w *bufio.Writer) (int, error) {
		w.WriteString("half")
		return 0, io.ErrUnexpectedEOF
	})
	if err == nil {
		t.Fatal("a failed write reported success")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed export left %q in place of the old file", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("a failed export left temporary files: %v", entries)
	}
}
