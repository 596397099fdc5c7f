package screen

import "strings"

// messages are the words of the summaries, in English and Spanish.
func messages(lang string) map[string]string {
	if lang == "es" {
		return map[string]string{
			"present": "Indicadores de trata presentes", "not_present": "Indicadores de trata no presentes",
			"some":       "Algunos indicadores de trata presentes",
			"adult_rule": "regla para personas adultas", "child_rule": "regla para niñas, niños y adolescentes, edad %d en el momento de los hechos",
			"none": "ningún indicador de acto, medio o fin", "indicated": "indicado(s)", "no_indicator": "ningún indicador de %s registrado",
			"or": " o ", "act": "acto", "means": "medio", "purpose": "fin",
			"disclaimer": "Solo una herramienta de identificación preliminar: no es una determinación jurídica de la condición de víctima ni de ningún delito. Decide una autoridad competente; mientras tanto, la persona tiene derecho a asistencia y protección.",
		}
	}
	return map[string]string{
		"present": WordingPresent, "not_present": WordingNotPresent, "some": WordingPossible,
		"adult_rule": "adult rule", "child_rule": "child rule, age %d at the time of the events",
		"none": "none of act, means or purpose indicated", "indicated": "indicated", "no_indicator": "no indicator of %s recorded",
		"or": " or ", "act": "act", "means": "means", "purpose": "purpose", "disclaimer": Disclaimer,
	}
}

// codeNamesES renders the element codes in Spanish.
func codeNamesES() map[string]string {
	return map[string]string{
		ActRecruitment: "captación", ActTransportation: "transporte", ActTransfer: "traslado",
		ActHarbouring: "acogida", ActReceipt: "recepción",
		MeansThreat: "amenaza", MeansForce: "uso de la fuerza", MeansCoercion: "coacción", MeansAbduction: "rapto",
		MeansFraud: "fraude", MeansDeception: "engaño", MeansAbuseOfPower: "abuso de poder o de una situación de vulnerabilidad",
		MeansPaymentToCtrl: "pagos a quien tiene autoridad sobre la persona",
		PurposeSexual:      "explotación sexual", PurposeForcedLabour: "trabajos o servicios forzados",
		PurposeSlavery: "esclavitud o prácticas análogas", PurposeServitude: "servidumbre", PurposeOrgans: "extracción de órganos",
		PurposeBegging: "mendicidad forzada", PurposeCriminality: "actividades delictivas forzadas", PurposeMarriage: "matrimonio forzado",
		PurposeAdoption: "adopción ilegal", PurposeChildLabour: "peores formas de trabajo infantil",
		PurposeSurrogacy: "gestación subrogada forzada", PurposeMilitary: "reclutamiento armado forzado",
	}
}

// codeText renders a code in lang.
func codeText(code, lang string) string {
	if lang == "es" {
		if s, ok := codeNamesES()[code]; ok {
			return s
		}
	}
	return strings.ReplaceAll(code, "_", " ")
}

// SummaryIn returns the result's one-line summary in lang ("es" for
// Spanish, English otherwise), and the disclaimer to show with it.
func (r PalermoResult) SummaryIn(lang string) (summary, disclaimer string) {
	return summaryIn(r, lang), messages(lang)["disclaimer"]
}
