package synth

// city is a real city (a public fact) with approximate coordinates.
type city struct {
	Name     string
	Country  string
	Lat, Lon float64
	Border   bool // a border crossing town
}

// countryZones maps each scenario country to the IANA zone of its main cities.
var countryZones = map[string]string{
	"GT": "America/Guatemala", "SV": "America/El_Salvador", "HN": "America/Tegucigalpa",
	"NI": "America/Managua", "CR": "America/Costa_Rica", "PA": "America/Panama",
	"DO": "America/Santo_Domingo", "MX": "America/Mexico_City", "US": "America/Chicago",
}

// cityZones overrides countryZones where a city lies in another zone.
var cityZones = map[string]string{
	"Tijuana": "America/Tijuana", "Cancún": "America/Cancun", "Houston": "America/Chicago",
	"Los Angeles": "America/Los_Angeles", "New York": "America/New_York", "Miami": "America/New_York",
}

// countryPhoneCode is the calling code, used to write numbers in national form.
var countryPhoneCode = map[string]string{
	"GT": "502", "SV": "503", "HN": "504", "NI": "505", "CR": "506", "PA": "507",
	"DO": "1", "MX": "52", "US": "1",
}

var cities = []city{
	{"Ciudad de Guatemala", "GT", 14.6349, -90.5069, false},
	{"Quetzaltenango", "GT", 14.8347, -91.5180, false},
	{"Escuintla", "GT", 14.3050, -90.7850, false},
	{"Tecún Umán", "GT", 14.6770, -92.1420, true},
	{"San Salvador", "SV", 13.6929, -89.2182, false},
	{"Santa Ana", "SV", 13.9942, -89.5597, false},
	{"San Miguel", "SV", 13.4833, -88.1833, false},
	{"Tegucigalpa", "HN", 14.0723, -87.1921, false},
	{"San Pedro Sula", "HN", 15.5042, -88.0250, false},
	{"Choluteca", "HN", 13.3007, -87.1908, false},
	{"Managua", "NI", 12.1140, -86.2362, false},
	{"León", "NI", 12.4379, -86.8780, false},
	{"San José", "CR", 9.9281, -84.0907, false},
	{"Limón", "CR", 9.9907, -83.0360, false},
	{"Paso Canoas", "CR", 8.5333, -82.8333, true},
	{"Ciudad de Panamá", "PA", 8.9824, -79.5199, false},
	{"Colón", "PA", 9.3592, -79.9014, false},
	{"Santo Domingo", "DO", 18.4861, -69.9312, false},
	{"Santiago de los Caballeros", "DO", 19.4517, -70.6970, false},
	{"Puerto Plata", "DO", 19.7934, -70.6884, false},
	{"Tapachula", "MX", 14.9031, -92.2575, true},
	{"Ciudad de México", "MX", 19.4326, -99.1332, false},
	{"Monterrey", "MX", 25.6866, -100.3161, false},
	{"Tijuana", "MX", 32.5149, -117.0382, true},
	{"Cancún", "MX", 21.1619, -86.8515, false},
	{"Houston", "US", 29.7604, -95.3698, false},
	{"Los Angeles", "US", 34.0522, -118.2437, false},
	{"Miami", "US", 25.7617, -80.1918, false},
	{"New York", "US", 40.7128, -74.0060, false},
}

// originCountries are the Central American and Caribbean countries a network
// can recruit in or pass through.
var originCountries = []string{"GT", "SV", "HN", "NI", "CR", "PA", "DO"}

// citiesOf returns the indexes of the cities in country, optionally only border towns.
func citiesOf(country string, border bool) []int {
	var out []int
	for i, c := range cities {
		if c.Country == country && (!border || c.Border) {
			out = append(out, i)
		}
	}
	return out
}

// zoneOf returns the IANA zone of a city.
func zoneOf(c city) string {
	if z, ok := cityZones[c.Name]; ok {
		return z
	}
	return countryZones[c.Country]
}
