package money

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/rastro/rastro"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Formats recognised by Read.
const (
	FormatAMLworld  = "amlworld"
	FormatAMLSim    = "amlsim"
	FormatBTC       = "btc"
	FormatToken     = "token"
	FormatStatement = "statement" // with a Mapping; Tx.Format is "statement:NAME"
)

// Headers that identify the fixed formats.
const (
	headerAMLworld = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering"
	headerAMLSim   = "sourceNodeId,targetNodeId,value,time"
	headerBTC      = "txid,time,from,to,amount_btc,fee_btc"
	headerToken    = "tx_hash,block,time,from,to,token,amount,chain"
)

// ReadOptions says how to read one file.
type ReadOptions struct {
	File     string   // provenance written into every Tx (path as the case knows it)
	Format   string   // "" detects by header
	Mapping  *Mapping // for statements; nil detects a preset by header
	Account  string   // statement's own account key; "" uses "statement:" + file base name
	Epoch    time.Time
	Step     time.Duration     // AMLSim: one time step (default 24h from Epoch, default 2020-01-01)
	MaxLine  int               // longest line accepted (default 1 MiB)
	MaxError int               // line errors kept in the report (default 1000; all are counted)
	Progress func(bytes int64) // optional: bytes read so far, every 65,536 lines and at the end
}

// LineError is one line that could not be read; reading goes on.
type LineError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Error implements error.
func (e LineError) Error() string { return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Reason) }

// Report sums up one file read.
type Report struct {
	File       string      `json:"file"`
	Format     string      `json:"format"`
	Lines      int         `json:"lines"`   // lines read, header included
	Txs        int         `json:"txs"`     // transactions produced
	Skipped    int         `json:"skipped"` // balance rows and blank lines
	Bytes      int64       `json:"bytes"`
	ErrorCount int         `json:"error_count"`
	Errors     []LineError `json:"errors,omitempty"` // the first MaxError
}

// rowFunc parses the fields of one data line; skip reports a row that is
// not a transfer (balance line).
type rowFunc func(f []string, tx *Tx) (skip bool, err error)

// Read streams the transactions of one CSV file to fn. A malformed line is
// reported in the Report and skipped; only an I/O error, an unknown format
// or an error from fn stops the read.
func Read(r io.Reader, o ReadOptions, fn func(*Tx) error) (*Report, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	header, err := readLine(br)
	if err != nil && header == "" {
		return nil, fmt.Errorf("money: read %s: empty file: %w", o.File, err)
	}
	header = strings.TrimPrefix(header, "\ufeff")
	format, sep, row, err := chooseFormat(header, &o)
	if err != nil {
		return nil, err
	}
	rep := &Report{File: o.File, Format: format, Lines: 1, Bytes: int64(len(header) + 1)}
	return rep, readRows(br, o, rep, sep, row, fn)
}

// readRows is the line loop of Read.
func readRows(br *bufio.Reader, o ReadOptions, rep *Report, sep byte, row rowFunc, fn func(*Tx) error) error {
	maxErr := o.MaxError
	if maxErr == 0 {
		maxErr = 1000
	}
	var fields []string
	var tx Tx
	in := interner{}
	for {
		line, err := readLine(br)
		if line == "" && err != nil {
			if errors.Is(err, io.EOF) {
				if o.Progress != nil {
					o.Progress(rep.Bytes)
				}
				return nil
			}
			return fmt.Errorf("money: read %s: line %d: %w", o.File, rep.Lines+1, err)
		}
		rep.Lines++
		rep.Bytes += int64(len(line) + 1)
		if o.Progress != nil && rep.Lines%65536 == 0 {
			o.Progress(rep.Bytes)
		}
		if strings.TrimSpace(line) == "" {
			rep.Skipped++
			continue
		}
		var ok bool
		fields, ok = splitLine(fields, line, sep)
		tx = Tx{Format: rep.Format, File: o.File, Line: rep.Lines}
		var skip bool
		var perr error
		if !ok {
			perr = errors.New("unterminated quote")
		} else {
			skip, perr = row(fields, &tx)
		}
		switch {
		case perr != nil:
			rep.ErrorCount++
			if len(rep.Errors) < maxErr {
				rep.Errors = append(rep.Errors, LineError{File: o.File, Line: rep.Lines, Reason: perr.Error()})
			}
		case skip:
			rep.Skipped++
		default:
			in.tx(&tx)
			rep.Txs++
			if err := fn(&tx); err != nil {
				return err
			}
		}
	}
}

