package ads

import "strings"

// Slots a template can hold; the generator fills each per ad.
const (
	sLit = iota
	sName
	sAge
	sCity
	sPrice
	sPhone
	sPhone2
	sHandle
	sEmail
	sEmoji
	sEmoji2
	sOnion
	sDest
	sSalary
	sItem
	sCond
	sCar
	sYear
	sKm
	sRooms
	sZone
	sJob
	sGadget
	nSlots
)

// slotNames maps the "{name}" markers of template text to slots.
func slotNames() map[string]int {
	return map[string]int{
		"name": sName, "age": sAge, "city": sCity, "price": sPrice, "phone": sPhone, "phone2": sPhone2,
		"handle": sHandle, "email": sEmail, "emoji": sEmoji, "emoji2": sEmoji2, "onion": sOnion,
		"dest": sDest, "salary": sSalary, "item": sItem, "cond": sCond, "car": sCar, "year": sYear,
		"km": sKm, "rooms": sRooms, "zone": sZone, "job": sJob, "gadget": sGadget,
	}
}

// seg is one piece of a parsed template: literal text or a slot.
type seg struct {
	lit  string
	slot int
}

// template is an ad text with slots, reused by one or more posters.
type template struct {
	id, category, lang string
	dark               bool // a dark-web listing
	title, body        []seg
}

// parse splits text at its "{slot}" markers.
func parse(text string, names map[string]int) []seg {
	var out []seg
	for text != "" {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			out = append(out, seg{lit: text})
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			panic("ads: unclosed template slot in " + text) // templates are compiled in; a typo is a bug
		}
		slot, ok := names[text[i+1:i+j]]
		if !ok {
			panic("ads: bad template slot in " + text) // templates are compiled in; a typo is a bug
		}
		if i > 0 {
			out = append(out, seg{lit: text[:i]})
		}
		out = append(out, seg{slot: slot})
		text = text[i+j+1:]
	}
	return out
}

// rawTemplate is a template before parsing: id, category, language, title, body.
type rawTemplate struct{ id, category, lang, title, body string }

