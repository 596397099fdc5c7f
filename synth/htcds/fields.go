package htcds

// Fields returns the HTCDS 2.0 field names ("Field Name including Prefix"),
// in the order of the standard's field table: every field that carries a
// system name, DEPRECATED ones included, so that a file written with this
// header round-trips through any importer of the 2.0 standard.
//
// Source: Human Trafficking Case Data Standard (HTCDS) by IOM, CC BY 4.0,
// "HTCDS Field Standards 2.0" (UNMigration/HTCDS@3c2f6537). No IOM
// endorsement implied. The list is embedded so the generator needs no file
// at run time; the test compares it with the standard's CSV when present.
func Fields() []string {
	return []string{
		"org_Name", "org_ShippingCity", "org_ShippingCountry", "org_ShippingState",
		"org_ShippingStreet", "org_ShippingPostalCode", "org_ShippingLongitude",
		"org_ShippingLatitude", "org_Phone", "org_Type",
		"prs_Salutation", "prs_FirstName", "prs_MiddleName", "prs_SecondName",
		"prs_Birthdate", "prs_Gender", "prs_Deceased", "prs_MaritalStatus",
		"prs_NumberOfChildren", "prs_PrimaryLanguage", "prs_SecondaryLanguage",
		"prs_HighestLevelOfEducation", "prs_Citizenship", "prs_IdentityNumber",
		"prs_Title", "prs_Email", "prs_HomePhone", "prs_MobilePhone",
		"prs_MailingCity", "prs_MailingCountry", "prs_MailingState",
		"prs_MailingStreet", "prs_MailingPostalCode", "prs_MailingLongitude",
		"prs_MailingLatitude",
		"vic_AgreementToManagePersonalData", "vic_TraffickingStatus",
		"vic_TraffickingStatusDecisionMakingOrg", "vic_RelationshipToTrafficker",
		"vic_AgeWhenTrafficked", "vic_RecruitmentWebsitesAndApps",
		"vic_MethodOfRecruitment", "vic_LocationOfRecruitment",
		"vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
		"vic_TypeOfSexExploitation", "vic_LocationOfExploitation",
		"vic_ExploitationWebsitesAndApps", "vic_Vulnerabilities",
		"vic_DetailsOfVulnerabilities",
		"per_RoleInProcess", "per_RoleDetails",
		"cas_Status", "cas_ReasonForCaseClosure", "cas_CaseOwner",
		"cas_ReferringOrganisation", "cas_IncomingReferralDate",
		"cas_ReferringPrimaryCaseWorker", "cas_ReasonForIncomingReferral",
		"cas_IncomingReferralDetails", "cas_ReferredOrganisation",
		"cas_ReferredPrimaryCaseWorker", "cas_ReasonForOutgoingReferral",
		"cas_OutgoingReferralDate", "cas_OutgoingReferralDetails",
		"cco_CaseComment",
		"hte_Longitude", "hte_Latitude", "hte_City", "hte_Country", "hte_State",
		"hte_Street", "hte_PostalCode", "hte_Date", "hte_Type", "hte_Description",
		"spl_Objectives", "spl_ActionPlan", "spl_PlannedEndDate", "spl_ActualEndDate",
		"spl_Type",
		"con_Consent",
	}
}

// MultiSep separates the values of a multiselect picklist inside one cell,
// as Salesforce (the standard's reference platform) exports them.
const MultiSep = ";"

// Gender values of prs_Gender (HTCDS 2.0 code list).
const (
	GenderFeminine             = "Feminine"
	GenderMasculine            = "Masculine"
	GenderTransgenderFeminine  = "TransgenderFeminine"
	GenderTransgenderMasculine = "TransgenderMasculine"
	GenderNonConforming        = "NonConforming"
	GenderUnknown              = "NonSpecifiedUnknown"
)

// genders maps accepted spellings onto the prs_Gender code list.
func genders() map[string]string {
	return map[string]string{
		"feminine": GenderFeminine, "female": GenderFeminine, "f": GenderFeminine, "woman": GenderFeminine, "girl": GenderFeminine, "mujer": GenderFeminine,
		"masculine": GenderMasculine, "male": GenderMasculine, "m": GenderMasculine, "man": GenderMasculine, "boy": GenderMasculine, "hombre": GenderMasculine,
		"transgenderfeminine": GenderTransgenderFeminine, "transgendermasculine": GenderTransgenderMasculine,
		"nonconforming": GenderNonConforming, "nonspecifiedunknown": GenderUnknown, "unknown": GenderUnknown, "": GenderUnknown,
	}
}

