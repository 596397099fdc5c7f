package synth

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// waGrammar is the start-of-message grammar of one export layout, written
// independently of the generator from the formats' public descriptions.
type waGrammar struct {
	start  *regexp.Regexp // groups: date, time[, AM/PM marker]
	layout string         // time.Parse layout for "date time[ marker]"
}

var waGrammars = map[string]waGrammar{
	"android_en_GB": {regexp.MustCompile(`^(\d{2}/\d{2}/\d{4}), (\d{2}:\d{2}) - \S`), "02/01/2006 15:04"},
	"android_en_US": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2})\x{202F}(AM|PM) - \S`), "1/2/06 3:04 PM"},
	"android_es_ES": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}) - \S`), "2/1/06 15:04"},
	"android_es_MX": {regexp.MustCompile(`^(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2})\x{202F}([ap])\.\x{00A0}m\. - \S`), "2/1/06 3:04 PM"},
	"ios_en_GB":     {regexp.MustCompile(`^\x{200E}?\[(\d{2}/\d{2}/\d{4}), (\d{2}:\d{2}:\d{2})\] \S`), "02/01/2006 15:04:05"},
	"ios_en_US":     {regexp.MustCompile(`^\x{200E}?\[(\d{1,2}/\d{1,2}/\d{2}), (\d{1,2}:\d{2}:\d{2})\x{202F}(AM|PM)\] \S`), "1/2/06 3:04:05 PM"},
}

// looksLikeStart catches lines that start like a message in any layout.
var looksLikeStart = regexp.MustCompile(`^\x{200E}?\[?\d{1,2}/\d{1,2}/\d{2,4}, \d`)

// parseStart checks a start line and returns its time.
func (g waGrammar) parseStart(line string) (time.Time, bool) {
	m := g.start.FindStringSubmatch(line)
	if m == nil {
		return time.Time{}, false
	}
	v := m[1] + " " + m[2]
	if len(m) > 3 {
		v += " " + strings.ToUpper(m[3])
		if len(m[3]) == 1 {
			v += "M"
		}
	}
	t, err := time.Parse(g.layout, v)
	return t, err == nil
}

func TestWhatsAppLinesFollowGrammar(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		dir, tr := genCase(t, "tiny", seed)
		cr := &caseReader{tb: t, dir: dir, cache: map[string][]byte{}}
		for _, c := range tr.Chats {
			if c.Platform != "whatsapp" {
				continue
			}
			g, ok := waGrammars[c.Layout]
			if !ok {
				t.Fatalf("%s: unknown layout %s", c.File, c.Layout)
			}
			checkWhatsApp(t, c, g, string(cr.read(c.File, c.Member)))
		}
	}
}

func checkWhatsApp(t *testing.T, c Chat, g waGrammar, text string) {
	t.Helper()
	if !strings.HasSuffix(text, "\n") {
		t.Errorf("%s: last line not terminated", c.File)
	}
	starts := 0
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if _, ok := g.parseStart(line); ok {
			starts++
			continue
		}
		if i == 0 || looksLikeStart.MatchString(line) {
			t.Errorf("%s line %d: not a valid %s message start: %q", c.File, i+1, c.Layout, line)
		}
	}
	if starts != c.Messages {
		t.Errorf("%s: %d message lines, truth says %d", c.File, starts, c.Messages)
	}
}

func TestTelegramExportsParse(t *testing.T) {
	dir, tr := genCase(t, "tiny", 3)
	cr := &caseReader{tb: t, dir: dir, cache: map[string][]byte{}}
	for _, c := range tr.Chats {
		if c.Platform != "telegram" {
			continue
		}
		var root map[string]any
		if err := json.Unmarshal(cr.read(c.File, ""), &root); err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		chat := any(root)
		if c.Pointer != "" {
			if root["about"] == nil || root["left_chats"] == nil {
				t.Errorf("%s: full export without about/left_chats", c.File)
			}
			var err error
			if chat, err = jsonPointer(root, c.Pointer); err != nil {
				t.Fatalf("%s %s: %v", c.File, c.Pointer, err)
			}
		}
		loc, err := time.LoadLocation(c.Zone)
		if err != nil {
			t.Fatalf("%s: zone %q: %v", c.File, c.Zone, err)
		}
		msgs, _ := chat.(map[string]any)["messages"].([]any)
		if len(msgs) != c.Messages || len(msgs) == 0 {
			t.Errorf("%s %s: %d messages, truth says %d", c.File, c.Pointer, len(msgs), c.Messages)
		}
		for k, m := range msgs {
			checkTelegramMessage(t, c.File+" message "+strconv.Itoa(k), m.(map[string]any), loc)
		}
	}
}