// interner shares one copy of each repeated string (account keys,
// currencies, methods) and lets the line they were cut from be freed.
type interner map[string]string

// s returns the shared copy of v.
func (in interner) s(v string) string {
	if v == "" {
		return ""
	}
	if x, ok := in[v]; ok {
		return x
	}
	v = strings.Clone(v)
	if len(in) < 1<<22 {
		in[v] = v
	}
	return v
}

// tx interns the repeated fields of t; the id is copied (unique).
func (in interner) tx(t *Tx) {
	t.From, t.To, t.Currency, t.RecvCur = in.s(t.From), in.s(t.To), in.s(t.Currency), in.s(t.RecvCur)
	t.Method, t.FromBank, t.ToBank = in.s(t.Method), in.s(t.FromBank), in.s(t.ToBank)
	t.ID, t.Description = strings.Clone(t.ID), strings.Clone(t.Description)
}

// readLine returns one line without its end of line.
func readLine(br *bufio.Reader) (string, error) {
	s, err := br.ReadString('\n')
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, err
}

// chooseFormat picks the row parser from the options or the header.
func chooseFormat(header string, o *ReadOptions) (string, byte, rowFunc, error) {
	format := o.Format
	if format == "" {
		format = detect(header, o)
	}
	switch format {
	case FormatAMLworld:
		return format, ',', parseAMLworld, nil
	case FormatAMLSim:
		return format, ',', amlsimParser(o), nil
	case FormatBTC:
		return format, ',', parseBTC, nil
	case FormatToken:
		return format, ',', parseToken, nil
	case FormatStatement:
		m := o.Mapping
		if m == nil {
			if m = PresetFor(header); m == nil {
				return "", 0, nil, rastro.Errorf(rastro.EINVALID, "money: read %s: no statement preset matches the header %q; give a column mapping", o.File, header)
			}
		}
		row, err := m.parser(header, statementAccount(o))
		if err != nil {
			return "", 0, nil, fmt.Errorf("money: read %s: %w", o.File, err)
		}
		return FormatStatement + ":" + m.Name, m.sep(), row, nil
	}
	return "", 0, nil, rastro.Errorf(rastro.EINVALID, "money: read %s: unknown format for header %q: use amlworld, amlsim, btc, token or a statement mapping", o.File, header)
}

// detect names the format of a header.
func detect(header string, o *ReadOptions) string {
	switch header {
	case headerAMLworld:
		return FormatAMLworld
	case headerAMLSim:
		return FormatAMLSim
	case headerBTC:
		return FormatBTC
	case headerToken:
		return FormatToken
	}
	if o.Mapping != nil || PresetFor(header) != nil {
		return FormatStatement
	}
	return ""
}

// statementAccount is the key of the account a statement belongs to.
func statementAccount(o *ReadOptions) string {
	if o.Account != "" {
		return o.Account
	}
	return "statement:" + strings.TrimSuffix(filepath.Base(o.File), filepath.Ext(o.File))
}

// ReadFile opens path and calls Read; File defaults to path.
func ReadFile(path string, o ReadOptions, fn func(*Tx) error) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	defer f.Close()
	if o.File == "" {
		o.File = path
	}
	return Read(f, o, fn)
}