// storyTemplates returns the text templates of organisations by purpose.
// The wording follows patterns documented in anti-trafficking guidance
// (new-in-town and age claims, 24/7 availability, deceptive job offers with
// paid travel and no experience needed); the text is kept non-explicit.
func storyTemplates(purpose string) []rawTemplate {
	switch purpose {
	case "labour":
		return []rawTemplate{
			{"lb-1", "empleos", "es", "TRABAJO EN EE.UU. 🇺🇸 buen salario, viaje pagado",
				"Se buscan personas de 18 a 35 años para trabajar en {dest} en construcción, limpieza y restaurantes.\nBuen salario {salary} dólares a la semana, viaje pagado, no se requiere experiencia ni papeles, nosotros arreglamos todo.\nInteresados escribir al {phone} o al correo {email}"},
			{"lb-2", "empleos", "es", "Empleo para señoritas en {dest} {emoji}",
				"Se necesitan meseras y edecanes, jóvenes de 16 años en adelante. Hospedaje y comida incluidos, pago semanal {salary} USD.\nViaje pagado desde {city}. Info por WhatsApp {phone} {emoji}"},
			{"lb-3", "empleos", "es", "Trabajo agrícola temporada {dest} - pasaje incluido",
				"Contratamos trabajadores para cosecha en {dest}. Transporte, vivienda y papeles por cuenta de la empresa, se descuenta del salario despues.\nSalida desde {city} esta semana. Llamar {phone} o escribir a @{handle}"},
		}
	case "begging":
		return []rawTemplate{
			{"bg-1", "empleos", "es", "Se buscan jóvenes para ventas en {dest}",
				"Oportunidad para jóvenes y niños con permiso de sus papás: venta de dulces y artesanías en {dest}. Pago diario, hospedaje y comida incluidos, viaje pagado.\nInformes {phone}"},
			{"bg-2", "empleos", "es", "Trabajo fácil para familias {emoji}",
				"Familias con niños pequeños, trabajo en la calle en {dest}, ganancias diarias garantizadas. Nosotros damos transporte y cuarto.\nEscribir al {phone}"},
		}
	}
	return []rawTemplate{
		{"sx-1", "acompanantes", "es", "{emoji} {name} nueva en la ciudad {emoji}",
			"Hola amores, soy {name}, {age} años, recién llegada a {city} {emoji}\nDisponible 24/7, trato de novia, ambiente discreto y seguro.\nSolo mensajes: {phone}\n{emoji2} Precio especial hoy {price} {emoji2}"},
		{"sx-2", "acompanantes", "es", "{name} {age} añitos {emoji} {city}",
			"Nueva nueva {emoji} chica linda y cariñosa, {age} añitos, primera vez en {city}.\nAtiendo hotel y domicilio, disponible 24/7.\nWhatsApp {phone} {emoji2} Telegram @{handle} {emoji2} {price}"},
		{"sx-3", "acompanantes", "es", "Jovencitas recién llegadas a {city} {emoji}",
			"Agencia VIP {emoji} chicas nuevas cada semana, latinas y centroamericanas de {age} años.\nCitas 24/7 en hotel. Reservas: {phone} / {phone2} o {email}\nPago por adelantado {price} {emoji2}"},
		{"sx-4", "escorts", "en", "{emoji} NEW IN TOWN {emoji} sweet latina {name} {age}",
			"Hi gentlemen, just arrived in {city}! Available 24/7 incall/outcall {emoji2}\nText only {phone}, no blocked numbers.\n{price} special today {emoji}"},
		{"dk-1", "listing", "es", "{name} - {city} - verificada",
			"Nuevas chicas disponibles en {city} {emoji}. Contacto seguro solo por nuestra página {onion}.\nPago en cripto, {price} por cita. Edad {age}."},
	}
}

// backgroundTemplates returns ordinary classified ads: furniture, cars,
// rentals, real jobs, electronics and services.
func backgroundTemplates() []rawTemplate {
	return []rawTemplate{
		{"bk-mueble-1", "muebles", "es", "Vendo {item} en buen estado",
			"Vendo {item}, {cond}. Precio {price} negociable.\nEntrega en {city}, zona {zone}. Llamar al {phone}."},
		{"bk-mueble-2", "muebles", "es", "{item} - oferta por mudanza",
			"Por mudanza vendo {item} ({cond}). {price}. Solo interesados, whatsapp {phone}"},
		{"bk-auto-1", "autos", "es", "{car} {year} {km} km",
			"Vendo {car} año {year}, {km} km, papeles al día, único dueño. {price} o mejor oferta.\nSe puede ver en {city}. Tel. {phone}"},
		{"bk-alq-1", "alquileres", "es", "Alquilo apartamento {rooms} habitaciones en {zone}",
			"Apartamento de {rooms} habitaciones, 1 baño, parqueo, agua incluida, {zone}, {city}.\nRenta mensual {price}, depósito y fiador. Información {phone} o {email}"},
		{"bk-job-1", "empleos", "es", "Se busca {job} - {city}",
			"Empresa establecida busca {job}. Requisitos: mayor de edad, documentos en regla, experiencia mínima de 1 año.\nSalario según ley más prestaciones. Enviar CV a {email}"},
		{"bk-job-2", "empleos", "es", "Plaza de {job}, horario de lunes a viernes",
			"Se contrata {job} para sucursal en {city}. Contrato por escrito, seguro social, pago quincenal.\nPresentarse con DPI/cédula y solvencia. Consultas al {phone}"},
		{"bk-elec-1", "electronica", "es", "Vendo {gadget} como nuevo",
			"{gadget} usado pocas veces, {cond}, con caja y cargador. {price}. Entrego en {city}. {phone}"},
		{"bk-serv-1", "servicios", "es", "Clases de inglés y matemáticas a domicilio",
			"Profesora con experiencia da clases particulares en {city}, zona {zone}. {price} la hora. Llamar {phone}"},
		{"bk-serv-2", "servicios", "es", "Plomería y electricidad 24 horas",
			"Reparaciones de plomería y electricidad en {city} y alrededores. Presupuesto sin compromiso. {phone}"},
		{"bk-en-1", "for-sale", "en", "{item} for sale - great condition",
			"Selling my {item}, {cond}. {price} firm. Pick up in {city}. Call or text {phone}"},
	}
}

