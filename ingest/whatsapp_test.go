package ingest

import (
	"archive/zip"
	"bytes"
	"github.com/rastro/rastro/internal/shareddata"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// collect parses with fn gathering every item.
func collect(tb testing.TB, parse func(Func) (*Report, error)) ([]Item, *Report) {
	tb.Helper()
	var items []Item
	rep, err := parse(func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	if rep.Items != len(items) {
		tb.Errorf("report counts %d items, callback saw %d", rep.Items, len(items))
	}
	return items, rep
}

func parseWA(tb testing.TB, text string, opt Options) ([]Item, *Report) {
	tb.Helper()
	return collect(tb, func(fn Func) (*Report, error) {
		return ParseWhatsApp(strings.NewReader(text), "WhatsApp Chat with Ana.txt", opt, fn)
	})
}

func TestWhatsAppStampsAllLayouts(t *testing.T) {
	want := time.Date(2025, 5, 28, 16, 20, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, line string
		sec        int
	}{
		{"android_en_GB", "28/05/2025, 16:20 - Ana: hola", 0},
		{"android_en_US", "5/28/25, 4:20\u202fPM - Ana: hola", 0},
		{"android_en_US_space", "5/28/25, 4:20 PM - Ana: hola", 0},
		{"android_es_ES", "28/5/25, 16:20 - Ana: hola", 0},
		{"android_es_MX", "28/5/25, 4:20\u202fp.\u00a0m. - Ana: hola", 0},
		{"android_es_MX_plain", "28/5/25, 4:20 p. m. - Ana: hola", 0},
		{"android_dotted", "28.05.25, 16:20 - Ana: hola", 0},
		{"ios_en_GB", "[28/05/2025, 16:20:05] Ana: hola", 5},
		{"ios_en_US", "[5/28/25, 4:20:05\u202fPM] Ana: hola", 5},
		{"pt_BR no comma", "28/05/2025 16:20 - Ana: hola", 0},
		{"year first", "[2025-05-28, 16:20:05] Ana: hola", 5},
		{"ios_lrm", "\u200e[28/05/2025, 16:20:05] Ana: \u200e<attached: 00000002-PHOTO-2025-05-28-16-20-05.jpg>", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, rep := parseWA(t, tc.line+"\n", Options{})
			if len(items) != 1 {
				t.Fatalf("%d items, want 1", len(items))
			}
			if got := items[0].Time; !got.Equal(want.Add(time.Duration(tc.sec) * time.Second)) {
				t.Errorf("time %v, want %v (day first %v from %s)", got, want, rep.DayFirst, rep.DateOrderFrom)
			}
			if items[0].Sender.Name != "Ana" || items[0].Locator != "line:1" {
				t.Errorf("sender %q locator %q", items[0].Sender.Name, items[0].Locator)
			}
		})
	}
}

func TestWhatsAppDateOrder(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name     string
		text     string
		opt      *bool
		dayFirst bool
		from     string
	}{
		{"first field over 12", "3/4/25, 10:00 - A: x\n13/4/25, 10:00 - A: y\n", nil, true, "fields"},
		{"second field over 12", "3/4/25, 10:00 - A: x\n4/13/25, 10:00 - A: y\n", nil, false, "fields"},
		{"spanish notice", "3/4/25, 10:00 - Los mensajes y las llamadas están cifrados de extremo a extremo. Toca.\n", nil, true, "locale"},
		{"spanish marker", "3/4/25, 10:00 p. m. - A: x\n", nil, true, "locale"},
		{"english AM/PM", "3/4/25, 10:00\u202fPM - A: x\n", nil, false, "locale"},
		{"english 24h", "03/04/2025, 10:00 - Messages and calls are end-to-end encrypted. Tap to learn more.\n", nil, true, "locale"},
		{"sequence month first", "1/2/25, 10:00 - A: x\n2/1/25, 10:00 - A: y\n", nil, false, "sequence"},
		{"sequence day first", "2/1/25, 10:00 - A: x\n1/2/25, 10:00 - A: y\n", nil, true, "sequence"},
		{"ambiguous", "3/4/25, 10:00 - A: x\n", nil, true, "default"},
		{"option wins over fields", "13/4/25, 10:00 - A: x\n", &no, false, "option"},
		{"option day first", "3/4/25, 10:00 - A: x\n", &yes, true, "option"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, rep := parseWA(t, tc.text, Options{DayFirst: tc.opt})
			if rep.DayFirst != tc.dayFirst || rep.DateOrderFrom != tc.from {
				t.Errorf("day first %v from %q, want %v from %q", rep.DayFirst, rep.DateOrderFrom, tc.dayFirst, tc.from)
			}
			if tc.from != "option" && (tc.from == "default") != (len(rep.Problems) > 0) {
				t.Errorf("problems %v", rep.Problems)
			}
		})
	}
}

