// Package truth holds the ground-truth types of a generated training case.
// Every synth sub-generator returns its part of the truth with these types;
// package synth assembles them into truth.json (schema in docs/SCENARIOS.md).
package truth

import "time"

// Selector is one identifier planted in an evidence file.
type Selector struct {
	Kind        string `json:"kind"`                  // phone, email, url, domain, handle, onion, btc, eth, tron, iban, card, ipv4, ipv6, coordinates
	Value       string `json:"value"`                 // normalised: E.164, lower-case e-mail, address as checksummed, ...
	Form        string `json:"form"`                  // exactly as written in the file (may be obfuscated)
	Obfuscation string `json:"obfuscation,omitempty"` // "", "words_es", "words_en", "separators", "emoji_digits", "at_dot"
	File        string `json:"file"`                  // path relative to the case folder
	Offset      int64  `json:"offset"`                // byte offset of Form in File (inside the archive member for zips: see Member)
	Member      string `json:"member,omitempty"`      // member name when File is an archive
	Owner       string `json:"owner,omitempty"`       // person ID of the holder, "" if none
	Decoy       bool   `json:"decoy,omitempty"`       // invalid by design (broken checksum, impossible range)
}

// TxRef points to one transaction line in a money file.
type TxRef struct {
	TxID string `json:"tx_id"`
	File string `json:"file"`
	Line int    `json:"line"` // 1-based, header is line 1
}

// Typology is one planted money pattern.
type Typology struct {
	ID           string   `json:"id"`
	Kind         string   `json:"kind"`                // fan_in, fan_out, cycle, scatter_gather, gather_scatter, structuring, funnel, rapid_pass_through, fincen_*
	RedFlags     []string `json:"red_flags,omitempty"` // FinCEN FIN-2020-A008 flag ids
	Accounts     []string `json:"accounts"`            // account IDs involved
	Transactions []TxRef  `json:"transactions"`
	Description  string   `json:"description"`
}

// Account is a bank account or crypto wallet in the scenario.
type Account struct {
	ID       string `json:"id"`
	Holder   string `json:"holder,omitempty"` // person ID, "" for background
	Role     string `json:"role,omitempty"`   // holder's role, or "business", "background"
	Kind     string `json:"kind"`             // bank, btc, eth, tron
	Number   string `json:"number"`           // IBAN, account number or address
	Bank     string `json:"bank,omitempty"`
	Country  string `json:"country,omitempty"`
	Currency string `json:"currency"`
}

// Ad is one online ad and the organisation behind it ("" for background).
type Ad struct {
	ID       string `json:"id"`
	File     string `json:"file"`
	Offset   int64  `json:"offset"`
	Length   int64  `json:"length"`
	Org      string `json:"org,omitempty"`
	Template string `json:"template,omitempty"`
	Poster   string `json:"poster,omitempty"` // person ID
}

// Image is one generated picture.
type Image struct {
	File    string    `json:"file"`
	SHA256  string    `json:"sha256"`
	Group   string    `json:"group"`   // near-duplicate group ID
	Variant string    `json:"variant"` // original, resized, recompressed, cropped
	Width   int       `json:"width"`
	Height  int       `json:"height"`
	Taken   time.Time `json:"taken,omitzero"`
	Lat     float64   `json:"lat,omitempty"`
	Lon     float64   `json:"lon,omitempty"`
	Device  string    `json:"device,omitempty"`
	Owner   string    `json:"owner,omitempty"`
}

// RecordRef says which person produced a record (message, ad, report, ...).
type RecordRef struct {
	File    string `json:"file"`
	Locator string `json:"locator"` // "line:N", "json:/messages/3", "bytes:A-B"
	Kind    string `json:"kind"`    // message, ad, report, transaction, case_record
	Person  string `json:"person,omitempty"`
	Org     string `json:"org,omitempty"`
}

// Report is one provider referral.
type Report struct {
	ID       string   `json:"id"`
	File     string   `json:"file"`
	Subjects []string `json:"subjects"` // person IDs of reported users
	Hashes   []string `json:"hashes,omitempty"`
}
