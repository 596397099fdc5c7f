package resolve

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold lowercases s, removes accents (é → e, ñ → n, ü → u) and turns every
// character that is neither a letter nor a digit into a space.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			switch {
			case r >= 'A' && r <= 'Z':
				b.WriteByte(byte(r) + 32)
			case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteByte(byte(r))
			default:
				b.WriteByte(' ')
			}
			continue
		}
		if f, ok := foldTable[unicode.ToLower(r)]; ok {
			b.WriteString(f)
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// foldTable folds the accented letters of Spanish, Portuguese, French and
// German names to ASCII.
var foldTable = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ñ': "n", 'ç': "c", 'ý': "y", 'ÿ': "y", 'ß': "ss", 'æ': "ae", 'œ': "oe",
}

// tokens folds s and splits it into words, dropping Spanish surname
// particles (de, del, la, los, y) so "Pérez de la Cruz" and "Perez Cruz"
// meet.
func tokens(s string) []string {
	var out []string
	for _, t := range strings.Fields(fold(s)) {
		if !particles[t] {
			out = append(out, t)
		}
	}
	return out
}

var particles = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "y": true, "e": true, "van": true, "von": true, "da": true, "dos": true}

// canonicalGiven maps a folded given name to its full form when it is a
// known nickname or diminutive, else returns it unchanged.
func canonicalGiven(t string) string {
	if c, ok := nicknames[t]; ok {
		return c
	}
	return t
}

// nicknames maps Spanish and English diminutives to the full given name
// (folded). Ambiguous ones (Beto: Alberto or Roberto) take the commoner.
var nicknames = map[string]string{
	// Spanish
	"pepe": "jose", "pepito": "jose", "chepe": "jose", "jose": "jose", "chema": "jose",
	"paco": "francisco", "pancho": "francisco", "paquito": "francisco", "kiko": "francisco", "curro": "francisco",
	"lupe": "guadalupe", "lupita": "guadalupe", "chuy": "jesus", "chucho": "jesus", "chus": "jesus",
	"memo": "guillermo", "guille": "guillermo", "lalo": "eduardo", "nacho": "ignacio",
	"tono": "antonio", "tonio": "antonio", "toni": "antonio", "beto": "roberto", "tito": "alberto",
	"quique": "enrique", "kike": "enrique", "rafa": "rafael", "manolo": "manuel", "manu": "manuel",
	"meche": "mercedes", "charo": "rosario", "chayo": "rosario", "concha": "concepcion", "conchita": "concepcion",
	"pili": "pilar", "lola": "dolores", "loli": "dolores", "maite": "maria", "mari": "maria", "marisol": "marisol",
	"goyo": "gregorio", "chelo": "consuelo", "chava": "salvador", "chabela": "isabel", "chabelita": "isabel",
	"fito": "adolfo", "poncho": "alfonso", "licha": "alicia", "moncho": "ramon", "nando": "fernando",
	"fer": "fernando", "juanjo": "juan", "juancho": "juan", "juanito": "juan", "lucho": "luis",
	"tere": "teresa", "male": "maria", "carmencita": "carmen", "chente": "vicente", "santi": "santiago",
	"rosy": "rosa", "susi": "susana", "vero": "veronica", "gaby": "gabriela", "dani": "daniel",
	"alex": "alejandro", "ale": "alejandra", "fabi": "fabiola", "cata": "catalina", "yoli": "yolanda",
	"nati": "natalia", "ceci": "cecilia", "pati": "patricia", "paty": "patricia", "chalo": "gonzalo",
	// English
	"bill": "william", "billy": "william", "will": "william", "willy": "william", "liam": "william",
	"bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
	"dick": "richard", "rick": "richard", "ricky": "richard", "rich": "richard",
	"jim": "james", "jimmy": "james", "jamie": "james", "mike": "michael", "mick": "michael", "mickey": "michael",
	"tom": "thomas", "tommy": "thomas", "tony": "anthony", "kate": "katherine", "katie": "katherine",
	"kathy": "katherine", "cathy": "katherine", "kat": "katherine", "liz": "elizabeth", "lizzie": "elizabeth",
	"beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth", "peggy": "margaret", "maggie": "margaret",
	"meg": "margaret", "sue": "susan", "susie": "susan", "jen": "jennifer", "jenny": "jennifer",
	"chris": "christopher", "dave": "david", "davy": "david", "dan": "daniel", "danny": "daniel",
	"joe": "joseph", "joey": "joseph", "jack": "john", "johnny": "john", "jon": "john", "steve": "stephen",
	"stevie": "stephen", "sam": "samuel", "sammy": "samuel", "ted": "edward", "ed": "edward", "eddie": "edward",
	"ned": "edward", "matt": "matthew", "nick": "nicholas", "pat": "patrick", "paddy": "patrick",
	"andy": "andrew", "drew": "andrew", "ben": "benjamin", "benny": "benjamin", "charlie": "charles",
	"chuck": "charles", "harry": "henry", "hank": "henry", "larry": "lawrence", "jerry": "gerald",
	"greg": "gregory", "fred": "frederick", "freddie": "frederick", "abby": "abigail", "becky": "rebecca",
	"debbie": "deborah", "ellie": "eleanor", "nell": "eleanor", "jess": "jessica", "jessie": "jessica",
	"mandy": "amanda", "nicky": "nicola", "vicky": "victoria", "tori": "victoria", "alfie": "alfred",
	"archie": "archibald", "ollie": "oliver", "olly": "oliver", "josh": "joshua", "zach": "zachary",
	"theo": "theodore", "izzy": "isabella", "bella": "isabella", "evie": "eve", "millie": "amelia",
}

// nameParts splits a record's name fields into given names and surnames.
// With first_name/last_name the split is given; with a full name only, the
// first token is the given name (two when the name has four or more
// tokens, as in "María José Pérez González") and the rest are surnames.
func nameParts(first, last, full []string) (given, surnames []string) {
	for _, f := range first {
		given = append(given, tokens(f)...)
	}
	for _, l := range last {
		surnames = append(surnames, tokens(l)...)
	}
	if len(given) > 0 || len(surnames) > 0 || len(full) == 0 {
		return given, surnames
	}
	t := tokens(full[0])
	switch {
	case len(t) == 1:
		return t, nil
	case len(t) >= 4:
		return t[:2], t[2:]
	default:
		return t[:1], t[1:]
	}
}

// digits returns the digits of s.
func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// normIdentifier normalises one identifier of the given field so that equal
// identifiers compare equal.
func normIdentifier(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case FieldPhone:
		d := digits(v)
		if len(d) < 6 {
			return ""
		}
		return d
	case FieldEmail:
		return strings.ToLower(v)
	case FieldHandle:
		v = strings.ToLower(strings.TrimPrefix(v, "@"))
		if i := strings.IndexByte(v, ':'); i >= 0 {
			v = v[:i+1] + strings.TrimPrefix(v[i+1:], "@")
		}
		return v
	case FieldWallet:
		return strings.TrimSpace(v) // case matters in base58 addresses
	default: // IBAN, document: letters and digits, upper case
		return strings.ToUpper(strings.ReplaceAll(fold(v), " ", ""))
	}
}

// normDate returns the digits of a date written year first (YYYYMMDD), or
// "" when it does not look like one.
func normDate(v string) string {
	d := digits(v)
	if len(d) != 8 {
		return ""
	}
	return d
}