// parseAMLworld reads the 11 AMLworld columns by position: the two
// "Account" columns are indistinguishable by name.
func parseAMLworld(f []string, tx *Tx) (bool, error) {
	if len(f) != 11 {
		return false, fmt.Errorf("want 11 columns, got %d", len(f))
	}
	t, err := parseAMLTime(f[0])
	if err != nil {
		return false, fmt.Errorf("timestamp %q: want YYYY/MM/DD HH:MM", f[0])
	}
	recv, err := ParseAmount(f[5], false)
	if err != nil {
		return false, fmt.Errorf("amount received: %w", err)
	}
	paid, err := ParseAmount(f[7], false)
	if err != nil {
		return false, fmt.Errorf("amount paid: %w", err)
	}
	if f[2] == "" || f[4] == "" {
		return false, errors.New("empty account")
	}
	tx.Time, tx.From, tx.To, tx.Method = t, f[2], f[4], f[9]
	tx.FromBank, tx.ToBank = f[1], f[3]
	tx.Amount, tx.Currency = paid, f[8]
	if f[6] != f[8] || recv.Cmp(paid) != 0 {
		tx.Received, tx.RecvCur = recv, f[6]
	}
	tx.Label = f[10] == "1"
	return false, nil
}

// parseAMLTime reads "YYYY/MM/DD HH:MM" as time.Parse with that layout
// does, without its general machinery (one call per AMLworld line); any
// other shape goes to time.Parse for the same result and error.
func parseAMLTime(s string) (time.Time, error) {
	const layout = "2006/01/02 15:04"
	if len(s) != len(layout) || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':' {
		return time.Parse(layout, s)
	}
	num := func(a, b int) int {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 {
		return time.Parse(layout, s) // days 29-31 are checked against the month there
	}
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC), nil
}

// amlsimParser reads AMLSim's sourceNodeId,targetNodeId,value,time; time
// is a simulation step.
func amlsimParser(o *ReadOptions) rowFunc {
	epoch, step := o.Epoch, o.Step
	if epoch.IsZero() {
		epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if step == 0 {
		step = 24 * time.Hour
	}
	return func(f []string, tx *Tx) (bool, error) {
		if len(f) != 4 {
			return false, fmt.Errorf("want 4 columns, got %d", len(f))
		}
		v, err := ParseAmount(f[2], false)
		if err != nil {
			return false, fmt.Errorf("value: %w", err)
		}
		s, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return false, fmt.Errorf("time %q: want a step number", f[3])
		}
		tx.From, tx.To, tx.Amount, tx.Time = f[0], f[1], v, epoch.Add(time.Duration(s)*step)
		return false, nil
	}
}

// parseBTC reads txid,time,from,to,amount_btc,fee_btc.
func parseBTC(f []string, tx *Tx) (bool, error) {
	if len(f) != 6 {
		return false, fmt.Errorf("want 6 columns, got %d", len(f))
	}
	t, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		return false, fmt.Errorf("time %q: want RFC 3339", f[1])
	}
	v, err := ParseAmount(f[4], false)
	if err != nil {
		return false, fmt.Errorf("amount_btc: %w", err)
	}
	tx.ID, tx.Time, tx.From, tx.To, tx.Amount, tx.Currency, tx.Method = f[0], t, f[2], f[3], v, "BTC", "btc"
	return false, nil
}

// parseToken reads tx_hash,block,time,from,to,token,amount,chain.
func parseToken(f []string, tx *Tx) (bool, error) {
	if len(f) != 8 {
		return false, fmt.Errorf("want 8 columns, got %d", len(f))
	}
	t, err := time.Parse(time.RFC3339, f[2])
	if err != nil {
		return false, fmt.Errorf("time %q: want RFC 3339", f[2])
	}
	v, err := ParseAmount(f[6], false)
	if err != nil {
		return false, fmt.Errorf("amount: %w", err)
	}
	tx.ID, tx.Time, tx.From, tx.To, tx.Amount, tx.Currency, tx.Method = f[0], t, f[3], f[4], v, f[5], f[7]
	return false, nil
}
