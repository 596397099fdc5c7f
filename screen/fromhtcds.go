package screen

import (
	"strconv"
	"strings"
	"time"
)

// mapped is what one HTCDS code indicates.
type mapped struct {
	el   Element
	code string
}

// htcdsMap maps HTCDS 2.0 field values (and the CTDC-style names that the
// field definitions still use) onto Palermo elements. Values mapped to
// nothing (ExcessiveWorkingHours: a condition of exploitation, not a means;
// "Other") are reported as notes for a caseworker to review.
func htcdsMap() map[string]map[string]mapped {
	return map[string]map[string]mapped{
		"hte_Type": {
			"Recruitment":  {ElementAct, ActRecruitment},
			"Transit":      {ElementAct, ActTransportation},
			"Exploitation": {ElementAct, ActHarbouring},
		},
		"per_RoleInProcess": {
			"RecruiterOrIntermediary": {ElementAct, ActRecruitment},
			"Transporter":             {ElementAct, ActTransportation},
			"TravellingPartner":       {ElementAct, ActTransportation},
			"BrokerTravelAgent":       {ElementAct, ActTransportation},
			"Smuggler":                {ElementAct, ActTransportation},
			"TransferredIndividual":   {ElementAct, ActTransfer},
			"SoldIndividual":          {ElementAct, ActTransfer},
			"BoughtIndividual":        {ElementAct, ActReceipt},
			"ReceivedIndividual":      {ElementAct, ActReceipt},
			"HarbouredIndividual":     {ElementAct, ActHarbouring},
			"ControlledIndividual":    {ElementAct, ActHarbouring},
			"Kidnapper":               {ElementMeans, MeansAbduction},
		},
		"vic_MethodsOfControl": {
			"PhysicalThreats":          {ElementMeans, MeansThreat},
			"ThreatsLawEnforcement":    {ElementMeans, MeansThreat},
			"ThreatOfLawEnforcement":   {ElementMeans, MeansThreat},
			"Threats":                  {ElementMeans, MeansThreat},
			"ThreatensChildrenFamily":  {ElementMeans, MeansThreat},
			"UsesChildren":             {ElementMeans, MeansThreat},
			"DebtBondage":              {ElementMeans, MeansCoercion},
			"FalsePromises":            {ElementMeans, MeansDeception},
			"PhysicalAbuse":            {ElementMeans, MeansForce},
			"SexualAbuse":              {ElementMeans, MeansForce},
			"TakesEarnings":            {ElementMeans, MeansCoercion},
			"RestrictsFinancialAccess": {ElementMeans, MeansCoercion},
			"RestrictsMedicalCare":     {ElementMeans, MeansCoercion},
			"WithholdsNecessities":     {ElementMeans, MeansCoercion},
			"PsychologicalAbuse":       {ElementMeans, MeansCoercion},
			"RestrictsMovement":        {ElementMeans, MeansCoercion},
			"WithholdsDocuments":       {ElementMeans, MeansCoercion},
			"PsychoactiveSubstance":    {ElementMeans, MeansAbuseOfPower},
			"PsychoactiveSubstances":   {ElementMeans, MeansAbuseOfPower},
		},
		"vic_TypeOfExploitation": {
			"SexualExploitation":             {ElementPurpose, PurposeSexual},
			"ForcedLabour":                   {ElementPurpose, PurposeForcedLabour},
			"ChildLabour":                    {ElementPurpose, PurposeChildLabour},
			"ForcedMarriage":                 {ElementPurpose, PurposeMarriage},
			"Servitude":                      {ElementPurpose, PurposeServitude},
			"ForcedMilitaryByNonStateActors": {ElementPurpose, PurposeMilitary},
			"OrganRemoval":                   {ElementPurpose, PurposeOrgans},
			"ForcedBegging":                  {ElementPurpose, PurposeBegging},
			"ForcedAdoption":                 {ElementPurpose, PurposeAdoption},
			"Surrogacy":                      {ElementPurpose, PurposeSurrogacy},
		},
		"vic_TypeOfSexExploitation": {
			"Prostitution":              {ElementPurpose, PurposeSexual},
			"Pornography":               {ElementPurpose, PurposeSexual},
			"RemoteInteractiveServices": {ElementPurpose, PurposeSexual},
			"PrivateSexualServices":     {ElementPurpose, PurposeSexual},
		},
	}
}

// FactsFromHTCDS builds Palermo facts from one HTCDS 2.0 record, given as
// field name (e.g. "vic_MethodsOfControl") to cell value; multiselect cells
// separate values with ";". It reads hte_Type, per_RoleInProcess,
// vic_MethodOfRecruitment, vic_MethodsOfControl, vic_TypeOfExploitation,
// vic_TypeOfSexExploitation, vic_ForcedLabourIndustry, prs_Birthdate,
// hte_Date and vic_AgeWhenTrafficked.
func FactsFromHTCDS(values map[string]string) Facts {
	var f Facts
	table := htcdsMap()
	for _, field := range []string{"hte_Type", "per_RoleInProcess", "vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_TypeOfSexExploitation"} {
		for _, v := range splitMulti(values[field]) {
			if m, ok := table[field][v]; ok {
				f.Answers = append(f.Answers, Answer{Element: m.el, Code: m.code, Source: field + "=" + v})
			} else {
				f.Notes = append(f.Notes, "Not mapped to an element, review: "+field+"="+v)
			}
		}
	}
	for _, v := range splitMulti(values["vic_MethodOfRecruitment"]) {
		f.Answers = append(f.Answers, Answer{Element: ElementAct, Code: ActRecruitment, Source: "vic_MethodOfRecruitment=" + v})
	}
	if v := strings.TrimSpace(values["vic_ForcedLabourIndustry"]); v != "" {
		f.Answers = append(f.Answers, Answer{Element: ElementPurpose, Code: PurposeForcedLabour, Source: "vic_ForcedLabourIndustry=" + v})
	}
	f.BirthDate = parseDate(values["prs_Birthdate"])
	f.EventDate = parseDate(values["hte_Date"])
	if n, err := strconv.Atoi(strings.TrimSpace(values["vic_AgeWhenTrafficked"])); err == nil && n >= 0 {
		f.StatedAge = &n
	}
	return f
}

// splitMulti splits a multiselect cell on ";" and trims the values.
func splitMulti(cell string) []string {
	var out []string
	for _, v := range strings.Split(cell, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseDate reads an ISO 8601 date, the zero time when empty or invalid.
func parseDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}
