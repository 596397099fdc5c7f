package ingest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func parseString(tb testing.TB, f Format, name, text string, opt Options) ([]Item, *Report) {
	tb.Helper()
	return collect(tb, func(fn Func) (*Report, error) {
		return Parse(strings.NewReader(text), name, f, opt, fn)
	})
}

const discordSample = `{
  "guild": {"id": "1", "name": "Fiesta", "iconUrl": "x.png"},
  "channel": {"id": "22", "type": "GuildTextChat", "categoryId": "3", "category": "Text", "name": "general", "topic": null},
  "dateRange": {"after": null, "before": null},
  "messages": [
    {"id": "100", "type": "Default", "timestamp": "2025-01-02T10:00:00.123+01:00", "timestampEdited": null, "isPinned": false,
     "content": "escribí a @luna", "author": {"id": "555", "name": "tigre", "discriminator": "0000", "nickname": "El Tigre", "isBot": false},
     "attachments": [{"id": "9", "url": "https://cdn.example.com/a.jpg", "fileName": "a.jpg", "fileSizeBytes": 10}],
     "mentions": [{"id": "556", "name": "luna", "nickname": "Luna"}]},
    {"id": "101", "type": "GuildMemberJoin", "timestamp": "2025-01-02T10:01:00+00:00", "content": "Joined the server.",
     "author": {"id": "557", "name": "nuevo"}}
  ],
  "messageCount": 2
}`

func TestDiscord(t *testing.T) {
	items, rep := parseString(t, FormatDiscord, "x.json", discordSample, Options{})
	if len(items) != 2 || len(rep.Problems) > 0 {
		t.Fatalf("items %d problems %v", len(items), rep.Problems)
	}
	it := items[0]
	want := Item{Kind: "message", Locator: "json:/messages/0", Time: time.Date(2025, 1, 2, 9, 0, 0, 123e6, time.UTC),
		Sender: Party{Name: "tigre", ID: "555"}, Chat: Chat{ID: "22", Title: "general", Platform: "discord", Type: "GuildTextChat"},
		Text: "escribí a @luna", Entities: []Entity{{"mention", "@luna"}}, Attachments: []string{"a.jpg"},
		Fields: map[string]string{"id": "100", "guild": "Fiesta", "nickname": "El Tigre"}}
	if d := cmp.Diff(want, it); d != "" {
		t.Errorf("item (-want +got):\n%s", d)
	}
	if !items[1].System || items[1].Locator != "json:/messages/1" {
		t.Errorf("join message %+v", items[1])
	}
}

func TestCSVMessages(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		opt        Options
		want       []Item
		problems   int
	}{
		{"guessed header, multi-line row", "Timestamp,From,To,Message\n2025-01-02 10:00:00,+505 8555 0115,Ana,\"hola\nsigue\"\n2025-01-02 10:01:00,Ana,,ok\n", Options{},
			[]Item{
				{Kind: "message", Locator: "line:2", Time: time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC), Sender: Party{Name: "+505 8555 0115", Phone: "+50585550115"},
					Recipients: []Party{{Name: "Ana"}}, Chat: Chat{ID: "m.csv", Title: "m.csv", Platform: "csv"}, Text: "hola\nsigue"},
				{Kind: "message", Locator: "line:4", Time: time.Date(2025, 1, 2, 10, 1, 0, 0, time.UTC), Sender: Party{Name: "Ana"},
					Chat: Chat{ID: "m.csv", Title: "m.csv", Platform: "csv"}, Text: "ok"},
			}, 0},
		{"mapped columns, semicolons, date and time, day first", "Fecha;Hora;Quien;Texto\n13/01/2025;10:00;Ana;hola\n", Options{Columns: map[string]string{"time": "Fecha+Hora", "sender": "Quien", "text": "Texto"}},
			[]Item{{Kind: "message", Locator: "line:2", Time: time.Date(2025, 1, 13, 10, 0, 0, 0, time.UTC), Sender: Party{Name: "Ana"},
				Chat: Chat{ID: "m.csv", Title: "m.csv", Platform: "csv"}, Text: "hola"}}, 0},
		{"unix seconds and bad time", "time,text\n1735812000,a\nayer,b\n", Options{},
			[]Item{
				{Kind: "message", Locator: "line:2", Time: time.Unix(1735812000, 0).UTC(), Chat: Chat{ID: "m.csv", Title: "m.csv", Platform: "csv"}, Text: "a"},
				{Kind: "message", Locator: "line:3", Chat: Chat{ID: "m.csv", Title: "m.csv", Platform: "csv"}, Text: "b"},
			}, 1},
		{"no text column", "a,b\n1,2\n", Options{}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, rep := parseString(t, FormatCSV, "dir/m.csv", tc.text, tc.opt)
			if d := cmp.Diff(tc.want, items); d != "" {
				t.Errorf("items (-want +got):\n%s", d)
			}
			if len(rep.Problems) != tc.problems {
				t.Errorf("problems %v, want %d", rep.Problems, tc.problems)
			}
		})
	}
}

