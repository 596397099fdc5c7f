package ads

import "strings"

// city is a place where ads are posted.
type city struct {
	name, country, slug string
}

// cities lists the places background ads use, by country (GT SV HN NI CR PA
// DO MX US); story orgs name their own cities, looked up here for the country.
func cities() []city {
	raw := [...][2]string{
		{"Ciudad de Guatemala", "GT"}, {"Quetzaltenango", "GT"}, {"Escuintla", "GT"}, {"Huehuetenango", "GT"},
		{"San Salvador", "SV"}, {"Santa Ana", "SV"}, {"San Miguel", "SV"},
		{"Tegucigalpa", "HN"}, {"San Pedro Sula", "HN"}, {"La Ceiba", "HN"},
		{"Managua", "NI"}, {"León", "NI"}, {"Granada", "NI"},
		{"San José", "CR"}, {"Alajuela", "CR"}, {"Liberia", "CR"}, {"Limón", "CR"},
		{"Ciudad de Panamá", "PA"}, {"Colón", "PA"}, {"David", "PA"},
		{"Santo Domingo", "DO"}, {"Santiago de los Caballeros", "DO"}, {"Punta Cana", "DO"}, {"Puerto Plata", "DO"},
		{"Tapachula", "MX"}, {"Ciudad de México", "MX"}, {"Tijuana", "MX"}, {"Cancún", "MX"}, {"Monterrey", "MX"},
		{"Houston", "US"}, {"Los Angeles", "US"}, {"Miami", "US"}, {"New York", "US"}, {"Atlanta", "US"},
	}
	out := make([]city, len(raw))
	for i, c := range raw {
		out[i] = city{c[0], c[1], string(slug(nil, []byte(c[0]), 8))}
	}
	return out
}

// lookupCity finds a city by name (case and accents ignored); when unknown it
// keeps the name and takes the country from fallback.
func lookupCity(all []city, name, fallback string) city {
	key := string(slug(nil, []byte(name), 8))
	for _, c := range all {
		if c.slug == key {
			return c
		}
	}
	return city{name: name, country: fallback, slug: key}
}

// currency is how prices are written in a country.
type currency struct {
	code, symbol string
	scale        int // local units per US dollar, roughly
}

// currencyOf returns the currency used in ads of country.
func currencyOf(country string) currency {
	switch country {
	case "GT":
		return currency{"GTQ", "Q", 8}
	case "HN":
		return currency{"HNL", "L", 25}
	case "NI":
		return currency{"NIO", "C$", 37}
	case "CR":
		return currency{"CRC", "₡", 500}
	case "DO":
		return currency{"DOP", "RD$", 60}
	case "MX":
		return currency{"MXN", "$", 18}
	}
	return currency{"USD", "$", 1}
}

// callingCodes maps E.164 country calling codes to regions; "1" is the
// NANP shared by the US and the Dominican Republic (area codes decide).
func callingCodes() [][2]string {
	return [][2]string{{"502", "GT"}, {"503", "SV"}, {"504", "HN"}, {"505", "NI"}, {"506", "CR"},
		{"507", "PA"}, {"52", "MX"}, {"44", "GB"}, {"34", "ES"}, {"1", "US"}}
}

// splitE164 returns the calling code, national number and region of an
// E.164 number ("", digits, "" when the code is unknown).
func splitE164(e164 string) (cc, national, region string) {
	d := strings.TrimPrefix(e164, "+")
	for _, c := range callingCodes() {
		if strings.HasPrefix(d, c[0]) {
			region = c[1]
			if c[0] == "1" && len(d) > 4 && (d[1:4] == "809" || d[1:4] == "829" || d[1:4] == "849") {
				region = "DO"
			}
			return c[0], d[len(c[0]):], region
		}
	}
	return "", d, ""
}

// slug appends a URL slug of s (ASCII, lower-case, '-' separated, at most
// words words) to dst.
func slug(dst []byte, s []byte, words int) []byte {
	start, dash, n := len(dst), false, 0
	for _, c := range string(s) {
		b, ok := foldRune(c)
		if !ok {
			if len(dst) > start {
				dash = true
			}
			continue
		}
		if dash {
			if n++; n >= words {
				break
			}
			dst = append(dst, '-')
			dash = false
		}
		dst = append(dst, b)
	}
	return dst
}

// foldRune maps letters and digits to lower-case ASCII, folding Spanish accents.
func foldRune(c rune) (byte, bool) {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return byte(c), true
	case c >= 'A' && c <= 'Z':
		return byte(c) + 32, true
	}
	switch c {
	case 'á', 'Á':
		return 'a', true
	case 'é', 'É':
		return 'e', true
	case 'í', 'Í':
		return 'i', true
	case 'ó', 'Ó':
		return 'o', true
	case 'ú', 'Ú', 'ü':
		return 'u', true
	case 'ñ', 'Ñ':
		return 'n', true
	}
	return 0, false
}