func TestWhatsAppZoneApplied(t *testing.T) {
	zone, err := time.LoadLocation("America/Guatemala") // UTC-6, no DST
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	items, rep := parseWA(t, "28/05/2025, 16:20 - Ana: hola\n", Options{Zone: zone})
	if want := time.Date(2025, 5, 28, 22, 20, 0, 0, time.UTC); !items[0].Time.Equal(want) || rep.ZoneAssumed {
		t.Errorf("time %v (zone assumed %v), want %v", items[0].Time, rep.ZoneAssumed, want)
	}
	if items[0].Time.Location() != time.UTC {
		t.Errorf("time not in UTC: %v", items[0].Time.Location())
	}
}

func TestWhatsAppMessages(t *testing.T) {
	text := "garbage before\n" +
		"28/5/25, 4:20 - Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.\n" +
		"28/5/25, 4:21 - +505 8555 0115: pasá por ellas a la terminal\nllevá el carro blanco\n\nno el rojo\n" +
		"28/5/25, 4:22 - Ana: IMG-20250528-WA0007.jpg (archivo adjunto)\n" +
		"28/5/25, 4:23 - Ana: <Multimedia omitido>\n" +
		"28/5/25, 4:24 - Ana: Eliminaste este mensaje.\n" +
		"28/5/25, 4:25 - Añadiste a +505 8555 0116\n" +
		"28/5/25, 4:26 - Ana añadió a Luis\n" +
		"28/5/25, 4:27 - Ana cambió el asunto de \"a\" a \"Trabajo: norte\"\n"
	items, rep := parseWA(t, text, Options{})
	type row struct {
		Loc, Sender, Phone, Text string
		Att                      []string
		Sys                      bool
	}
	var got []row
	for _, it := range items {
		got = append(got, row{it.Locator, it.Sender.Name, it.Sender.Phone, it.Text, it.Attachments, it.System})
	}
	want := []row{
		{"line:2", "", "", "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.", nil, true},
		{"line:3", "+505 8555 0115", "+50585550115", "pasá por ellas a la terminal\nllevá el carro blanco\n\nno el rojo", nil, false},
		{"line:7", "Ana", "", "IMG-20250528-WA0007.jpg (archivo adjunto)", []string{"IMG-20250528-WA0007.jpg"}, false},
		{"line:8", "Ana", "", "<Multimedia omitido>", nil, false},
		{"line:9", "Ana", "", "Eliminaste este mensaje.", nil, true},
		{"line:10", "Ana", "", "Añadiste a +505 8555 0116", nil, true}, // "You" is Ana: she deleted "her" message
		{"line:11", "Ana", "", "Ana añadió a Luis", nil, true},
		{"line:12", "", "", "Ana cambió el asunto de \"a\" a \"Trabajo: norte\"", nil, true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if len(rep.Problems) != 1 || rep.Problems[0].Locator != "line:1" {
		t.Errorf("problems %v, want one at line:1", rep.Problems)
	}
	if rep.Owner == nil || rep.Owner.Name != "Ana" {
		t.Errorf("owner %v, want Ana", rep.Owner)
	}
	if r := items[1].Recipients; len(r) != 1 || r[0].Name != "Ana" {
		t.Errorf("recipients of line 3: %v", r)
	}
}

func TestWhatsAppIOSTitleAndAttachments(t *testing.T) {
	text := "[12/06/2024, 06:10:00] Andrea G: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n" +
		"\u200e[12/06/2024, 06:42:27] Andrea G: \u200e<attached: 00000002-PHOTO-2024-06-12-06-42-27.jpg>\n" +
		"[12/06/2024, 06:43:00] Javier: \u200eimage omitted\n" +
		"\u200e[12/06/2024, 06:44:00] \u200eJavier added Luis\n"
	items, _ := parseWA(t, text, Options{})
	if len(items) != 4 {
		t.Fatalf("%d items", len(items))
	}
	if !items[0].System || items[0].Chat.Title != "Andrea G" || !items[0].Sender.IsZero() {
		t.Errorf("encryption line: %+v", items[0])
	}
	if d := cmp.Diff([]string{"00000002-PHOTO-2024-06-12-06-42-27.jpg"}, items[1].Attachments); d != "" {
		t.Errorf("attachments: %s", d)
	}
	if !items[3].System || items[3].Sender.Name != "Javier" {
		t.Errorf("added line: %+v", items[3])
	}
}

func TestWhatsAppInvalidDateKept(t *testing.T) {
	items, rep := parseWA(t, "31/02/2025, 10:00 - A: x\n01/03/2025, 10:00 - A: y\n", Options{})
	if len(items) != 2 || !items[0].Time.IsZero() || items[1].Time.IsZero() {
		t.Fatalf("items %+v", items)
	}
	if len(rep.Problems) != 1 || rep.Problems[0].Locator != "line:1" {
		t.Errorf("problems %v", rep.Problems)
	}
}

func TestWhatsAppZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("_chat.txt")
	w.Write([]byte("[12/06/2024, 06:42:27] Ana: hola\n\u200e[12/06/2024, 06:43:27] Ana: \u200e<attached: 00000002-PHOTO-2024-06-12-06-43-27.jpg>\n"))
	w, _ = zw.Create("00000002-PHOTO-2024-06-12-06-43-27.jpg")
	w.Write([]byte("jpeg"))
	zw.Close()
	items, rep := collect(t, func(fn Func) (*Report, error) {
		return ParseWhatsAppZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "WhatsApp Chat - Ana.zip", Options{}, fn)
	})
	if len(items) != 2 || items[1].Locator != "zip:_chat.txt#line:2" || items[0].Chat.Title != "Ana" {
		t.Fatalf("items %+v", items)
	}
	if d := cmp.Diff([]Member{{Name: "00000002-PHOTO-2024-06-12-06-43-27.jpg", Size: 4}}, rep.Members); d != "" {
		t.Errorf("members: %s", d)
	}
}

