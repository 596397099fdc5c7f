package roles

import (
	"strings"
	"unicode"
)

// fold lower-cases s, removes accents and maps every other non-letter,
// non-digit to a space, with a space at both ends so phrases can be
// matched on word boundaries (" tenes que ").
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range accents.Replace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// accents folds the accented letters of Spanish, Portuguese and French.
var accents = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n",
	"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ü", "u", "Ñ", "n", "à", "a", "è", "e", "ç", "c", "ã", "a", "õ", "o")

// matchAny reports whether folded text holds any of the phrases. A phrase
// ending in "*" matches as a word prefix ("deposit*" matches depositá and
// deposit); others match whole words.
func matchAny(text string, phrases []string) bool {
	for _, p := range phrases {
		if strings.HasSuffix(p, "*") {
			if strings.Contains(text, " "+p[:len(p)-1]) {
				return true
			}
		} else if strings.Contains(text, " "+p+" ") {
			return true
		}
	}
	return false
}

// Word lists, folded. Spanish includes voseo forms (tenés → tenes).
var (
	recruitWords = []string{
		"trabajo", "empleo", "chamba", "oferta", "oportunidad", "te interesa", "ganar*", "ganas", "pagan bien",
		"buen sueldo", "sueldo", "modelo*", "mesera", "nanera", "ninera", "te ayudo", "viaj*", "papeles", "visa",
		"job", "work", "opportunity", "salary", "good money", "modeling", "waitress", "nanny",
	}
	orderWords = []string{
		"tenes que", "tienes que", "tenes q", "tienes q", "vas a", "debes", "hace lo que", "haz lo que",
		"no salgas", "no salgas", "no podes salir", "no puedes salir", "quedate", "obedece*", "ya sabes",
		"a trabajar", "hoy te toca", "no hables", "calladita", "nadie sale", "sin permiso",
		"you have to", "you must", "do what", "don t leave", "you can t leave", "stay in", "no one leaves",
	}
	demandWords = []string{
		"deposit*", "mandame", "manda el", "pagame", "pagas", "me debes", "debes", "deuda", "cuota", "la plata",
		"el dinero", "lo que falta", "cobr*", "you owe", "pay me", "send the money", "the debt", "quota",
	}
	transportWords = []string{
		"terminal", "frontera", "pasa por", "recog*", "recoj*", "pick up", "pick them", "boleto*", "pasaje*",
		"cruzar", "cruzamos", "cruzan", "crucen", "cruce", "garita", "llevalas", "llevala", "traelas", "the van", "bring the", "border", "ticket*",
	}
	// tripWords describe a payment for moving people.
	tripWords = []string{
		"traslado*", "flete*", "viaje*", "cruce", "por cabeza", "por persona", "coyote", "trip*", "ride*", "transport fee*",
	}
	adWords = []string{
		"anuncio*", "publica*", "publique", "fotos para", "the ad", "ads", "post the", "posting", "listing",
	}
)

// ownContactWords introduce the writer's own phone, e-mail or handle ("mi
// correo es", "escribime a este otro número", "número nuevo"), folded. "Call
// me at" is left out: "llamame al +52... cuando llegues" often gives a third
// person's number.
var ownContactWords = []string{
	"mi correo", "mi numero", "mi mail", "mi email", "mi whats*", "mi insta*", "mi cel", "mi telefono",
	"escribime", "escribeme", "este otro numero", "numero nuevo", "me encontras", "me encuentras",
	"my number", "my new number", "my email", "my e mail", "text me at", "find me on",
}

// GivesOwnContact reports whether a message introduces its writer's own
// phone, e-mail or handle, so that the identifiers read from it are the
// sender's.
func GivesOwnContact(text string) bool { return matchAny(fold(text), ownContactWords) }

// merchantWords are the payee descriptions of each merchant category,
// after the rule pack money/rules/ht_redflags.json (ht.ad_payments,
// ht.living_costs), folded.
var merchantWords = []struct {
	category string
	words    []string
}{
	{CategoryAds, []string{"publicacion", "anuncio*", "classified*", "escort", "advertising", "posting fee", "prepago", "prepaid"}},
	{CategoryLodging, []string{"hospedaje", "hotel", "motel", "habitacion", "hostal"}},
	{CategoryTransport, []string{"boleto*", "pasajero*", "ticket*", "airline*", "bus", "transporte*", "aerolinea*"}},
}

// Category guesses a payee's merchant category from a payment
// description: CategoryAds, CategoryLodging, CategoryTransport, or "".
func Category(description string) string {
	text := fold(description)
	for _, m := range merchantWords {
		if matchAny(text, m.words) {
			return m.category
		}
	}
	return ""
}

// adWeight weighs an ad section: adult services 1, job offers 0.5, others 0.
func adWeight(category string) float64 {
	c := fold(category)
	switch {
	case c == " " || matchAny(c, []string{"escort*", "acompanante*", "masaje*", "adult*", "citas", "damas", "companion*", "dating"}):
		return 1
	case matchAny(c, []string{"empleo*", "trabajo*", "job*", "work"}):
		return 0.5
	}
	return 0
}
