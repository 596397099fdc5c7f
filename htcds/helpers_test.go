package htcds_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"github.com/rastro/rastro/internal/shareddata"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rastro/rastro/synth"
)

// sharedHTCDS is the HTCDS standard of the reference data, or skips.
func sharedHTCDS(tb testing.TB) string { return shareddata.Dir(tb, "htcds") }

// scenarioCSV generates a tiny training scenario and returns its HTCDS file.
func scenarioCSV(tb testing.TB, seed uint64) []byte {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Options{Size: "tiny", Seed: seed, Out: dir}); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "htcds", "victims.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// xlsxRows returns the first rows of a workbook's first sheet as strings,
// reading the OOXML parts with archive/zip and encoding/xml.
func xlsxRows(tb testing.TB, name string, n int) [][]string {
	tb.Helper()
	z, err := zip.OpenReader(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer z.Close()
	var shared struct {
		SI []struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"si"`
	}
	var sheet struct {
		Rows []struct {
			C []struct {
				R string `xml:"r,attr"`
				T string `xml:"t,attr"`
				V string `xml:"v"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	readPart(tb, z, "xl/sharedStrings.xml", &shared)
	readPart(tb, z, "xl/worksheets/sheet1.xml", &sheet)
	strs := make([]string, len(shared.SI))
	for i, si := range shared.SI {
		s := si.T
		for _, r := range si.R {
			s += r.T
		}
		strs[i] = s
	}
	var rows [][]string
	for _, r := range sheet.Rows[:min(n, len(sheet.Rows))] {
		var row []string
		for _, c := range r.C {
			col := colIndex(c.R)
			for len(row) <= col {
				row = append(row, "")
			}
			v := c.V
			if c.T == "s" {
				i, _ := strconv.Atoi(v)
				v = strs[i]
			}
			row[col] = v
		}
		rows = append(rows, row)
	}
	return rows
}

func readPart(tb testing.TB, z *zip.ReadCloser, name string, v any) {
	tb.Helper()
	f, err := z.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		tb.Fatal(err)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		tb.Fatal(err)
	}
}

var cellRef = regexp.MustCompile(`^([A-Z]+)`)

// colIndex turns "AB12" into 27.
func colIndex(ref string) int {
	n := 0
	for _, c := range cellRef.FindString(ref) {
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}

// toCSV writes rows as CSV, padding them to the same width.
func toCSV(tb testing.TB, rows [][]string) []byte {
	tb.Helper()
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		if err := w.Write(r); err != nil {
			tb.Fatal(err)
		}
	}
	w.Flush()
	return b.Bytes()
}

// csvHeader returns the first line of a CSV as cells.
func csvHeader(tb testing.TB, data []byte) []string {
	tb.Helper()
	h, err := csv.NewReader(bytes.NewReader(data)).Read()
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// hasWarning reports whether some warning contains s.
func hasWarning(ws []string, s string) bool {
	for _, w := range ws {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}
