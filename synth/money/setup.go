package money

import (
	"math/rand/v2"

	"github.com/rastro/rastro/synth/truth"
)

// world is the set of accounts and the pools the generators draw from.
type world struct {
	accts []acct
	// story roles (indices into accts)
	victims, controllers, financiers, advertisers, suspects, business []int
	transporters                                                      []int
	storyWallets                                                      map[string][]int // by kind, story suspects only
	// internal accounts
	mules                       []int
	adSites, hotels, buses, air []int
	prepaid, exchangeBank       int
	exchangeBTC, exchangeETH    int
	exchangeTron, darknet       int
	persons                     [][]int // background persons by country
	shops, employers, landlords [][]int
	utilities                   [][]int
	btcBG, ethBG, tronBG        []int
}

// add appends an account and returns its index.
func (w *world) add(a acct) int {
	w.accts = append(w.accts, a)
	return len(w.accts) - 1
}

// internal creates a non-story account.
func (w *world) internal(r *rand.Rand, id, role, kind, cc, name string) int {
	a := fillAccount(r, truth.Account{ID: id, Role: role, Kind: kind, Country: cc})
	a.name = name
	return w.add(a)
}

// buildWorld fills the story accounts and adds mules, merchants, exchanges
// and background holders. persons is the number of background persons.
func buildWorld(r *rand.Rand, story []truth.Account, persons int) *world {
	w := &world{storyWallets: map[string][]int{}}
	for _, s := range story {
		a := fillAccount(r, s)
		a.story = a.Holder != ""
		i := w.add(a)
		w.classify(i)
	}
	w.addMerchants(r)
	w.addBackground(r, persons)
	w.ensureStory(r)
	return w
}

// classify files a story account under its role.
func (w *world) classify(i int) {
	a := w.accts[i]
	if a.rail != railBank {
		if isSuspect(a.Role) {
			w.storyWallets[a.Kind] = append(w.storyWallets[a.Kind], i)
		}
		return
	}
	switch {
	case isVictim(a.Role):
		w.victims = append(w.victims, i)
	case a.Role == "business":
		w.business = append(w.business, i)
	case isSuspect(a.Role):
		w.suspects = append(w.suspects, i)
		switch a.Role {
		case "controller", "exploiter":
			w.controllers = append(w.controllers, i)
		case "financier":
			w.financiers = append(w.financiers, i)
		case "advertiser":
			w.advertisers = append(w.advertisers, i)
		case "transporter":
			w.transporters = append(w.transporters, i)
		}
	}
}

// addMerchants adds mules, ad sites, hotels, transport, exchanges.
func (w *world) addMerchants(r *rand.Rand) {
	for i, cc := range []string{"GT", "SV", "MX", "US", "DO", "CR", "HN", "PA"} {
		w.mules = append(w.mules, w.internal(r, idOf("mule", i+1), "mule", "bank", cc, ""))
	}
	for i, n := range []string{"ANUNCIOSVIP.EXAMPLE.COM", "CLASIFICADOS-NOCHE.EXAMPLE.NET", "NIGHTADS.EXAMPLE.ORG"} {
		w.adSites = append(w.adSites, w.internal(r, idOf("adsite", i+1), "business", "bank", "US", n))
	}
	for i, n := range []string{"HOTEL Y HABITACIONES LA PALMA", "MOTEL EJEMPLO LOS PINOS", "HOSPEDAJE FICTICIO EL SOL"} {
		w.hotels = append(w.hotels, w.internal(r, idOf("hotel", i+1), "business", "bank", []string{"GT", "MX", "CR"}[i], n))
	}
	for i, n := range []string{"TRANSPORTES ISTMO EJEMPLO", "BUSES DEL PACIFICO FICTICIO"} {
		w.buses = append(w.buses, w.internal(r, idOf("bus", i+1), "business", "bank", []string{"GT", "SV"}[i], n))
	}
	w.air = append(w.air, w.internal(r, idOf("airline", 1), "business", "bank", "PA", "AEROLINEA EJEMPLO"))
	w.prepaid = w.internal(r, idOf("prepaid", 1), "business", "bank", "US", "TARJETAS PREPAGO EJEMPLO")
	w.exchangeBank = w.internal(r, idOf("exchange", 1), "business", "bank", "PA", "CAMBIOS CRIPTO EJEMPLO")
	w.exchangeBTC = w.internal(r, idOf("exchange-btc", 1), "business", "btc", "", "")
	w.exchangeETH = w.internal(r, idOf("exchange-eth", 1), "business", "eth", "", "")
	w.exchangeTron = w.internal(r, idOf("exchange-tron", 1), "business", "tron", "", "")
	w.darknet = w.internal(r, idOf("darknet-svc", 1), "illicit_service", "btc", "", "")
}