func TestAdsJSONL(t *testing.T) {
	text := `{"id":"4823599","site":"anunciosya.example.com","url":"https://anunciosya.example.com/x.html","posted_at":"2024-05-15T00:44:49-05:00","category":"acompanantes","city":"Houston","country":"US","title":"Kati","body":"Hola\nSolo msj","phones":["30-55-55-01-62"],"contacts":["@modelos_oficial"],"price":120,"currency":"USD","images":["4823599_1.jpg"],"language":"es"}

not json
{"headline":"Se vende","description":"carro","date":"2024-05-15"}
`
	items, rep := parseString(t, FormatAdsJSONL, "ads.jsonl", text, Options{})
	if len(items) != 2 || len(rep.Problems) != 1 || rep.Problems[0].Locator != "line:3" {
		t.Fatalf("items %d problems %v", len(items), rep.Problems)
	}
	want := Item{Kind: "ad", Locator: "line:1", Time: time.Date(2024, 5, 15, 5, 44, 49, 0, time.UTC), Title: "Kati", Text: "Hola\nSolo msj",
		Chat:     Chat{ID: "anunciosya.example.com", Title: "anunciosya.example.com", Platform: "web"},
		Entities: []Entity{{"phone", "30-55-55-01-62"}, {"contact", "@modelos_oficial"}}, Attachments: []string{"4823599_1.jpg"},
		Fields: map[string]string{"id": "4823599", "site": "anunciosya.example.com", "url": "https://anunciosya.example.com/x.html",
			"category": "acompanantes", "city": "Houston", "country": "US", "price": "120", "currency": "USD", "language": "es"}}
	if d := cmp.Diff(want, items[0]); d != "" {
		t.Errorf("ad (-want +got):\n%s", d)
	}
	if items[1].Locator != "line:4" || items[1].Title != "Se vende" || items[1].Text != "carro" || items[1].Time.IsZero() {
		t.Errorf("generic ad %+v", items[1])
	}
}

const emlSample = "From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <Jose.Perez@example.com>\r\n" +
	"To: Ana <ana@example.org>, luis@example.net\r\n" +
	"Subject: =?ISO-8859-1?Q?Informaci=F3n?=\r\n" +
	"Date: Tue, 14 May 2024 10:00:00 -0600\r\n" +
	"Message-ID: <abc@example.com>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
	"--XX\r\nContent-Type: multipart/alternative; boundary=\"YY\"\r\n\r\n" +
	"--YY\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nEl n=FAmero es 8555 0115\r\n" +
	"--YY\r\nContent-Type: text/html\r\n\r\n<p>ignored when plain exists</p>\r\n--YY--\r\n" +
	"--XX\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"dpi.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/\r\n--XX--\r\n"

func TestEML(t *testing.T) {
	items, rep := parseString(t, FormatEML, "m.eml", emlSample, Options{})
	if len(items) != 1 || len(rep.Problems) > 0 {
		t.Fatalf("items %d problems %v", len(items), rep.Problems)
	}
	want := Item{Kind: "email", Locator: "bytes:0-" + strconv.Itoa(len(emlSample)), Time: time.Date(2024, 5, 14, 16, 0, 0, 0, time.UTC),
		Sender:     Party{Name: "José Pérez", ID: "jose.perez@example.com"},
		Recipients: []Party{{Name: "Ana", ID: "ana@example.org"}, {ID: "luis@example.net"}},
		Chat:       Chat{ID: "Información", Platform: "email"}, Title: "Información", Text: "El número es 8555 0115",
		Attachments: []string{"dpi.jpg"}, Fields: map[string]string{"message_id": "abc@example.com"}}
	if d := cmp.Diff(want, items[0]); d != "" {
		t.Errorf("email (-want +got):\n%s", d)
	}
}

func TestMbox(t *testing.T) {
	m1 := "From ana@example.org Tue May 14 10:00:00 2024\nFrom: ana@example.org\nSubject: uno\n\nhola\n>From here\n\n"
	m2 := "From luis@example.net Tue May 14 11:00:00 2024\nFrom: luis@example.net\nSubject: dos\n\nchau\n"
	items, rep := parseString(t, FormatMbox, "x.mbox", m1+m2, Options{})
	if len(items) != 2 || len(rep.Problems) > 0 {
		t.Fatalf("items %d problems %v", len(items), rep.Problems)
	}
	if items[0].Locator != "bytes:0-"+strconv.Itoa(len(m1)) || items[0].Text != "hola\nFrom here" || items[0].Title != "uno" {
		t.Errorf("first %+v", items[0])
	}
	if items[1].Locator != "bytes:"+strconv.Itoa(len(m1))+"-"+strconv.Itoa(len(m1+m2)) || items[1].Sender.ID != "luis@example.net" {
		t.Errorf("second %+v", items[1])
	}
}

