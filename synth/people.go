package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/rastro/rastro/synth/ident"
)

// PeopleHeader is the header line of WritePeople's CSV: the record ID, the
// planted person (the truth, not to be compared) and the fields a
// resolution run compares.
var PeopleHeader = []string{"id", "person", "first_name", "last_name", "birth_date", "phone", "email", "city"}

// PeopleStats says what WritePeople planted.
type PeopleStats struct {
	Records    int `json:"records"`
	People     int `json:"people"`
	Duplicated int `json:"duplicated"` // people with more than one record
}

// WritePeople streams n fictional person records as CSV (PeopleHeader) for
// scale tests of identity resolution (`rastro resolve --in`). About one
// person in five has two to four records; the copies differ as records
// typed by different clerks do: nicknames (Pepe for José, Bill for
// William), dropped accents, a dropped second surname, swapped given name
// and surname, one-letter typos, a mistyped or missing date of birth, a
// missing or changed phone, an e-mail or not. Names are drawn from larger
// lists than the case generator's so that a million records make a
// plausible population; phones use the reserved +999 calling code and
// e-mails the RFC 2606 example domains, so nobody real is named or
// reachable. The same seed writes the same file.
func WritePeople(w io.Writer, n int, seed uint64) (PeopleStats, error) {
	r := rand.New(rand.NewPCG(seed, 0x9e0b1e))
	cw := csv.NewWriter(w)
	var st PeopleStats
	if err := cw.Write(PeopleHeader); err != nil {
		return st, fmt.Errorf("people: %w", err)
	}
	for st.Records < n {
		p := newPerson(r, st.People)
		copies := 1
		if r.IntN(5) == 0 {
			copies = 2 + r.IntN(3)
			st.Duplicated++
		}
		st.People++
		for c := 0; c < copies && st.Records < n; c++ {
			row := p.record(r, c > 0)
			row = append([]string{fmt.Sprintf("r%07d", st.Records), p.id}, row...)
			if err := cw.Write(row); err != nil {
				return st, fmt.Errorf("people: %w", err)
			}
			st.Records++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return st, fmt.Errorf("people: %w", err)
	}
	return st, nil
}

// person is one planted person.
type person struct {
	id, given, surname1, surname2, dob, phone, email, city string
}

func newPerson(r *rand.Rand, k int) person {
	p := person{id: fmt.Sprintf("p%07d", k)}
	hispanic := r.IntN(4) > 0
	if hispanic {
		p.given = pick(r, peopleGivenES)
		p.surname1, p.surname2 = pick(r, peopleSurnamesES), pick(r, peopleSurnamesES)
	} else {
		p.given = pick(r, peopleGivenEN)
		p.surname1 = pick(r, peopleSurnamesEN)
	}
	p.dob = fmt.Sprintf("%04d-%02d-%02d", 1945+r.IntN(62), 1+r.IntN(12), 1+r.IntN(28))
	p.phone = fmt.Sprintf("+999 %03d %06d", r.IntN(1000), r.IntN(1_000_000))
	p.email = ident.Email(r, p.given+"."+p.surname1+fmt.Sprint(r.IntN(1000)))
	p.city = pick(r, peopleCities)
	return p
}

// record returns first_name, last_name, birth_date, phone, email, city; a
// copy is a noisy retelling of the person.
func (p person) record(r *rand.Rand, copy bool) []string {
	given, last := p.given, strings.TrimSpace(p.surname1+" "+p.surname2)
	dob, phone, email, city := p.dob, p.phone, "", p.city
	if r.IntN(2) == 0 {
		email = p.email
	}
	if !copy {
		return []string{given, last, dob, phone, email, city}
	}
	if nick, ok := peopleNicknames[p.given]; ok && r.IntN(2) == 0 {
		given = nick[r.IntN(len(nick))]
	}
	if p.surname2 != "" && r.IntN(3) == 0 {
		last = p.surname1
	}
	if r.IntN(3) == 0 {
		given, last = stripAccents(given), stripAccents(last)
	}
	if r.IntN(6) == 0 {
		given = typo(r, given)
	}
	if r.IntN(6) == 0 {
		last = typo(r, last)
	}
	if r.IntN(25) == 0 {
		given, last = p.surname1, given
	}
	switch r.IntN(10) {
	case 0:
		dob = ""
	case 1:
		dob = dob[:8] + dob[9:] + dob[8:9] // day digits swapped
		if dob[8] == '0' && dob[9] == '0' || dob[8:] > "31" {
			dob = p.dob
		}
	}
	switch r.IntN(10) {
	case 0, 1:
		phone = ""
	case 2:
		phone = fmt.Sprintf("+999 %03d %06d", r.IntN(1000), r.IntN(1_000_000))
	case 3:
		phone = strings.ReplaceAll(phone, " ", "") // written without spaces
	}
	if r.IntN(8) == 0 {
		city = ""
	}
	return []string{given, last, dob, phone, email, city}
}

// typo changes one letter of s: a substitution, deletion, doubling or
// transposition.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 3 {
		return s
	}
	i := 1 + r.IntN(len(rs)-2)
	switch r.IntN(4) {
	case 0:
		rs[i] = rune('a' + r.IntN(26))
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	case 2:
		rs = append(rs[:i+1], rs[i:]...)
	default:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	return string(rs)
}

