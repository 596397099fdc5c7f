package synth

// The name lists are short on purpose: drawing from them repeatedly makes
// people share names, which is what identity resolution has to cope with.

var femaleNames = []string{
	"María", "Ana", "Sofía", "Valeria", "Camila", "Daniela", "Lucía", "Gabriela",
	"Andrea", "Paola", "Fernanda", "Jimena", "Karla", "Yesenia", "Marisol", "Dayana",
	"Jennifer", "Ashley", "Kimberly", "Brenda", "Stephanie", "Emily", "Nicole", "Tatiana",
}

var maleNames = []string{
	"José", "Juan", "Carlos", "Luis", "Jorge", "Miguel", "Kevin", "Brayan",
	"Óscar", "Mario", "Francisco", "Édgar", "Wilmer", "Henry", "Anthony", "Jonathan",
	"Erick", "Nelson", "Walter", "Ricardo", "Javier", "Christopher", "Danny", "Elvin",
}

var surnames = []string{
	"García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez", "Ramírez",
	"Flores", "Morales", "Castillo", "Reyes", "Cruz", "Ortiz", "Mejía", "Orellana",
	"Vásquez", "Aguilar", "Romero", "Jiménez", "Alvarado", "Mendoza", "Castro", "Rivera",
	"Smith", "Johnson", "Brown", "Williams",
}

var aliasWords = []string{
	"El Flaco", "La Güera", "El Chele", "La Jefa", "El Primo", "El Tío", "La Doña",
	"El Negro", "Chino", "Profe", "El Gordo", "La Flaca", "Cholo", "Don Chepe", "Mamá Lucha",
}

var orgWords = []string{"Estrella", "Luna", "Paraíso", "Oasis", "Diamante", "Aurora", "Palmeras", "Sol"}

var handleBases = []string{
	"luna", "estrella", "modelos", "trabajo", "empleos", "vip", "chamba", "norte",
	"angel", "reina", "bebe", "princesa", "jefe", "tigre", "nena", "dulce",
}