func TestWhatsAppStopsOnCallbackError(t *testing.T) {
	stop := os.ErrClosed
	_, err := ParseWhatsApp(strings.NewReader("1/1/25, 10:00 - A: x\n"), "x.txt", Options{}, func(Item) error { return stop })
	if err == nil || !strings.Contains(err.Error(), stop.Error()) {
		t.Errorf("err %v, want the callback's", err)
	}
}

// sharedData is shared/data/sub of the reference data, or skips.
func sharedData(tb testing.TB, sub string) string { return shareddata.Dir(tb, sub) }

func TestSampleChatFormats(t *testing.T) {
	dir := sharedData(t, "chat-formats")
	for _, tc := range []struct {
		file     string
		format   Format
		items    int
		first    time.Time
		dayFirst bool
	}{
		{"whatsapp-android-en_GB-sample.txt", FormatWhatsApp, 7, time.Date(2024, 3, 12, 21, 14, 0, 0, time.UTC), true},
		{"whatsapp-ios-en_US-sample.txt", FormatWhatsApp, 3, time.Date(2024, 3, 12, 21, 14, 5, 0, time.UTC), false},
		{"telegram-result-sample.json", FormatTelegram, -1, time.Unix(1710278100, 0).UTC(), false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Skip(err)
			}
			if f := Detect(tc.file, data); f != tc.format {
				t.Errorf("Detect = %q, want %q", f, tc.format)
			}
			items, rep := collect(t, func(fn Func) (*Report, error) {
				return Parse(bytes.NewReader(data), tc.file, tc.format, Options{}, fn)
			})
			if tc.items >= 0 && len(items) != tc.items || len(items) == 0 {
				t.Errorf("%d items, want %d", len(items), tc.items)
			}
			if len(rep.Problems) > 0 {
				t.Errorf("problems: %v", rep.Problems)
			}
			if !items[0].Time.Equal(tc.first) {
				t.Errorf("first time %v, want %v", items[0].Time, tc.first)
			}
			if tc.format == FormatWhatsApp && rep.DayFirst != tc.dayFirst {
				t.Errorf("day first %v from %s", rep.DayFirst, rep.DateOrderFrom)
			}
		})
	}
}

func TestWhatsAppNotAnExport(t *testing.T) {
	items, rep := parseWA(t, "just a note\n", Options{})
	if len(items) != 0 || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0].Reason, "no WhatsApp message line") {
		t.Errorf("items %v problems %v", items, rep.Problems)
	}
}

func TestWhatsAppFromStream(t *testing.T) {
	text := "3/4/25, 10:00 - A: x\n13/4/25, 10:00 - A: y\n"
	stream := io.MultiReader(strings.NewReader(text)) // no Seek: read into memory once
	items, rep := collect(t, func(fn Func) (*Report, error) { return ParseWhatsApp(stream, "c.txt", Options{}, fn) })
	if len(items) != 2 || !rep.DayFirst || items[0].Time.Month() != time.April {
		t.Errorf("items %+v day first %v", items, rep.DayFirst)
	}
}