func checkTelegramMessage(t *testing.T, where string, m map[string]any, loc *time.Location) {
	t.Helper()
	local, err := time.ParseInLocation("2006-01-02T15:04:05", m["date"].(string), loc)
	unix, uerr := strconv.ParseInt(m["date_unixtime"].(string), 10, 64)
	if err != nil || uerr != nil || local.Unix() != unix {
		t.Errorf("%s: date %v and date_unixtime %v disagree in %s", where, m["date"], m["date_unixtime"], loc)
	}
	if typ := m["type"]; typ != "message" && typ != "service" {
		t.Errorf("%s: type %v", where, typ)
	}
	var text strings.Builder
	switch x := m["text"].(type) {
	case string:
		text.WriteString(x)
	case []any:
		for _, p := range x {
			if s, ok := p.(string); ok {
				text.WriteString(s)
			} else {
				text.WriteString(p.(map[string]any)["text"].(string))
			}
		}
	}
	var ents strings.Builder
	for _, e := range m["text_entities"].([]any) {
		em := e.(map[string]any)
		switch em["type"] {
		case "plain", "phone", "email", "link", "mention", "bank_card":
		default:
			t.Errorf("%s: entity type %v", where, em["type"])
		}
		ents.WriteString(em["text"].(string))
	}
	if text.String() != ents.String() {
		t.Errorf("%s: text %q but entities spell %q", where, text.String(), ents.String())
	}
}

func TestPlantedPhonesValidateAndDecoysFail(t *testing.T) {
	_, tr := genCase(t, "tiny", 12)
	valid, decoys := 0, 0
	for _, s := range tr.Selectors {
		if s.Kind != "phone" {
			continue
		}
		n, err := phonenumbers.Parse(s.Value, "")
		ok := err == nil && phonenumbers.IsValidNumber(n)
		switch {
		case s.Decoy && ok:
			t.Errorf("decoy %s (%s@%d) validates", s.Value, s.File, s.Offset)
		case !s.Decoy && !ok:
			t.Errorf("phone %s (%s@%d) does not validate", s.Value, s.File, s.Offset)
		case s.Decoy:
			decoys++
		default:
			valid++
		}
	}
	for _, p := range tr.People {
		for _, ph := range p.Phones {
			if n, err := phonenumbers.Parse(ph, ""); err != nil || !phonenumbers.IsValidNumber(n) {
				t.Errorf("%s holds invalid phone %s", p.ID, ph)
			}
		}
	}
	if valid < 20 || decoys == 0 {
		t.Errorf("%d valid phones and %d decoys planted; want many and some", valid, decoys)
	}
}

// TestDecoysOfEveryKind checks that chats plant broken identifiers of every
// checksummed kind, and that the IBAN and card decoys really fail their
// checks (synth/ident's tests check the other kinds' decoys independently).
func TestDecoysOfEveryKind(t *testing.T) {
	_, tr := genCase(t, "small", 7)
	seen := map[string]int{}
	for _, s := range tr.Selectors {
		if !s.Decoy {
			continue
		}
		seen[s.Kind]++
		switch s.Kind {
		case "iban":
			if ibanMod97(s.Value) == 1 {
				t.Errorf("IBAN decoy %s passes mod-97", s.Value)
			}
		case "card":
			if luhn(s.Value) {
				t.Errorf("card decoy %s passes Luhn", s.Value)
			}
		}
	}
	for _, k := range []string{"phone", "iban", "card", "btc", "eth", "onion"} {
		if seen[k] == 0 {
			t.Errorf("no %s decoy planted (decoys: %v)", k, seen)
		}
	}
}

func ibanMod97(iban string) int {
	s := iban[4:] + iban[:4]
	rem := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return rem
}

func luhn(num string) bool {
	sum, double := 0, false
	for i := len(num) - 1; i >= 0; i-- {
		d := int(num[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