// Word lists for background slots and story slots.
func wordLists() [nSlots][]string {
	var w [nSlots][]string
	w[sName] = []string{"Luna", "Sofi", "Valeria", "Camila", "Dani", "Yuli", "Paola", "Kati", "Mia", "Abril", "Nicol", "Estrella"}
	w[sAge] = []string{"18", "19", "19", "20", "21", "22"}
	w[sEmoji] = []string{"🌹", "💋", "✨", "🔥", "💖", "🍒", "😘"}
	w[sEmoji2] = []string{"🌹🌹", "💋💋", "✨✨", "⭐", "💎", "👑"}
	w[sItem] = []string{"sofá de 3 plazas", "comedor de 6 sillas", "cama matrimonial", "refrigeradora", "ropero de madera",
		"escritorio", "lavadora", "bicicleta de montaña", "microondas"}
	w[sGadget] = []string{"celular Samsung A15", "laptop Lenovo", "televisor 50 pulgadas", "tablet", "consola de videojuegos", "audífonos inalámbricos"}
	w[sCond] = []string{"poco uso", "como nuevo", "buen estado", "detalles mínimos", "funciona perfecto"}
	w[sCar] = []string{"Toyota Corolla", "Toyota Hilux", "Nissan Sentra", "Honda Civic", "Mitsubishi L200", "Hyundai Tucson", "Kia Rio", "Mazda 3"}
	w[sYear] = []string{"2008", "2011", "2013", "2015", "2016", "2018", "2019", "2021"}
	w[sKm] = []string{"85,000", "120,000", "64,500", "150,000", "98,000", "43,200"}
	w[sRooms] = []string{"1", "2", "2", "3"}
	w[sZone] = []string{"norte", "sur", "centro", "zona 10", "zona 1", "residencial Las Flores", "colonia Escalón", "barrio San Juan"}
	w[sJob] = []string{"cajero/a", "bodeguero", "secretaria recepcionista", "mecánico automotriz", "vendedor de ruta", "cocinero/a", "guardia de seguridad", "contador junior"}
	w[sSalary] = []string{"500", "600", "700", "800", "900"}
	w[sDest] = []string{"Houston", "Los Angeles", "Miami", "Atlanta", "New York", "Monterrey", "Cancún"}
	return w
}

// compile parses raw templates.
func compile(raw []rawTemplate) []template {
	names := slotNames()
	out := make([]template, len(raw))
	for i, t := range raw {
		out[i] = template{id: t.id, category: t.category, lang: t.lang, dark: strings.HasPrefix(t.id, "dk-"),
			title: parse(t.title, names), body: parse(t.body, names)}
	}
	return out
}

// misspellings are the spelling variants posters use to dodge keyword
// filters; each organisation applies its own subset.
func misspellings() [][2]string {
	return [][2]string{
		{"nueva", "nueba"}, {"disponible", "disponivle"}, {"llegada", "yegada"}, {"años", "anos"},
		{"cariñosa", "cariñosita"}, {"WhatsApp", "Wsp"}, {"whatsapp", "wasap"}, {"ciudad", "cd"},
		{"trabajo", "trabajoo"}, {"experiencia", "experiensia"}, {"Trabajo", "TRABAJO"},
		{"mensajes", "msj"}, {"viaje", "biaje"}, {"chicas", "chikas"}, {"hotel", "hotell"},
	}
}
