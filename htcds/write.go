package htcds

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
)

// Write writes records as an HTCDS 2.0 CSV: the exact field names of the
// standard as header, in its order, one row per record, values as held in
// the records. Write does not redact: pass records through Redact first
// unless the export is meant to carry personal data.
func Write(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := Header()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("htcds write: %w", err)
	}
	row := make([]string, len(header))
	for _, r := range recs {
		for i, f := range header {
			row[i] = r.Values[f]
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("htcds write: line %d: %w", r.Line, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("htcds write: %w", err)
	}
	return bw.Flush()
}

// WriteSidecar writes the text file that accompanies an export (CSV has no
// comments): the attribution the standard's licence asks for, what the file
// is and whether personal data was redacted.
func WriteSidecar(w io.Writer, csvName string, rows int, redacted bool) error {
	state := "Personal data (names, birth dates, contacts, addresses, identity numbers, free-text notes) has been removed."
	if !redacted {
		state = "WARNING: this file CONTAINS PERSONAL DATA of (possible) victims. Handle under your data-protection rules."
	}
	_, err := fmt.Fprintf(w, "%s\n\nFile: %s\nRows: %d\nFormat: HTCDS 2.0 CSV (https://github.com/UNMigration/HTCDS), exact field names, multiselect values separated by %q.\n%s\nNo IOM endorsement implied. Exported by Rastro.\n",
		Attribution, csvName, rows, MultiSep, state)
	if err != nil {
		return fmt.Errorf("htcds sidecar: %w", err)
	}
	return nil
}

// PersonalFields are the fields Redact empties: direct identifiers, exact
// locations and free text (which may name people).
func PersonalFields() []string {
	return []string{
		"prs_Salutation", "prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Birthdate",
		"prs_IdentityNumber", "prs_Title", "prs_Email", "prs_HomePhone", "prs_MobilePhone",
		"prs_MailingCity", "prs_MailingState", "prs_MailingStreet", "prs_MailingPostalCode",
		"prs_MailingLongitude", "prs_MailingLatitude",
		"vic_DetailsOfVulnerabilities", "per_RoleDetails",
		"cas_CaseOwner", "cas_ReferringPrimaryCaseWorker", "cas_ReferredPrimaryCaseWorker",
		"cas_ReasonForCaseClosure", "cas_IncomingReferralDetails", "cas_OutgoingReferralDetails",
		"cco_CaseComment",
		"hte_Street", "hte_PostalCode", "hte_Longitude", "hte_Latitude", "hte_Description",
		"spl_Objectives", "spl_ActionPlan",
	}
}

// Redact returns copies of recs without PersonalFields.
func Redact(recs []Record) []Record {
	out := make([]Record, len(recs))
	personal := PersonalFields()
	for i, r := range recs {
		vals := make(map[string]string, len(r.Values))
		for k, v := range r.Values {
			if !contains(personal, k) {
				vals[k] = v
			}
		}
		out[i] = Record{Line: r.Line, Values: vals}
	}
	return out
}
