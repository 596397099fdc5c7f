package screen

// FactsFromInterview turns the yes-answers of an ILO interview into Palermo
// answers, so that one interview drives both screenings: an indicator of a
// recruitment dimension indicates the act of recruitment and, by its
// dimension, a means (deception, coercion, abuse of vulnerability); one of
// exploitative conditions indicates the purpose (sexual exploitation or
// forced labour, by profile); one of coercion or abuse of vulnerability at
// destination indicates a means. The age is not part of the interview: set
// Facts.StatedAge or BirthDate/EventDate before calling Palermo.
func FactsFromInterview(ind *Indicators, iv *Interview) Facts {
	purpose := PurposeForcedLabour
	if iv.Profile == AdultSexual || iv.Profile == ChildSexual {
		purpose = PurposeSexual
	}
	byDim := map[string][]mapped{
		DimDeceptiveRecruitment: {{ElementAct, ActRecruitment}, {ElementMeans, MeansDeception}},
		DimCoerciveRecruitment:  {{ElementAct, ActRecruitment}, {ElementMeans, MeansCoercion}},
		DimRecruitmentAbuse:     {{ElementAct, ActRecruitment}, {ElementMeans, MeansAbuseOfPower}},
		DimExploitation:         {{ElementPurpose, purpose}},
		DimCoercionDestination:  {{ElementMeans, MeansCoercion}},
		DimAbuseDestination:     {{ElementMeans, MeansAbuseOfPower}},
	}
	var f Facts
	for _, d := range ind.Dimensions {
		for _, it := range d.Indicators {
			if iv.Answers[it.ID] != Yes {
				continue
			}
			for _, m := range byDim[d.ID] {
				f.Answers = append(f.Answers, Answer{Element: m.el, Code: m.code, Source: "ilo:" + it.ID})
			}
		}
	}
	return f
}
