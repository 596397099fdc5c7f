// Package money is Rastro's pure follow-the-money engine: it imports bank
// statements, AMLworld and AMLSim transaction files and crypto transfer
// exports into transactions with exact decimal amounts and provenance (file
// and line), builds a time-ordered flow graph, traces funds forwards and
// backwards with FIFO, proportional (haircut) and poison attribution, and
// flags money-laundering typologies and human-trafficking red flags, each
// alert explained by the transactions behind it. It does no I/O beyond
// reading the files it is given: no SQL, no HTTP, no globals.
package money

import (
	"strconv"
	"time"
)

// Tx is one transfer between two accounts, as read from one line of a file.
// From and To are account keys (account number, IBAN, wallet address, node
// id, or "statement:NAME" / counterparty text for statements). A cash
// deposit is a transfer from an account to itself with Method "Cash".
type Tx struct {
	ID          string    `json:"id,omitempty"`      // reference or hash in the file; "" when it has none (see Key)
	From        string    `json:"from"`              // payer account key
	To          string    `json:"to"`                // payee account key
	Amount      Amount    `json:"amount"`            // paid by From, exact
	Currency    string    `json:"currency"`          // of Amount; "" when the file does not say
	Received    Amount    `json:"received,omitzero"` // credited to To when it differs (conversion)
	RecvCur     string    `json:"received_currency,omitempty"`
	Time        time.Time `json:"time"`                // naive wall clock read as UTC unless the file gives a zone
	FromBank    string    `json:"from_bank,omitempty"` // AMLworld bank ids: where the account is held
	ToBank      string    `json:"to_bank,omitempty"`
	Method      string    `json:"method,omitempty"`      // ACH, Wire, Cash, Credit Card, btc, tron, ethereum, ...
	Description string    `json:"description,omitempty"` // statement text, memo
	Format      string    `json:"format"`                // amlworld, amlsim, btc, token, statement:PRESET
	File        string    `json:"file"`
	Line        int       `json:"line"`                // 1-based; the header is line 1
	DateOnly    bool      `json:"date_only,omitempty"` // the file gives no time of day (statements)
	Label       bool      `json:"label,omitempty"`     // the source's own laundering label (AMLworld "Is Laundering")
	Also        []Ref     `json:"also,omitempty"`      // other lines showing the same transfer (statements)
}

// Ref points at one line of one file.
type Ref struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Key identifies the transfer: its ID, or FILE:LINE when the file gives none.
func (t *Tx) Key() string {
	if t.ID != "" {
		return t.ID
	}
	return t.File + ":" + strconv.Itoa(t.Line)
}

// Ref returns the transaction's own provenance.
func (t *Tx) Ref() Ref { return Ref{File: t.File, Line: t.Line} }

// Credit returns the amount credited to To and its currency.
func (t *Tx) Credit() (Amount, string) {
	if t.RecvCur != "" {
		return t.Received, t.RecvCur
	}
	return t.Amount, t.Currency
}

// IsCash reports whether the transfer is a cash deposit or withdrawal.
func (t *Tx) IsCash() bool { return t.Method == "Cash" }

// Role is what the case says about an account's holder; detectors use it so
// that a possible victim is never the subject of an alert.
type Role string

// Holder roles.
const (
	RoleUnknown Role = "unknown"
	RoleSuspect Role = "suspect"
	RoleVictim  Role = "victim" // a victim or possible victim
)