// addBackground adds ordinary holders and businesses in every country.
func (w *world) addBackground(r *rand.Rand, persons int) {
	n := len(countries)
	w.persons, w.shops = make([][]int, n), make([][]int, n)
	w.employers, w.landlords, w.utilities = make([][]int, n), make([][]int, n), make([][]int, n)
	for c := range countries {
		cc := countries[c].code
		for k := range 2 {
			w.shops[c] = append(w.shops[c], w.internal(r, idOf("shop-"+cc, k+1), "business", "bank", cc, "SUPERMERCADO LA ECONOMIA "+cc+itoa(k+1)))
			w.employers[c] = append(w.employers[c], w.internal(r, idOf("employer-"+cc, k+1), "business", "bank", cc, "EMPRESA EJEMPLO "+cc+itoa(k+1)))
		}
		w.landlords[c] = append(w.landlords[c], w.internal(r, idOf("landlord-"+cc, 1), "business", "bank", cc, "INMOBILIARIA FICTICIA "+cc))
		w.utilities[c] = append(w.utilities[c], w.internal(r, idOf("utility-"+cc, 1), "business", "bank", cc, "SERVICIOS PUBLICOS EJEMPLO "+cc))
	}
	for i := range persons {
		c := i % n
		w.persons[c] = append(w.persons[c], w.internal(r, idOf("bg", i+1), "background", "bank", countries[c].code, ""))
	}
	for i := range 60 {
		w.btcBG = append(w.btcBG, w.internal(r, idOf("bg-btc", i+1), "background", "btc", "", ""))
	}
	for i := range 40 {
		w.ethBG = append(w.ethBG, w.internal(r, idOf("bg-eth", i+1), "background", "eth", "", ""))
		w.tronBG = append(w.tronBG, w.internal(r, idOf("bg-tron", i+1), "background", "tron", "", ""))
	}
}

// ensureStory makes sure every planted pattern has the accounts it needs,
// adding internal stand-ins when the story did not provide them.
func (w *world) ensureStory(r *rand.Rand) {
	if len(w.suspects) == 0 {
		i := w.internal(r, idOf("controller", 1), "controller", "bank", "GT", "")
		w.suspects, w.controllers = append(w.suspects, i), append(w.controllers, i)
	}
	if len(w.controllers) == 0 {
		w.controllers = []int{w.suspects[0]}
	}
	if len(w.financiers) == 0 {
		w.financiers = []int{w.suspects[len(w.suspects)-1]}
	}
	if len(w.advertisers) == 0 {
		w.advertisers = []int{w.controllers[0]}
	}
	if len(w.business) == 0 {
		w.business = []int{w.internal(r, idOf("front", 1), "business", "bank", w.accts[w.controllers[0]].Country, "BAR Y RESTAURANTE EJEMPLO")}
	}
	for k := len(w.victims); k < 3; k++ {
		w.victims = append(w.victims, w.internal(r, idOf("victim", k+1), "victim", "bank", w.accts[w.controllers[0]].Country, ""))
	}
	fin := w.accts[w.financiers[0]]
	for _, kind := range []string{"btc", "tron", "eth"} {
		if len(w.storyWallets[kind]) < 2 {
			for range 2 - len(w.storyWallets[kind]) {
				a := fillAccount(r, truth.Account{ID: idOf(fin.ID+"-"+kind, len(w.storyWallets[kind])+1), Holder: fin.Holder, Role: fin.Role, Kind: kind})
				a.story = a.Holder != ""
				w.storyWallets[kind] = append(w.storyWallets[kind], w.add(a))
			}
		}
	}
}

// pick returns a random element.
func pick(r *rand.Rand, s []int) int { return s[r.IntN(len(s))] }