func TestHTML(t *testing.T) {
	page := "<!DOCTYPE html>\n<!-- saved from url=(0010)x -->\n<html><head><title>Trabajo &amp; más</title><style>p{color:red}</style></head>\n" +
		"<body class=\"ad\"><script>var a = '<p>no</p>';</script><h1>Trabajo</h1><p>Llamar al <b>8555&nbsp;0115</b><br>o <a href=\"https://x.example.com/a?b=1&amp;c=2\">aquí</a></p>" +
		"<time datetime=\"2024-07-26T21:16:55-05:00\">26/07</time><img src=\"./f/1.jpg\" alt='a > b'> 3 < 4</body>\n</html>\n"
	items, _ := parseString(t, FormatHTML, "p.html", page, Options{Kind: "ad"})
	body0 := strings.Index(page, "<body")
	body1 := strings.Index(page, "</body>") + len("</body>")
	want := Item{Kind: "ad", Locator: "bytes:" + strconv.Itoa(body0) + "-" + strconv.Itoa(body1), Time: time.Date(2024, 7, 27, 2, 16, 55, 0, time.UTC),
		Chat: Chat{Platform: "web"}, Title: "Trabajo & más", Text: "Trabajo\nLlamar al 8555 0115\no aquí\n26/07 3 < 4",
		Entities: []Entity{{"link", "https://x.example.com/a?b=1&c=2"}}, Attachments: []string{"./f/1.jpg"}}
	if d := cmp.Diff(want, items[0]); d != "" {
		t.Errorf("page (-want +got):\n%s", d)
	}
}

func TestText(t *testing.T) {
	items, _ := parseString(t, FormatText, "n.txt", "\ufeffuno\ndos\n\n\ntres\n", Options{})
	want := []Item{{Kind: "page", Locator: "line:1", Text: "uno\ndos"}, {Kind: "page", Locator: "line:5", Text: "tres"}}
	if d := cmp.Diff(want, items); d != "" {
		t.Errorf("blocks (-want +got):\n%s", d)
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       Format
	}{
		{"WhatsApp Chat with Ana.txt", "28/05/2025, 16:20 - Ana: hola\n", FormatWhatsApp},
		{"_chat.txt", "\u200e[5/28/25, 4:20:05\u202fPM] Ana: hola\n", FormatWhatsApp},
		{"WhatsApp Chat - Ana.zip", "PK\x03\x04....", FormatWhatsAppZip},
		{"other.zip", "PK\x03\x04....", FormatUnknown},
		{"result.json", "{\n \"about\": \"Here is\",\n \"personal_information\": {", FormatTelegram},
		{"result.json", "{\n \"name\": \"A\",\n \"type\": \"personal_chat\",\n \"id\": 1,\n \"messages\": [", FormatTelegram},
		{"general.json", discordSample, FormatDiscord},
		{"ads.jsonl", "{\"id\":1}\n{\"id\":2}\n", FormatAdsJSONL},
		{"messages.csv", "time,from,text\n", FormatCSV},
		{"m.eml", emlSample, FormatEML},
		{"message", emlSample, FormatEML},
		{"inbox", "From a@example.org Tue May 14 10:00:00 2024\nFrom: a@example.org\n", FormatMbox},
		{"ad-1.html", "<!DOCTYPE html><html>", FormatHTML},
		{"saved", "<html><head>", FormatHTML},
		{"notes.txt", "just some notes\n", FormatText},
		{"photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", FormatImage},
		{"IMG_0001", "\x89PNG\r\n\x1a\n\x00", FormatImage},
		{"anim.gif", "GIF89a\x01\x00", FormatImage},
		{"scan.bin", "%PDF-1.7\n%\xe2\xe3\xcf\xd3", FormatPDF},
		{"Extraction_01.ufdr", "PK\x03\x04....", FormatUFDR},
		{"export.zip", "PK\x03\x04\x14\x00\x00\x00report.xml", FormatUFDR},
		{"contrato.docx", "PK\x03\x04....", FormatDOCX},
		{"contrato", "PK\x03\x04\x14\x00word/document.xml", FormatDOCX},
	} {
		if got := Detect(tc.name, []byte(tc.head)); got != tc.want {
			t.Errorf("Detect(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseUnknownFormat(t *testing.T) {
	if _, err := Parse(strings.NewReader(""), "x", "xlsx", Options{}, func(Item) error { return nil }); err == nil {
		t.Error("no error for an unknown format")
	}
}

func TestJSONL(t *testing.T) {
	var b strings.Builder
	_, err := ParseWhatsApp(strings.NewReader("28/05/2025, 16:20 - +505 8555 0115: <hola> & chau\n"), "c.txt", Options{}, JSONL(&b))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"message","locator":"line:1","time":"2025-05-28T16:20:00Z","sender":{"name":"+505 8555 0115","phone":"+50585550115"},"chat":{"id":"c","title":"c","platform":"whatsapp"},"text":"<hola> & chau"}` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}
