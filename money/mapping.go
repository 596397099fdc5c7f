package money

import (
	"embed"
	"encoding/json"
	"fmt"
	"github.com/rastro/rastro"
	"strings"
	"time"
)

//go:embed rules/*.json
var rulesFS embed.FS

// Mapping says how to read one bank-statement layout: which column holds
// what, the delimiter, the date layout (Go reference time) and the decimal
// separator. Saved as JSON (rules/mappings.json holds the presets); a user
// maps a new layout by writing one.
type Mapping struct {
	Name         string   `json:"name"`
	Note         string   `json:"note,omitempty"`
	Header       string   `json:"header,omitempty"` // exact header line, for detection
	Delimiter    string   `json:"delimiter"`
	DateLayout   string   `json:"date_layout"`
	DecimalComma bool     `json:"decimal_comma,omitempty"`
	Currency     string   `json:"currency,omitempty"` // when the file has no currency column
	Columns      Columns  `json:"columns"`
	Skip         []string `json:"skip,omitempty"` // descriptions of balance rows
	Cash         []string `json:"cash,omitempty"` // description prefixes of cash deposits
}

// Columns names the header of each field; empty when absent. Either Amount
// (signed) or Debit and Credit must be set.
type Columns struct {
	Date         string `json:"date"`
	Description  string `json:"description,omitempty"`
	Debit        string `json:"debit,omitempty"`
	Credit       string `json:"credit,omitempty"`
	Amount       string `json:"amount,omitempty"`
	Balance      string `json:"balance,omitempty"`
	Currency     string `json:"currency,omitempty"`
	Reference    string `json:"reference,omitempty"`
	Counterparty string `json:"counterparty,omitempty"`
}

// Presets returns the saved statement mappings (a fresh copy each call).
func Presets() []*Mapping {
	b, err := rulesFS.ReadFile("rules/mappings.json")
	if err != nil {
		panic(err) // embedded at build time
	}
	var doc struct {
		Mappings []*Mapping `json:"mappings"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(fmt.Sprintf("money: rules/mappings.json: %v", err))
	}
	return doc.Mappings
}

// PresetFor returns the preset whose header matches, or nil.
func PresetFor(header string) *Mapping {
	for _, m := range Presets() {
		if m.Header == header {
			return m
		}
	}
	return nil
}

// ParseMapping reads a mapping saved as JSON.
func ParseMapping(b []byte) (*Mapping, error) {
	var m Mapping
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("money: mapping: %w", err)
	}
	if m.Columns.Date == "" || (m.Columns.Amount == "" && m.Columns.Debit == "" && m.Columns.Credit == "") {
		return nil, rastro.Errorf(rastro.EINVALID, "money: mapping: columns.date and columns.amount (or debit/credit) are required")
	}
	return &m, nil
}

// sep is the delimiter byte (default ',').
func (m *Mapping) sep() byte {
	if m.Delimiter == "" {
		return ','
	}
	if m.Delimiter == `\t` {
		return '\t'
	}
	return m.Delimiter[0]
}

// cols holds the resolved column positions (-1 when absent).
type cols struct {
	date, desc, debit, credit, amount, cur, ref, cp int
}

// parser resolves column names against the header and returns the row parser.
func (m *Mapping) parser(header, account string) (rowFunc, error) {
	hdr, _ := splitLine(nil, header, m.sep())
	idx := func(name string) int {
		if name == "" {
			return -1
		}
		for i, h := range hdr {
			if strings.EqualFold(strings.TrimSpace(h), name) {
				return i
			}
		}
		return -2
	}
	c := cols{idx(m.Columns.Date), idx(m.Columns.Description), idx(m.Columns.Debit), idx(m.Columns.Credit),
		idx(m.Columns.Amount), idx(m.Columns.Currency), idx(m.Columns.Reference), idx(m.Columns.Counterparty)}
	for _, v := range []int{c.date, c.desc, c.debit, c.credit, c.amount, c.cur, c.ref, c.cp} {
		if v == -2 {
			return nil, fmt.Errorf("mapping %q: a mapped column is missing from the header %q", m.Name, header)
		}
	}
	if c.date < 0 || (c.amount < 0 && c.debit < 0 && c.credit < 0) {
		return nil, fmt.Errorf("mapping %q: needs a date and an amount or debit/credit column", m.Name)
	}
	return func(f []string, tx *Tx) (bool, error) { return m.row(c, account, f, tx) }, nil
}

// row parses one statement line into tx.
func (m *Mapping) row(c cols, account string, f []string, tx *Tx) (bool, error) {
	get := func(i int) string {
		if i < 0 || i >= len(f) {
			return ""
		}
		return strings.TrimSpace(f[i])
	}
	desc := get(c.desc)
	for _, s := range m.Skip {
		if strings.EqualFold(desc, s) {
			return true, nil
		}
	}
	t, err := time.Parse(m.DateLayout, get(c.date))
	if err != nil {
		return false, fmt.Errorf("date %q: want layout %s", get(c.date), m.DateLayout)
	}
	amt, err := m.signed(get(c.amount), get(c.debit), get(c.credit))
	if err != nil {
		return false, err
	}
	if amt.IsZero() {
		return true, nil
	}
	cp := get(c.cp)
	if cp == "" {
		cp = desc
	}
	tx.ID, tx.Time, tx.Description = get(c.ref), t, desc
	tx.DateOnly = !strings.Contains(m.DateLayout, "15") && !strings.Contains(m.DateLayout, "03")
	tx.Currency = get(c.cur)
	if tx.Currency == "" {
		tx.Currency = m.Currency
	}
	tx.Amount = amt.Abs()
	switch {
	case amt.Sign() > 0 && m.isCash(desc):
		tx.From, tx.To, tx.Method = account, account, "Cash"
	case amt.Sign() > 0:
		tx.From, tx.To = "cp:"+cp, account
	default:
		tx.From, tx.To = account, "cp:"+cp
	}
	return false, nil
}

// signed returns the signed amount of a row: credits positive.
func (m *Mapping) signed(amount, debit, credit string) (Amount, error) {
	if amount != "" {
		a, err := ParseAmount(amount, m.DecimalComma)
		if err != nil {
			return Amount{}, fmt.Errorf("amount: %w", err)
		}
		return a, nil
	}
	if debit != "" {
		a, err := ParseAmount(debit, m.DecimalComma)
		if err != nil {
			return Amount{}, fmt.Errorf("debit: %w", err)
		}
		return a.Abs().Neg(), nil
	}
	if credit != "" {
		a, err := ParseAmount(credit, m.DecimalComma)
		if err != nil {
			return Amount{}, fmt.Errorf("credit: %w", err)
		}
		return a.Abs(), nil
	}
	return Amount{}, nil
}

// isCash reports whether a credit's description marks a cash deposit.
func (m *Mapping) isCash(desc string) bool {
	for _, p := range m.Cash {
		if strings.HasPrefix(strings.ToUpper(desc), strings.ToUpper(p)) {
			return true
		}
	}
	return false
}
