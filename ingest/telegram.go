package ingest

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// tgNotIncluded starts the placeholder Telegram writes for media left out of an export.
const tgNotIncluded = "(File not included"

// tgMessage is one Telegram Desktop message object (fields Rastro uses).
type tgMessage struct {
	ID           json.RawMessage `json:"id"`
	Type         string          `json:"type"`
	Date         string          `json:"date"`
	DateUnix     json.RawMessage `json:"date_unixtime"`
	From         *string         `json:"from"`
	FromID       json.RawMessage `json:"from_id"`
	Actor        *string         `json:"actor"`
	ActorID      json.RawMessage `json:"actor_id"`
	Action       string          `json:"action"`
	Title        string          `json:"title"`
	Members      []*string       `json:"members"`
	Text         json.RawMessage `json:"text"`
	TextEntities []Entity        `json:"text_entities"`
	Photo        string          `json:"photo"`
	File         string          `json:"file"`
	MediaType    string          `json:"media_type"`
	Forwarded    *string         `json:"forwarded_from"`
	ReplyTo      json.RawMessage `json:"reply_to_message_id"`
	Contact      *struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Phone     string `json:"phone_number"`
	} `json:"contact_information"`
	Location *struct {
		Lat json.Number `json:"latitude"`
		Lon json.Number `json:"longitude"`
	} `json:"location_information"`
}

// tgContact is one entry of contacts.list or personal_information.
type tgContact struct {
	UserID    json.RawMessage `json:"user_id"`
	FirstName string          `json:"first_name"`
	LastName  string          `json:"last_name"`
	Phone     string          `json:"phone_number"`
	Username  string          `json:"username"`
	Date      string          `json:"date"`
	DateUnix  json.RawMessage `json:"date_unixtime"`
}

// tgParser walks one Telegram Desktop export.
type tgParser struct {
	*jsonStream
	fn  Func
	opt Options
}

// ParseTelegram reads a Telegram Desktop JSON export, either a full export
// (personal_information, contacts.list, chats.list, left_chats.list) or a
// single chat ({name, type, id, messages}), streaming it message by message.
// Locators are JSON pointers: "json:/chats/list/3/messages/17",
// "json:/messages/5", "json:/contacts/list/2". date_unixtime is
// authoritative; date is read in Options.Zone only when it is missing.
func ParseTelegram(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	p := &tgParser{jsonStream: newJSONStream(r, &Report{Format: FormatTelegram}), fn: fn, opt: opt}
	return p.finish("ingest telegram", p.root())
}

// root walks the top-level object.
func (p *tgParser) root() error {
	var chat Chat
	return p.object(func(k string) error {
		switch k {
		case "personal_information":
			return p.personal()
		case "contacts":
			return p.list("/contacts", p.contact)
		case "chats", "left_chats":
			return p.list("/"+k, p.chat)
		case "messages":
			return p.messages("", chat)
		case "name", "type", "id":
			return p.chatField(&chat, k)
		}
		return p.skip()
	})
}

// list walks {"about": ..., "list": [...]} calling each with every element's pointer.
func (p *tgParser) list(ptr string, each func(ptr string) error) error {
	return p.object(func(k string) error {
		if k != "list" {
			return p.skip()
		}
		return p.array(func(i int) error { return each(ptr + "/list/" + strconv.Itoa(i)) })
	})
}

// chatField reads a chat's name, type or id.
func (p *tgParser) chatField(c *Chat, k string) error {
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return err
	}
	switch v := rawString(raw); k {
	case "name":
		c.Title = v
	case "type":
		c.Type = v
	case "id":
		c.ID = v
	}
	c.Platform = "telegram"
	return nil
}

// chat walks one chat object of a full export.
func (p *tgParser) chat(ptr string) error {
	var c Chat
	return p.object(func(k string) error {
		switch k {
		case "name", "type", "id":
			return p.chatField(&c, k)
		case "messages":
			return p.messages(ptr, c)
		}
		return p.skip()
	})
}

// personal reads the exporting account.
func (p *tgParser) personal() error {
	var pi tgContact
	if ok, err := p.decodeOne(&pi, "json:/personal_information"); !ok {
		return err
	}
	o := tgParty(pi)
	p.rep.Owner = &o
	return nil
}

// contact emits one address-book entry.
func (p *tgParser) contact(ptr string) error {
	var c tgContact
	loc := "json:" + ptr
	if ok, err := p.decodeOne(&c, loc); !ok {
		return err
	}
	it := Item{Kind: KindContact, Locator: loc, Sender: tgParty(c), Chat: Chat{Platform: "telegram"}}
	it.Time, _ = p.time(c.DateUnix, c.Date, loc)
	return p.emit(it)
}

// tgParty is an account from a contact or profile entry.
func tgParty(c tgContact) Party {
	pa := Party{Name: strings.TrimSpace(c.FirstName + " " + c.LastName)}
	if id := rawString(c.UserID); id != "" {
		pa.ID = "user" + id
	}
	if ph, ok := phoneOf(c.Phone); ok {
		pa.Phone = ph
	}
	return pa
}

