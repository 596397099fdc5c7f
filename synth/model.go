package synth

import (
	"time"

	"github.com/rastro/rastro/synth/truth"
)

// TruthVersion is the schema version written to truth.json. It changes when
// a field changes meaning; new optional fields do not bump it.
const TruthVersion = "1"

// Truth is the ground truth of a generated case, exactly what truth.json
// holds. Its schema is documented field by field in docs/SCENARIOS.md.
type Truth struct {
	Version     string            `json:"version"`
	Generator   string            `json:"generator"`
	Seed        uint64            `json:"seed"`
	Size        string            `json:"size"`
	Scenario    Scenario          `json:"scenario"`
	People      []Person          `json:"people"`
	Orgs        []Org             `json:"orgs"`
	Places      []Place           `json:"places"`
	Events      []Event           `json:"events"`
	Chats       []Chat            `json:"chats"`
	Accounts    []truth.Account   `json:"accounts"`
	Typologies  []truth.Typology  `json:"typologies"`
	Selectors   []truth.Selector  `json:"selectors"`
	Records     []truth.RecordRef `json:"records"`
	Ads         []truth.Ad        `json:"ads"`
	Images      []truth.Image     `json:"images"`
	ImageGroups []ImageGroup      `json:"image_groups"`
	Reports     []truth.Report    `json:"reports"`
	Files       []FileInfo        `json:"files"`
}

// Scenario summarises the story: where, why and when.
type Scenario struct {
	Network     string    `json:"network"`     // fictional name of the network
	Countries   []string  `json:"countries"`   // ISO 3166 alpha-2 of origin and transit countries
	Destination string    `json:"destination"` // MX or US
	Purposes    []string  `json:"purposes"`    // sexual, labour, begging
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Summary     string    `json:"summary"`
}

// Person is one fictional person of the story: a suspect, a possible victim
// or a bystander (an ordinary person who resembles a suspect).
type Person struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases,omitempty"`
	Gender      string   `json:"gender"`     // female, male
	BirthDate   string   `json:"birth_date"` // YYYY-MM-DD
	AgeAtEvents int      `json:"age_at_events"`
	Minor       bool     `json:"minor"`
	Nationality string   `json:"nationality"` // ISO 3166 alpha-2
	City        string   `json:"city"`        // place ID of residence
	Kind        string   `json:"kind"`        // suspect, victim, bystander
	Roles       []string `json:"roles,omitempty"`
	Purpose     string   `json:"purpose,omitempty"`
	Indicators  []string `json:"indicators,omitempty"`
	Phones      []string `json:"phones,omitempty"`  // E.164
	Emails      []string `json:"emails,omitempty"`  // lower case
	Handles     []string `json:"handles,omitempty"` // platform:handle
	Accounts    []string `json:"accounts,omitempty"`
	SharedWith  []string `json:"shared_with,omitempty"` // person IDs that use one of this person's phones too
	Resembles   string   `json:"resembles,omitempty"`   // bystanders: the suspect they can be confused with
	Similarity  []string `json:"similarity,omitempty"`  // bystanders: same_name, similar_phone, same_city
}

// Org is a group that publishes ads under one set of contact details.
type Org struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
	Poster  string   `json:"poster"`
	Purpose string   `json:"purpose"`
	Cities  []string `json:"cities"` // place IDs
}

// Place is a city of the story with approximate public coordinates.
type Place struct {
	ID      string  `json:"id"`
	City    string  `json:"city"`
	Country string  `json:"country"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Zone    string  `json:"zone"` // IANA time zone
}

// Event is one step of the trafficking timeline, in HTCDS terms.
type Event struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`  // Recruitment, Transit, Exploitation (HTCDS event types)
	Stage    string    `json:"stage"` // recruitment, transport, harbouring, exploitation
	Place    string    `json:"place"` // place ID
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Victims  []string  `json:"victims"`
	Suspects []string  `json:"suspects"`
	Purpose  string    `json:"purpose,omitempty"`
}

// Chat describes one exported conversation.
type Chat struct {
	File         string   `json:"file"`
	Member       string   `json:"member,omitempty"` // member name inside a zip export
	Platform     string   `json:"platform"`         // whatsapp, telegram
	Layout       string   `json:"layout"`           // e.g. android_en_GB, ios_en_US, telegram_full, telegram_chat
	Zone         string   `json:"zone"`             // IANA zone of the device's clock (WhatsApp) or of the exporting machine (Telegram)
	Title        string   `json:"title"`
	Owner        string   `json:"owner,omitempty"` // person ID of the device owner
	Participants []string `json:"participants"`    // person IDs; background contacts are not listed
	Story        bool     `json:"story"`           // part of the trafficking story, not background chatter
	Messages     int      `json:"messages"`
	Pointer      string   `json:"pointer,omitempty"` // JSON pointer of the chat inside a full Telegram export
}

// ImageGroup is one set of near-duplicate images.
type ImageGroup struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
}

// FileInfo is one evidence file of the case folder.
type FileInfo struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Format string `json:"format"`
}
