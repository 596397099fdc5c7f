// Package htcds writes the victim case records of a training scenario as a
// CSV file in the Human Trafficking Case Data Standard 2.0 (HTCDS, by IOM,
// CC BY 4.0): the exact field names of the standard as header, in its order,
// values from its code lists, one row per (possible) victim.
package htcds

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/synth/truth"
)

// FileName is the name of the CSV written under Params.Dir.
const FileName = "victims.csv"

// Victim is one (possible) victim of the story.
type Victim struct {
	Person           string // person ID
	CaseID           string // HTCDS case identifier
	Gender           string // HTCDS code list value
	BirthDate        time.Time
	Citizenship      string   // ISO 3166 alpha-2
	Exploitation     []string // "sexual", "labour", "begging"
	MethodsOfControl []string // free labels mapped to HTCDS values
	Recruited        time.Time
	RecruitCountry   string
	ExploitCountry   string
	Identified       time.Time
}

// Suspect is one suspect of the story's network; suspects appear in each
// victim's row through the perpetrator fields (per_RoleInProcess,
// per_RoleDetails), since HTCDS is victim-centric.
type Suspect struct {
	Person      string
	Gender      string
	Role        string // recruiter, controller, transporter, financier, advertiser, buyer
	Citizenship string
}

// Params says what to write and where.
type Params struct {
	Dir, Prefix string
	Victims     []Victim
	Suspects    []Suspect
}

// Result lists the files written and one RecordRef per victim row.
type Result struct {
	Files   []string
	Records []truth.RecordRef
}

// Generate writes Dir/victims.csv. The output depends only on p: the few
// values the story does not give (status, referral organisation, ...) are
// drawn from a generator seeded by a hash of the victim's person ID.
func Generate(p Params) (*Result, error) {
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("htcds: %w", err)
	}
	rows, err := buildRows(p)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(p.Dir, FileName)
	if err := writeCSV(name, rows); err != nil {
		return nil, fmt.Errorf("htcds: %w", err)
	}
	rel := relPath(p.Prefix, FileName)
	res := &Result{Files: []string{rel}}
	for i, v := range p.Victims {
		res.Records = append(res.Records, truth.RecordRef{
			File:    rel,
			Locator: "line:" + strconv.Itoa(i+2),
			Kind:    "case_record",
			Person:  v.Person,
		})
	}
	return res, nil
}

// relPath joins the case-relative prefix and a file name with "/".
func relPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return strings.TrimSuffix(prefix, "/") + "/" + name
}

// buildRows validates the input and returns the header and one row per victim.
func buildRows(p Params) ([][]string, error) {
	fields := Fields()
	col := make(map[string]int, len(fields))
	for i, f := range fields {
		col[f] = i
	}
	perRoles, perDetails, err := perpetratorCells(p.Suspects)
	if err != nil {
		return nil, err
	}
	rows := [][]string{fields}
	for i, v := range p.Victims {
		row := make([]string, len(fields))
		set := func(f, val string) { row[col[f]] = val }
		if err := fillVictim(set, v); err != nil {
			return nil, fmt.Errorf("htcds: victim %d (%s): %w", i, v.Person, err)
		}
		set("per_RoleInProcess", perRoles)
		set("per_RoleDetails", perDetails)
		rows = append(rows, row)
	}
	return rows, nil
}

