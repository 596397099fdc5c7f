package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const tgFull = `{
 "about": "Here is the data you requested.",
 "personal_information": {"user_id": 555, "first_name": "Marisol", "last_name": "Cruz", "phone_number": "+52 55 5550 0166", "username": "@mari"},
 "contacts": {"about": "x", "list": [
  {"user_id": 777, "first_name": "Luis", "last_name": "Brown", "phone_number": "+1 202 555 0115", "date": "2025-05-01T10:00:00", "date_unixtime": "1746093600"}
 ]},
 "frequent_contacts": {"list": [{"id": 1, "category": "people", "nested": [[{}], "x"]}]},
 "chats": {"about": "x", "list": [
  {"name": "Luis Brown", "type": "personal_chat", "id": 777, "messages": [
   {"id": 1, "type": "message", "date": "2025-05-22T00:33:57", "date_unixtime": "1747895637", "from": "Marisol Cruz", "from_id": "user555",
    "text": ["escribile al de los anuncios: ", {"type": "phone", "text": "+52 55 5550 0166"}],
    "text_entities": [{"type": "plain", "text": "escribile al de los anuncios: "}, {"type": "phone", "text": "+52 55 5550 0166"}]},
   {"id": 2, "type": "message", "date": "2025-05-22T00:34:00", "date_unixtime": "1747895640", "from": "Luis Brown", "from_id": "user777",
    "photo": "(File not included. Change data exporting settings to download.)", "width": 640, "height": 480, "text": "", "text_entities": []}
  ]},
  {"name": "Crew", "type": "private_group", "id": 4000000001, "messages": [
   {"id": 1, "type": "service", "date": "2025-05-20T09:00:00", "date_unixtime": "1747731600", "actor": "Marisol Cruz", "actor_id": "user555",
    "action": "invite_members", "members": ["Luis Brown", null], "text": "", "text_entities": []}
  ]}
 ]},
 "left_chats": {"about": "x", "list": [
  {"name": "Old", "type": "private_supergroup", "id": 99, "messages": [
   {"id": 7, "type": "message", "date": "2024-01-01T00:00:00", "date_unixtime": "1704067200", "from": "+505 8555 0115", "from_id": 8885550115, "text": "hola"}
  ]}
 ]}
}
`

func parseTG(tb testing.TB, text string) ([]Item, *Report) {
	tb.Helper()
	return collect(tb, func(fn Func) (*Report, error) {
		return ParseTelegram(strings.NewReader(text), "result.json", Options{}, fn)
	})
}

func TestTelegramFullExport(t *testing.T) {
	items, rep := parseTG(t, tgFull)
	type row struct {
		Kind, Loc, Sender, ID, Phone, Text string
		Sys                                bool
		To                                 []Party
	}
	var got []row
	for _, it := range items {
		got = append(got, row{it.Kind, it.Locator, it.Sender.Name, it.Sender.ID, it.Sender.Phone, it.Text, it.System, it.Recipients})
	}
	marisol := Party{Name: "Marisol Cruz", ID: "user555", Phone: "+525555500166"}
	luis := Party{Name: "Luis Brown", ID: "user777"}
	want := []row{
		{"contact", "json:/contacts/list/0", "Luis Brown", "user777", "+12025550115", "", false, nil},
		{"message", "json:/chats/list/0/messages/0", "Marisol Cruz", "user555", "", "escribile al de los anuncios: +52 55 5550 0166", false, []Party{luis}},
		{"message", "json:/chats/list/0/messages/1", "Luis Brown", "user777", "", "", false, []Party{marisol}},
		{"message", "json:/chats/list/1/messages/0", "Marisol Cruz", "user555", "", "", true, nil},
		{"message", "json:/left_chats/list/0/messages/0", "+505 8555 0115", "user8885550115", "+50585550115", "hola", false, nil},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if d := cmp.Diff(&Party{Name: "Marisol Cruz", ID: "user555", Phone: "+525555500166"}, rep.Owner); d != "" {
		t.Errorf("owner: %s", d)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("problems %v", rep.Problems)
	}
	if want := time.Unix(1747895637, 0); !items[1].Time.Equal(want) {
		t.Errorf("time %v, want %v", items[1].Time, want)
	}
	if d := cmp.Diff([]Entity{{"plain", "escribile al de los anuncios: "}, {"phone", "+52 55 5550 0166"}}, items[1].Entities); d != "" {
		t.Errorf("entities: %s", d)
	}
	if items[2].Attachments != nil || items[2].Fields["media"] != "photo" {
		t.Errorf("photo not included should be no attachment but media=photo: %+v", items[2])
	}
	if items[3].Fields["action"] != "invite_members" || items[3].Fields["members"] != "Luis Brown" {
		t.Errorf("service fields %v", items[3].Fields)
	}
	if c := items[1].Chat; c != (Chat{ID: "777", Title: "Luis Brown", Platform: "telegram", Type: "personal_chat"}) {
		t.Errorf("chat %+v", c)
	}
}

func TestTelegramSingleChatAndDamage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		text     string
		locs     []string
		problems int
	}{
		{"single chat", `{"name": "A", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", "date_unixtime": "1", "from": "A", "from_id": "user1", "text": "x"}]}`,
			[]string{"json:/messages/0"}, 0},
		{"wrong shape is skipped, index kept", `{"messages": [{"id": 1, "text": "a"}, {"id": 2, "text_entities": "oops"}, {"id": 3, "text": "c"}]}`,
			[]string{"json:/messages/0", "json:/messages/2"}, 1},
		{"truncated keeps earlier items", `{"messages": [{"id": 1, "text": "a"}, {"id": 2, "te`,
			[]string{"json:/messages/0"}, 1},
		{"not an object", `[1, 2]`, nil, 1},
		{"date without unixtime", `{"messages": [{"date": "2025-01-02T03:04:05", "text": "a"}]}`, []string{"json:/messages/0"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, rep := parseTG(t, tc.text)
			var locs []string
			for _, it := range items {
				locs = append(locs, it.Locator)
			}
			if d := cmp.Diff(tc.locs, locs); d != "" {
				t.Errorf("locators: %s", d)
			}
			if len(rep.Problems) != tc.problems {
				t.Errorf("problems %v, want %d", rep.Problems, tc.problems)
			}
		})
	}
}