// exploitationTypes maps the story's purposes onto vic_TypeOfExploitation.
func exploitationTypes() map[string]string {
	return map[string]string{
		"sexual": "SexualExploitation", "sexualexploitation": "SexualExploitation",
		"labour": "ForcedLabour", "labor": "ForcedLabour", "forcedlabour": "ForcedLabour",
		"begging": "ForcedBegging", "forcedbegging": "ForcedBegging",
		"childlabour": "ChildLabour", "servitude": "Servitude", "forcedmarriage": "ForcedMarriage",
	}
}

// controlMethods maps free labels (ILO indicator wording, Spanish and the
// CTDC names that 2.0 dropped) onto the vic_MethodsOfControl code list.
// Labels it does not know become "Other".
func controlMethods() map[string]string {
	return map[string]string{
		"physicalthreats": "PhysicalThreats", "threats": "PhysicalThreats", "threat": "PhysicalThreats", "amenazas": "PhysicalThreats",
		"threatslawenforcement": "ThreatsLawEnforcement", "threats of denunciation": "ThreatsLawEnforcement", "deportation threats": "ThreatsLawEnforcement",
		"threatenschildrenfamily": "ThreatensChildrenFamily", "threats to family": "ThreatensChildrenFamily",
		"debtbondage": "DebtBondage", "debt": "DebtBondage", "deuda": "DebtBondage", "debt bondage": "DebtBondage",
		"falsepromises": "FalsePromises", "deceptive recruitment": "FalsePromises", "deception": "FalsePromises", "false promises": "FalsePromises",
		"physicalabuse": "PhysicalAbuse", "violence": "PhysicalAbuse", "physical abuse": "PhysicalAbuse",
		"sexualabuse": "SexualAbuse", "sexual abuse": "SexualAbuse",
		"takesearnings": "TakesEarnings", "takes earnings": "TakesEarnings", "withheld wages": "TakesEarnings", "withholding of wages": "TakesEarnings",
		"restrictsfinancialaccess": "RestrictsFinancialAccess",
		"restrictsmedicalcare":     "RestrictsMedicalCare",
		"withholdsnecessities":     "WithholdsNecessities",
		"psychologicalabuse":       "PsychologicalAbuse", "isolation": "PsychologicalAbuse", "psychological abuse": "PsychologicalAbuse",
		"psychoactivesubstance": "PsychoactiveSubstance", "drugs": "PsychoactiveSubstance",
		"excessiveworkinghours": "ExcessiveWorkingHours", "excessive hours": "ExcessiveWorkingHours", "excessive working hours": "ExcessiveWorkingHours",
		"withholdsdocuments": "WithholdsDocuments", "confiscated documents": "WithholdsDocuments", "documents": "WithholdsDocuments", "passport": "WithholdsDocuments",
		"restrictsmovement": "PsychologicalAbuse", "restricted movement": "PsychologicalAbuse",
	}
}

// controlOrder is the code-list order of vic_MethodsOfControl; multiselect
// cells list their values in this order.
func controlOrder() []string {
	return []string{"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily",
		"DebtBondage", "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings",
		"RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities",
		"PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
		"WithholdsDocuments", "Other"}
}

// roleOrder is the code-list order of per_RoleInProcess.
func roleOrder() []string {
	return []string{"TravellingPartner", "Transporter", "RecruiterOrIntermediary",
		"BrokerTravelAgent", "TransferredIndividual", "HarbouredIndividual",
		"SoldIndividual", "BoughtIndividual", "ReceivedIndividual",
		"ControlledIndividual", "Smuggler", "Abuser", "Kidnapper", "Exploiter", "Other"}
}

// suspectRoles maps the story's suspect roles onto per_RoleInProcess.
// A "buyer" of sexual services is an Abuser in HTCDS terms (not the
// BoughtIndividual role, which means buying the victim).
func suspectRoles() map[string][]string {
	return map[string][]string{
		"recruiter":   {"RecruiterOrIntermediary"},
		"controller":  {"ControlledIndividual", "Exploiter"},
		"exploiter":   {"Exploiter"},
		"transporter": {"Transporter"},
		"financier":   {"Other"},
		"advertiser":  {"Other"},
		"buyer":       {"Abuser"},
	}
}