// writeCSV writes rows to name through a buffered writer.
func writeCSV(name string, rows [][]string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// perpetratorCells returns per_RoleInProcess (union of the suspects' roles,
// in code-list order) and per_RoleDetails (who holds which role).
func perpetratorCells(suspects []Suspect) (string, string, error) {
	byRole := suspectRoles()
	seen := map[string]bool{}
	var details []string
	for _, s := range suspects {
		codes, ok := byRole[strings.ToLower(s.Role)]
		if !ok {
			return "", "", rastro.Errorf(rastro.EINVALID, "htcds: suspect %s: unknown role %q", s.Person, s.Role)
		}
		for _, c := range codes {
			seen[c] = true
		}
		details = append(details, s.Person+" ("+s.Role+", "+strings.Join(codes, "/")+")")
	}
	var roles []string
	for _, c := range roleOrder() {
		if seen[c] {
			roles = append(roles, c)
		}
	}
	return strings.Join(roles, MultiSep), strings.Join(details, "; "), nil
}

// fillVictim sets the victim's cells through set.
func fillVictim(set func(field, value string), v Victim) error {
	gender, ok := genders()[strings.ToLower(strings.TrimSpace(v.Gender))]
	if !ok {
		return rastro.Errorf(rastro.EINVALID, "unknown gender %q: use an HTCDS prs_Gender value", v.Gender)
	}
	exploit, err := exploitationCell(v)
	if err != nil {
		return err
	}
	r := personRand(v.Person)
	fillOrg(set, r, v.ExploitCountry)
	set("prs_Birthdate", date(v.BirthDate))
	set("prs_Gender", gender)
	set("prs_Deceased", "false")
	set("prs_PrimaryLanguage", "spa")
	set("prs_Citizenship", strings.ToUpper(v.Citizenship))
	set("prs_MailingCountry", strings.ToUpper(v.Citizenship))
	fillVictimContext(set, r, v, exploit)
	fillCase(set, r, v)
	fillEvent(set, v)
	set("spl_Type", pickSupport(v))
	set("spl_Objectives", "Safe accommodation, medical and psychological care, legal advice.")
	set("spl_PlannedEndDate", date(v.Identified.AddDate(0, 6, 0)))
	set("con_Consent", strconv.FormatBool(r.IntN(5) != 0))
	return nil
}

// fillVictimContext sets the vic_ fields.
func fillVictimContext(set func(string, string), r *rand.Rand, v Victim, exploit []string) {
	status, decider := "PossibleVictimOfTrafficking", ""
	if r.IntN(2) == 0 {
		status = "ActualVictimOfTrafficking"
		decider = []string{"Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization"}[r.IntN(4)]
	}
	set("vic_TraffickingStatus", status)
	set("vic_TraffickingStatusDecisionMakingOrg", decider)
	set("vic_RelationshipToTrafficker", []string{"Acquainted", "Unaquainted", "Familial"}[r.IntN(3)])
	if age := ageAt(v.BirthDate, v.Recruited); age >= 0 {
		set("vic_AgeWhenTrafficked", strconv.Itoa(age))
	}
	set("vic_MethodsOfControl", strings.Join(controlCell(v.MethodsOfControl), MultiSep))
	set("vic_TypeOfExploitation", strings.Join(exploit, MultiSep))
	if slices.Contains(exploit, "SexualExploitation") {
		set("vic_TypeOfSexExploitation", "Prostitution")
		set("vic_MethodOfRecruitment", "ThroughOnlineSocialNetworks")
		set("vic_RecruitmentWebsitesAndApps", "Facebook;WhatsApp")
		set("vic_ExploitationWebsitesAndApps", "WhatsApp;Telegram")
	} else {
		set("vic_MethodOfRecruitment", "ThroughAnOnlineAdvertisement")
		set("vic_RecruitmentWebsitesAndApps", "Facebook")
	}
	if slices.Contains(exploit, "ForcedLabour") {
		set("vic_ForcedLabourIndustry", []string{"A_AgricultureForestryAndFishing", "F_Construction",
			"I_AccommodationAndFoodServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers"}[r.IntN(4)])
	}
}

// fillCase sets the cas_ and cco_ fields.
func fillCase(set func(string, string), r *rand.Rand, v Victim) {
	set("cas_Status", []string{"Active", "Active", "FollowUp"}[r.IntN(3)])
	set("cas_IncomingReferralDate", date(v.Identified))
	set("cas_ReasonForIncomingReferral", "AdditionalServicesRequired")
	set("cas_IncomingReferralDetails", "Identified during a joint operation; referred for assistance.")
	set("cco_CaseComment", "Case "+v.CaseID+". Fictional training record generated by Rastro.")
}

// fillEvent sets the hte_ fields to the victim's Recruitment event; a flat
// row holds one event, so Transit and Exploitation go into the description.
func fillEvent(set func(string, string), v Victim) {
	set("hte_Type", "Recruitment")
	set("hte_Date", date(v.Recruited))
	set("hte_Country", strings.ToUpper(v.RecruitCountry))
	desc := "Recruitment in " + strings.ToUpper(v.RecruitCountry) + " on " + date(v.Recruited)
	if v.ExploitCountry != "" && !strings.EqualFold(v.ExploitCountry, v.RecruitCountry) {
		desc += "; Transit to " + strings.ToUpper(v.ExploitCountry)
	}
	desc += "; Exploitation in " + strings.ToUpper(v.ExploitCountry) + " until identification on " + date(v.Identified) + "."
	set("hte_Description", desc)
}

// fillOrg sets the org_ fields to the fictional organisation that holds the record.
func fillOrg(set func(string, string), r *rand.Rand, country string) {
	names := []string{"Fundación Puerto Seguro (ficticia)", "Red Refugio Esperanza (ficticia)", "Casa Alianza Demo (ficticia)"}
	set("org_Name", names[r.IntN(len(names))])
	set("org_ShippingCountry", strings.ToUpper(country))
	set("org_Type", "NGO")
}

// exploitationCell maps the victim's purposes onto vic_TypeOfExploitation.
// A child in forced labour is also recorded under ChildLabour.
func exploitationCell(v Victim) ([]string, error) {
	m := exploitationTypes()
	seen := map[string]bool{}
	for _, e := range v.Exploitation {
		c, ok := m[strings.ToLower(strings.TrimSpace(e))]
		if !ok {
			return nil, rastro.Errorf(rastro.EINVALID, "unknown exploitation %q: use sexual, labour or begging", e)
		}
		seen[c] = true
	}
	if seen["ForcedLabour"] {
		if age := ageAt(v.BirthDate, v.Recruited); age >= 0 && age < 18 {
			seen["ChildLabour"] = true
		}
	}
	var out []string
	for _, c := range []string{"ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude", "ForcedBegging"} {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out, nil
}

// controlCell maps free labels onto vic_MethodsOfControl, in code-list order.
func controlCell(labels []string) []string {
	m := controlMethods()
	seen := map[string]bool{}
	for _, l := range labels {
		key := strings.ToLower(strings.TrimSpace(l))
		if c, ok := m[key]; ok {
			seen[c] = true
		} else if c, ok := m[strings.ReplaceAll(key, " ", "")]; ok {
			seen[c] = true
		} else if key != "" {
			seen["Other"] = true
		}
	}
	var out []string
	for _, c := range controlOrder() {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// pickSupport chooses the support plan type matching the exploitation.
func pickSupport(v Victim) string {
	for _, e := range v.Exploitation {
		if strings.EqualFold(e, "sexual") {
			return "SexualExploitationRehabilitation"
		}
	}
	return "LabourExploitationRehabilitation"
}

// ageAt returns the age in whole years at t, or -1 when either date is unknown.
func ageAt(birth, t time.Time) int {
	if birth.IsZero() || t.IsZero() {
		return -1
	}
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

// date formats t as an ISO 8601 date, "" when zero.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// personRand returns a generator seeded by the person ID, so each row is
// stable whatever the order of the other victims.
func personRand(person string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(person))
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}
