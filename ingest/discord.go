package ingest

import (
	"io"
	"strconv"
	"time"
)

// dcAuthor is a DiscordChatExporter author or mention.
type dcAuthor struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Nickname string `json:"nickname"`
	IsBot    bool   `json:"isBot"`
}

// dcMessage is one DiscordChatExporter message (fields Rastro uses).
type dcMessage struct {
	ID          string     `json:"id"`
	Type        string     `json:"type"`
	Timestamp   string     `json:"timestamp"`
	Edited      *string    `json:"timestampEdited"`
	Content     string     `json:"content"`
	Author      dcAuthor   `json:"author"`
	Mentions    []dcAuthor `json:"mentions"`
	Attachments []struct {
		URL      string `json:"url"`
		FileName string `json:"fileName"`
	} `json:"attachments"`
	Reference *struct {
		MessageID string `json:"messageId"`
	} `json:"reference"`
}

// ParseDiscord reads a DiscordChatExporter JSON export ({guild, channel,
// messages}), streaming it message by message; locators "json:/messages/K".
func ParseDiscord(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	js := newJSONStream(r, &Report{Format: FormatDiscord})
	var chat Chat
	guild := ""
	err := js.object(func(k string) error {
		switch k {
		case "guild":
			var g struct{ ID, Name string }
			if _, err := js.decodeOne(&g, "json:/guild"); err != nil {
				return err
			}
			guild = g.Name
			return nil
		case "channel":
			var c struct{ ID, Type, Name, Category string }
			if _, err := js.decodeOne(&c, "json:/channel"); err != nil {
				return err
			}
			chat = Chat{ID: c.ID, Title: c.Name, Platform: "discord", Type: c.Type}
			return nil
		case "messages":
			chat.Platform = "discord"
			return js.array(func(i int) error { return dcMessageAt(js, i, chat, guild, fn) })
		}
		return js.skip()
	})
	return js.finish("ingest discord", err)
}

// dcMessageAt decodes and emits message i.
func dcMessageAt(js *jsonStream, i int, chat Chat, guild string, fn Func) error {
	loc := "json:/messages/" + strconv.Itoa(i)
	var m dcMessage
	if ok, err := js.decodeOne(&m, loc); !ok {
		return err
	}
	it := Item{Kind: KindMessage, Locator: loc, Chat: chat, Text: m.Content,
		Sender: Party{Name: m.Author.Name, ID: m.Author.ID},
		System: m.Type != "" && m.Type != "Default" && m.Type != "Reply"}
	if m.Type == "Call" {
		it.Kind = KindCall
	}
	if t, err := time.Parse(time.RFC3339Nano, m.Timestamp); err == nil {
		it.Time = t.UTC()
	} else if m.Timestamp != "" {
		js.rep.problem(loc, "unreadable timestamp %q", m.Timestamp)
	}
	for _, a := range m.Attachments {
		it.Attachments = append(it.Attachments, firstNonEmpty(a.FileName, a.URL))
	}
	for _, mn := range m.Mentions {
		it.Entities = append(it.Entities, Entity{Type: "mention", Text: "@" + mn.Name})
	}
	it.Fields = map[string]string{"id": m.ID}
	setIf(it.Fields, "guild", guild)
	setIf(it.Fields, "nickname", m.Author.Nickname)
	if m.Reference != nil {
		setIf(it.Fields, "reply_to", m.Reference.MessageID)
	}
	if m.Author.IsBot {
		it.Fields["bot"] = "true"
	}
	js.rep.Items++
	if err := fn(it); err != nil {
		return errStop{err}
	}
	return nil
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// setIf sets m[k] when v is not empty.
func setIf(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}