var accentStripper = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ñ", "N", "ü", "u")

func stripAccents(s string) string { return accentStripper.Replace(s) }

// peopleNicknames maps given names to nicknames clerks write instead.
var peopleNicknames = map[string][]string{
	"José": {"Pepe", "Chepe"}, "Francisco": {"Paco", "Pancho"}, "Guadalupe": {"Lupe", "Lupita"},
	"Jesús": {"Chuy", "Chucho"}, "Guillermo": {"Memo"}, "Eduardo": {"Lalo"}, "Ignacio": {"Nacho"},
	"Antonio": {"Toño", "Toni"}, "Roberto": {"Beto"}, "Enrique": {"Quique", "Kike"}, "Rafael": {"Rafa"},
	"Manuel": {"Manolo"}, "Rosario": {"Charo", "Chayo"}, "Dolores": {"Lola"}, "Gregorio": {"Goyo"},
	"Salvador": {"Chava"}, "Isabel": {"Chabela"}, "Alfonso": {"Poncho"}, "Fernando": {"Nando"},
	"Teresa": {"Tere"}, "Patricia": {"Paty"}, "Gabriela": {"Gaby"}, "Alejandro": {"Alex"},
	"William": {"Bill", "Will"}, "Robert": {"Bob", "Rob"}, "Richard": {"Rick", "Dick"},
	"James": {"Jim", "Jimmy"}, "Michael": {"Mike"}, "Thomas": {"Tom"}, "Elizabeth": {"Liz", "Beth"},
	"Margaret": {"Maggie", "Peggy"}, "Jennifer": {"Jenny"}, "Christopher": {"Chris"}, "David": {"Dave"},
	"Joseph": {"Joe"}, "Katherine": {"Kate", "Katie"}, "Daniel": {"Danny"}, "Anthony": {"Tony"},
}

var peopleGivenES = []string{
	"José", "Juan", "Carlos", "Luis", "Jorge", "Miguel", "Francisco", "Jesús", "Antonio", "Manuel",
	"Pedro", "Alejandro", "Fernando", "Ricardo", "Roberto", "Eduardo", "Javier", "Sergio", "Rafael", "Enrique",
	"Guillermo", "Ignacio", "Salvador", "Alfonso", "Gregorio", "Óscar", "Mario", "Édgar", "Wilmer", "Raúl",
	"Héctor", "Andrés", "Martín", "Julio", "César", "Rubén", "Arturo", "Alberto", "Hugo", "Víctor",
	"Gustavo", "Ramón", "Adrián", "Iván", "Diego", "Pablo", "Marco", "Ángel", "Gerardo", "Rodrigo",
	"Esteban", "Emilio", "Armando", "Orlando", "Nelson", "Walter", "Elvin", "Brayan", "Kevin", "Santiago",
	"María", "Ana", "Sofía", "Valeria", "Camila", "Daniela", "Lucía", "Gabriela", "Andrea", "Paola",
	"Fernanda", "Jimena", "Karla", "Yesenia", "Marisol", "Dayana", "Guadalupe", "Rosario", "Dolores", "Isabel",
	"Teresa", "Patricia", "Carmen", "Elena", "Verónica", "Claudia", "Mónica", "Silvia", "Beatriz", "Adriana",
	"Alejandra", "Natalia", "Mariana", "Leticia", "Lorena", "Gloria", "Sandra", "Rocío", "Inés", "Pilar",
	"Margarita", "Josefina", "Esperanza", "Raquel", "Irene", "Julia", "Cristina", "Alicia", "Susana", "Noemí",
	"Yolanda", "Catalina", "Cecilia", "Fabiola", "Ximena", "Belén", "Araceli", "Graciela", "Liliana", "Maribel",
}

