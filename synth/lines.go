package synth

// Message templates. Placeholders are expanded by script.expand:
//   {PH} a phone of the sender      {PT} a phone of a third suspect
//   {EM} the sender's e-mail        {IB} the sender's bank account / IBAN
//   {WA} the sender's wallet        {CARD} a payment card
//   {HD} the sender's handle        {DECOY} a mistyped (invalid) phone
//   {CITY} destination city         {BORDER} border town
//   {NAME} the other's first name   {AMT} an amount      {N} a small number
// A "\n" inside a template makes a multi-line message.

var recruitOffer = []string{
	"Hola {NAME} 😊 te escribo por lo del trabajo que te comenté",
	"hay trabajo en el norte, pagan bien, {AMT} dólares al mes 💵",
	"es de mesera en un restaurante en {CITY}, casa y comida incluida",
	"buscamos chicas para modelaje y fotos, muy buena paga 📸",
	"trabajo en una maquila en {CITY}, te pagan el pasaje y todo",
	"hey {NAME}, job in {CITY} cleaning hotels, good money, no papers needed",
	"la agencia cubre el viaje, después lo pagas con tu trabajo",
	"no le digas a tu mamá todavía, es sorpresa 🤫",
	"si te interesa escribime a este otro número {PH}",
	"mandame foto de tu DPI/cédula para el registro",
	"mi correo es {EM} por si querés mandar los datos",
	"también me encontrás en insta {HD}",
}

var victimReplies = []string{
	"ok", "y es seguro?", "cuánto pagan?", "mi mamá no quiere que vaya", "está bien, acepto",
	"a qué hora sale el bus?", "no tengo pasaporte", "gracias 🙏", "tengo miedo", "sí, ya estoy lista",
	"where do I stay?", "ok cuando me pagan", "ya no tengo saldo", "me quitaron el teléfono un rato",
	"quiero regresar a mi casa", "no me dejan salir", "cuánto debo todavía?",
}

var logistics = []string{
	"el bus sale mañana a las {N} de la terminal, no lleves mucha cosa",
	"en {BORDER} te espera el muchacho, se llama el Primo",
	"cruzamos de noche por el río, no hay migra a esa hora",
	"ya está pagado el hotel en {CITY}, cuarto {N}",
	"llegan {N} paquetes el viernes a {CITY}",
	"the van leaves at 4am, bring the girls to the gas station",
	"pasá por ellas a la terminal de {BORDER}\nllevá el carro blanco\nno el rojo",
	"hotel paid, room {N}, check-in under my name",
	"el coyote cobra {AMT} por cabeza",
	"llamame al {PT} cuando estés en la frontera",
}

var control = []string{
	"tus papeles los tengo yo, así nadie te los roba",
	"me debés {AMT} del viaje, más la comida y el cuarto",
	"la cuota de hoy son {N} clientes, si no no comés",
	"no podés salir sola, es peligroso aquí",
	"quota today is {AMT}, no excuses",
	"el pasaporte se queda conmigo hasta que pagues la deuda",
	"si hablás con alguien sabemos dónde vive tu familia",
	"hoy te toca el semáforo de la avenida, {N} horas, traé lo del día",
	"en la finca se trabaja de 5 a 7, sin quejas",
}

var moneyLines = []string{
	"mandá lo de la semana a esta cuenta {IB}",
	"deposita en {IB} a nombre de mi prima",
	"send it to the wallet {WA} usdt trc20 mejor",
	"btc a {WA} y me avisás",
	"pagá el anuncio con la tarjeta {CARD}",
	"ya te transferí {AMT}, confirmá",
	"partí el depósito en varios de menos de 9000 para que no pregunten",
	"número nuevo {PH}, el otro ya no lo uso",
	"este es el bueno {DECOY} perdón me equivoqué",
	"escribile al de los anuncios: {PT}",
	"el correo para los anuncios es {EM}",
}

var chatter = []string{
	"jajaja", "ok", "va", "dale 👍", "buenos días", "buenas noches", "ya comiste?", "qué hacés?",
	"en el trabajo", "llegué", "ya voy", "te llamo al rato", "no hay señal aquí", "ando en el bus",
	"lol", "see you later", "happy birthday!! 🎂🎉", "gracias mami ❤️", "cómo está la abuela?",
	"hoy juega el equipo ⚽", "qué calor 🥵", "está lloviendo full", "mañana hay clases?",
	"mandame la receta", "ya pagaste la luz?", "ok np", "vamos a la iglesia el domingo",
	"se fue la luz otra vez", "pasame el número del doctor", "traé tortillas", "👍", "😂😂",
	"no way", "sí claro", "a qué hora?", "ahorita no puedo", "ya salí", "miss you", "cuidate mucho",
	"qué bonito 😍", "mirá este video", "felicidades!!", "ya está la comida", "voy tarde 😅",
}

var chatterLong = []string{
	"mirá te cuento que ayer fuimos al mercado y estaba lleno, no había parqueo y tuvimos que dejar el carro lejos",
	"la reunión de padres es el jueves a las 6, dice la profe que lleven el cuaderno firmado",
	"hey, can you pick up the kids today? I'm stuck at work until late",
	"se me olvidó decirte que tu tía viene el sábado, hay que limpiar el cuarto de atrás",
	"el bus de las 7 ya no pasa por la colonia, ahora hay que caminar hasta la gasolinera",
}

var groupTitles = []string{"Familia 👨‍👩‍👧", "Fútbol domingo ⚽", "Iglesia jóvenes", "Vecinos colonia", "Trabajo turno B", "Compañeros 5to", "Las primas 💕"}