// emit counts and hands over one item.
func (p *tgParser) emit(it Item) error {
	p.rep.Items++
	if err := p.fn(it); err != nil {
		return errStop{err}
	}
	return nil
}

// messages walks a messages array.
func (p *tgParser) messages(ptr string, c Chat) error {
	c.Platform = "telegram"
	return p.array(func(k int) error {
		loc := "json:" + ptr + "/messages/" + strconv.Itoa(k)
		var m tgMessage
		if ok, err := p.decodeOne(&m, loc); !ok {
			return err
		}
		return p.emit(p.item(&m, c, loc))
	})
}

// item converts one message.
func (p *tgParser) item(m *tgMessage, c Chat, loc string) Item {
	it := Item{Kind: KindMessage, Locator: loc, Chat: c, System: m.Type == "service"}
	it.Time, _ = p.time(m.DateUnix, m.Date, loc)
	it.Text, it.Entities = tgText(m.Text, m.TextEntities)
	if it.System {
		it.Sender = tgSender(m.Actor, m.ActorID)
		it.Fields = tgServiceFields(m)
	} else {
		it.Sender = tgSender(m.From, m.FromID)
		it.Fields = tgMessageFields(m)
	}
	for _, f := range []string{m.Photo, m.File} {
		if f != "" && !strings.HasPrefix(f, tgNotIncluded) {
			it.Attachments = append(it.Attachments, f)
		}
	}
	if c.Type == "personal_chat" && c.ID != "" {
		it.Recipients = p.recipients(it.Sender, c)
	}
	return it
}

// recipients of a personal chat: the other side.
func (p *tgParser) recipients(from Party, c Chat) []Party {
	other := Party{Name: c.Title, ID: "user" + c.ID}
	if ph, ok := phoneOf(c.Title); ok {
		other.Phone = ph
	}
	if from.ID != other.ID {
		return []Party{other}
	}
	if p.rep.Owner != nil {
		return []Party{*p.rep.Owner}
	}
	return nil
}

// tgSender is the author of a message.
func tgSender(name *string, id json.RawMessage) Party {
	var pa Party
	if name != nil {
		pa.Name = *name
		pa.Phone, _ = phoneOf(*name)
	}
	pa.ID = rawString(id)
	if pa.ID != "" && pa.ID[0] >= '0' && pa.ID[0] <= '9' {
		pa.ID = "user" + pa.ID // exports before 2021 wrote a bare number
	}
	return pa
}

// time reads date_unixtime, or date in the zone when it is missing.
func (p *tgParser) time(unix json.RawMessage, local, loc string) (time.Time, bool) {
	if s := rawString(unix); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC(), true
		}
	}
	if local == "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", local, p.opt.zone())
	if err != nil {
		p.rep.problem(loc, "unreadable date %q", local)
		return time.Time{}, false
	}
	if p.opt.Zone == nil {
		p.rep.ZoneAssumed = true
	}
	return t.UTC(), true
}

// tgText joins a text (string or array of strings and {type,text}) and
// returns the entities (text_entities, or the array's parts).
func tgText(raw json.RawMessage, ents []Entity) (string, []Entity) {
	if len(raw) == 0 {
		return "", ents
	}
	var s string
	if raw[0] == '"' {
		_ = json.Unmarshal(raw, &s)
		return s, ents
	}
	var parts []json.RawMessage
	if json.Unmarshal(raw, &parts) != nil {
		return "", ents
	}
	var b strings.Builder
	var derived []Entity
	for _, pr := range parts {
		var e Entity
		if len(pr) > 0 && pr[0] == '"' {
			_ = json.Unmarshal(pr, &e.Text)
			e.Type = "plain"
		} else {
			_ = json.Unmarshal(pr, &e)
		}
		b.WriteString(e.Text)
		derived = append(derived, e)
	}
	if ents == nil {
		ents = derived
	}
	return b.String(), ents
}

// tgMessageFields keeps the message metadata investigators ask about.
func tgMessageFields(m *tgMessage) map[string]string {
	f := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			f[k] = v
		}
	}
	set("id", rawString(m.ID))
	set("reply_to", rawString(m.ReplyTo))
	set("media_type", m.MediaType)
	if m.Forwarded != nil {
		set("forwarded_from", *m.Forwarded)
	}
	if m.Photo != "" {
		set("media", "photo")
	}
	if m.Contact != nil {
		set("contact_name", strings.TrimSpace(m.Contact.FirstName+" "+m.Contact.LastName))
		set("contact_phone", m.Contact.Phone)
	}
	if m.Location != nil {
		set("location", m.Location.Lat.String()+","+m.Location.Lon.String())
	}
	return f
}

// tgServiceFields keeps what a service message did.
func tgServiceFields(m *tgMessage) map[string]string {
	f := map[string]string{"id": rawString(m.ID), "action": m.Action}
	if m.Title != "" {
		f["title"] = m.Title
	}
	var members []string
	for _, s := range m.Members {
		if s != nil {
			members = append(members, *s)
		}
	}
	if len(members) > 0 {
		f["members"] = strings.Join(members, "\n")
	}
	return f
}