var peopleGivenEN = []string{
	"William", "Robert", "Richard", "James", "Michael", "Thomas", "John", "David", "Joseph", "Christopher",
	"Daniel", "Anthony", "Matthew", "Andrew", "Steven", "Brian", "Kevin", "Jason", "Ryan", "Eric",
	"Elizabeth", "Margaret", "Jennifer", "Katherine", "Mary", "Linda", "Barbara", "Susan", "Jessica", "Sarah",
	"Karen", "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
	"Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Amy", "Angela",
}

var peopleSurnamesES = []string{
	"García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez", "Ramírez", "Flores", "Morales",
	"Castillo", "Reyes", "Cruz", "Ortiz", "Mejía", "Orellana", "Vásquez", "Aguilar", "Romero", "Jiménez",
	"Alvarado", "Mendoza", "Castro", "Rivera", "Sánchez", "Torres", "Díaz", "Gómez", "Ruiz", "Vargas",
	"Ramos", "Chávez", "Gutiérrez", "Medina", "Herrera", "Moreno", "Álvarez", "Muñoz", "Rojas", "Guerrero",
	"Contreras", "Salazar", "Estrada", "Figueroa", "Cabrera", "Navarro", "Campos", "Vega", "Ríos", "Molina",
	"Delgado", "Peña", "Sandoval", "Carrillo", "Domínguez", "Soto", "Guzmán", "Cortés", "Juárez", "Luna",
	"Ortega", "Rubio", "Marín", "Serrano", "Ibarra", "Maldonado", "Acosta", "Fuentes", "Valencia", "Cárdenas",
	"Escobar", "Zamora", "Velásquez", "Palacios", "Pineda", "Barrios", "Cordero", "Paredes", "Solís", "Quintero",
	"Bautista", "Benítez", "Bermúdez", "Calderón", "Cano", "Carmona", "Cisneros", "Córdoba", "Esquivel", "Espinoza",
	"Franco", "Galindo", "Gallardo", "Gallegos", "Garza", "Gil", "Hidalgo", "Lara", "León", "Lozano",
	"Macías", "Mata", "Mora", "Nájera", "Nieto", "Núñez", "Ochoa", "Olivares", "Osorio", "Pacheco",
	"Padilla", "Pizarro", "Ponce", "Quiroz", "Rosales", "Salas", "Santana", "Santos", "Sepúlveda", "Sierra",
	"Tapia", "Toledo", "Trejo", "Trujillo", "Urbina", "Valdez", "Valenzuela", "Villalobos", "Villanueva", "Zúñiga",
	"Aguirre", "Arévalo", "Ávila", "Bonilla", "Cáceres", "Duarte", "Echeverría", "Fajardo", "Godoy", "Henríquez",
	"Iglesias", "Lemus", "Lobos", "Mancía", "Montoya", "Murillo", "Ordóñez", "Portillo", "Saravia", "Zelaya",
}

var peopleSurnamesEN = []string{
	"Smith", "Johnson", "Brown", "Williams", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
	"Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
	"Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
	"Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker",
	"Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson",
}

var peopleCities = []string{
	"Ciudad de Guatemala", "Quetzaltenango", "Escuintla", "Tecún Umán", "San Salvador", "Santa Ana", "San Miguel",
	"Tegucigalpa", "San Pedro Sula", "Choluteca", "Managua", "León", "San José", "Ciudad de Panamá", "Colón",
	"Santo Domingo", "Santiago", "Ciudad de México", "Tapachula", "Tijuana", "Monterrey", "Guadalajara", "Cancún",
	"Houston", "Los Angeles", "New York", "Miami", "Chicago", "Dallas", "Atlanta",
}
