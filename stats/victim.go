package stats

import (
	"strconv"
	"strings"
	"time"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/htcds"
)

// Unknown is the category of a missing value.
const Unknown = "Unknown"

// Victim is one (possible) victim reduced to CTDC-style variables: every
// value is a category, so that each victim falls in exactly one cell of any
// cross-tabulation.
type Victim map[string]string

// Dimensions lists the CTDC variable names a release may cross.
func Dimensions() []string {
	return []string{"yearOfRegistration", "gender", "ageBroad", "majorityStatusAtExploit",
		"citizenship", "CountryOfExploitation", "isForcedLabour", "isSexualExploit", "isOtherExploit",
		"meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises",
		"meansDrugsAlcohol", "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs"}
}

// means maps the CTDC synthetic-data means variables onto the
// vic_MethodsOfControl codes they combine (ctdc_columns_and_htcds_mapping).
func means() map[string][]string {
	return map[string][]string{
		"meansDebtBondageEarnings": {"DebtBondage", "TakesEarnings"},
		"meansThreats":             {"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "UsesChildren"},
		"meansAbusePsyPhySex":      {"PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse"},
		"meansFalsePromises":       {"FalsePromises"},
		"meansDrugsAlcohol":        {"PsychoactiveSubstance"},
		"meansDenyBasicNeeds":      {"WithholdsNecessities", "RestrictsMedicalCare", "RestrictsFinancialAccess"},
		"meansExcessiveWorkHours":  {"ExcessiveWorkingHours"},
		"meansWithholdDocs":        {"WithholdsDocuments"},
	}
}

// IsVictimRecord reports whether an HTCDS record describes a possible or
// actual victim (the population CTDC counts).
func IsVictimRecord(r htcds.Record) bool {
	s := r.Get("vic_TraffickingStatus")
	return s == "PossibleVictimOfTrafficking" || s == "ActualVictimOfTrafficking"
}

// FromHTCDS maps an HTCDS record onto CTDC variables.
func FromHTCDS(r htcds.Record) Victim {
	v := Victim{}
	v["yearOfRegistration"] = yearOf(r.Get("cas_IncomingReferralDate"), r.Get("hte_Date"))
	v["gender"] = ctdcGender(r.Get("prs_Gender"))
	age, ok := ageOf(r)
	v["ageBroad"], v["majorityStatusAtExploit"] = Unknown, Unknown
	if ok {
		v["ageBroad"] = AgeBroad(age)
		v["majorityStatusAtExploit"] = "Adult"
		if age < 18 {
			v["majorityStatusAtExploit"] = "Minor"
		}
	}
	v["citizenship"] = orUnknown(first(r.Multi("prs_Citizenship")))
	v["CountryOfExploitation"] = Unknown
	if r.Get("hte_Type") == "Exploitation" && r.Get("hte_Country") != "" {
		v["CountryOfExploitation"] = strings.ToUpper(r.Get("hte_Country"))
	}
	types := r.Multi("vic_TypeOfExploitation")
	v["isForcedLabour"] = flag(has(types, "ForcedLabour", "ChildLabour"))
	v["isSexualExploit"] = flag(has(types, "SexualExploitation"))
	v["isOtherExploit"] = flag(has(types, "ForcedMarriage", "Servitude", "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption", "Surrogacy", "Other"))
	control := r.Multi("vic_MethodsOfControl")
	for name, codes := range means() {
		v[name] = flag(has(control, codes...))
	}
	return v
}

// AgeBroad returns the CTDC age band of an age in years.
func AgeBroad(age int) string {
	bands := []struct {
		max  int
		name string
	}{{8, "0--8"}, {17, "9--17"}, {20, "18--20"}, {23, "21--23"}, {26, "24--26"}, {29, "27--29"}, {38, "30--38"}, {47, "39--47"}}
	for _, b := range bands {
		if age <= b.max {
			return b.name
		}
	}
	return "48+"
}

// ageOf returns the age when trafficked: stated, or from birth and event date.
func ageOf(r htcds.Record) (int, bool) {
	if n, err := strconv.Atoi(r.Get("vic_AgeWhenTrafficked")); err == nil && n >= 0 {
		return n, true
	}
	b, err1 := time.Parse(time.DateOnly, r.Get("prs_Birthdate"))
	e, err2 := time.Parse(time.DateOnly, r.Get("hte_Date"))
	if err1 != nil || err2 != nil {
		return 0, false
	}
	age := e.Year() - b.Year()
	if e.Month() < b.Month() || (e.Month() == b.Month() && e.Day() < b.Day()) {
		age--
	}
	return age, true
}

// ctdcGender maps prs_Gender onto the CTDC categories.
func ctdcGender(g string) string {
	switch g {
	case "Feminine":
		return "Woman"
	case "Masculine":
		return "Man"
	case "TransgenderFeminine", "TransgenderMasculine", "NonConforming":
		return "Trans/Transgender/NonConforming"
	}
	return Unknown
}

// yearOf returns the year of the first non-empty ISO date.
func yearOf(dates ...string) string {
	for _, d := range dates {
		if len(d) >= 4 {
			if _, err := strconv.Atoi(d[:4]); err == nil {
				return d[:4]
			}
		}
	}
	return Unknown
}

func has(values []string, any ...string) bool {
	for _, v := range values {
		for _, a := range any {
			if v == a {
				return true
			}
		}
	}
	return false
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return strings.ToUpper(s)
}

// VictimsFromEntities reduces a case's (possible) victims to CTDC
// variables, through their HTCDS records (htcds.FromEntities). Personal data
// (the birth date, for the age band) is read in memory only and never
// leaves this function.
func VictimsFromEntities(ents []*rastro.Entity, links []*rastro.Link) []Victim {
	recs, _ := htcds.FromEntities(ents, links, htcds.ExportOptions{IncludePersonalData: true})
	var out []Victim
	for _, r := range recs {
		if IsVictimRecord(r) {
			out = append(out, FromHTCDS(r))
		}
	}
	return out
}
