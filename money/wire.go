package money

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rastro/rastro"
)

// PaymentLink turns a transfer into a Payment link between the entities of
// its two accounts (entityID maps an account key to the entity id the case
// uses for it; evidenceID is the evidence item of the transfer's file). The
// link id is deterministic in file and line, so re-importing changes
// nothing; the locator is "line:N", as for other CSV records.
func PaymentLink(caseID int64, t *Tx, evidenceID int64, entityID func(account string) string) *rastro.Link {
	return &rastro.Link{
		ID:         "money:" + t.File + ":" + strconv.Itoa(t.Line),
		CaseID:     caseID,
		Schema:     "Payment",
		SourceID:   entityID(t.From),
		TargetID:   entityID(t.To),
		Start:      t.Time,
		End:        t.Time,
		Amount:     t.Amount.String(),
		Currency:   t.Currency,
		EvidenceID: evidenceID,
		Locator:    "line:" + strconv.Itoa(t.Line),
		Origin:     rastro.OriginImport,
		// What was paid for: merchant, memo; role hints read it.
		Description: t.Description,
	}
}

// Finding turns an alert into a finding for the analyst's queue: kind
// "money.<kind>", severity 1..5 from the score, the subjects' entities
// first, then the possible victims' (the explanation names them as
// victims/witnesses; the entities keep their case role). A finding whose
// only flagged account is a possible victim's stays at severity ≤ 2.
func Finding(caseID int64, a *Alert, entityID func(account string) string) *rastro.Finding {
	sev := 1 + int(a.Score*4+0.5)
	if len(a.Subjects) == 0 {
		sev = min(sev, 2)
	}
	f := &rastro.Finding{
		CaseID:      caseID,
		Kind:        "money." + a.Kind,
		Title:       title(a),
		Explanation: a.Explanation + " Transfers: " + refsString(a.Refs) + ".",
		Severity:    max(1, min(sev, 5)),
		Triage:      rastro.TriageNew,
	}
	seen := map[string]bool{}
	for _, acc := range append(append([]string(nil), a.Subjects...), a.Victims...) {
		if id := entityID(acc); id != "" && !seen[id] {
			seen[id] = true
			f.EntityIDs = append(f.EntityIDs, id)
		}
	}
	return f
}

// title is the one-line heading of an alert.
func title(a *Alert) string {
	name := strings.ReplaceAll(strings.TrimPrefix(a.Kind, "ht."), "_", " ")
	t := strings.ToUpper(name[:1]) + name[1:] + " on " + a.Account
	if len(a.RedFlags) > 0 {
		t += " (" + strings.Join(a.RedFlags, ", ") + ")"
	}
	return t
}

var (
	reIBAN  = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$`)
	reBTC   = regexp.MustCompile(`^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$`)
	reETH   = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	reTron  = regexp.MustCompile(`^T[1-9A-HJ-NP-Za-km-z]{33}$`)
	reDigit = regexp.MustCompile(`^[0-9]{6,34}$`)
)

// AccountKind guesses what an account key is, for the entity it becomes:
// "iban" and "bank" (BankAccount), "btc", "eth", "tron" (CryptoWallet),
// "counterparty" (a statement's free-text counterparty) or "" (unknown,
// e.g. AMLSim node ids).
func AccountKind(key string) string {
	switch {
	case strings.HasPrefix(key, "cp:"):
		return "counterparty"
	case reETH.MatchString(key):
		return "eth"
	case reTron.MatchString(key):
		return "tron"
	case reBTC.MatchString(key):
		return "btc"
	case reIBAN.MatchString(key):
		return "iban"
	case reDigit.MatchString(key):
		return "bank"
	}
	return ""
}
