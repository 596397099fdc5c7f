package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// adKeys lists, per item field, the keys a JSONL ad may use; the first
// present wins (the synth format first: id, site, url, posted_at, title, body,
// phones, contacts, images).
var adKeys = map[string][]string{
	"time":   {"posted_at", "date", "timestamp", "created_at", "time", "published"},
	"title":  {"title", "headline", "subject"},
	"text":   {"body", "text", "description", "content", "message"},
	"poster": {"poster", "author", "user", "username", "seller", "name"},
	"phone":  {"phone", "phone_number", "telephone"},
}

// adFields are scalar keys kept in Item.Fields.
var adFields = []string{"id", "site", "url", "category", "city", "country", "price", "currency", "language", "location", "email"}

// ParseAdsJSONL reads online ads, one JSON object per line (the synth ads
// format or any object with a title/body-like key). Locators are "line:N";
// phones and contacts listed by the source become entities.
func ParseAdsJSONL(r io.Reader, name string, opt Options, fn Func) (*Report, error) {
	rep := &Report{Format: FormatAdsJSONL}
	lr := newLineReader(r)
	for line, ok := lr.line(); ok; line, ok = lr.line() {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		loc := "line:" + strconv.Itoa(lr.num)
		var obj map[string]any
		if err := json.Unmarshal(line, &obj); err != nil {
			rep.problem(loc, "not a JSON object: %v", err)
			continue
		}
		rep.Items++
		if err := fn(adItem(obj, loc, &opt, rep)); err != nil {
			return rep, err
		}
	}
	if err := lr.failure(); err != nil {
		return rep, fmt.Errorf("ingest ads: %w", err)
	}
	return rep, nil
}

// adItem maps one ad object.
func adItem(obj map[string]any, loc string, opt *Options, rep *Report) Item {
	get := func(field string) string {
		for _, k := range adKeys[field] {
			if s := scalar(obj[k]); s != "" {
				return s
			}
		}
		return ""
	}
	it := Item{Kind: KindAd, Locator: loc, Title: get("title"), Text: get("text"), Fields: map[string]string{}}
	it.Sender = Party{Name: get("poster")}
	if ph, ok := phoneOf(get("phone")); ok {
		it.Sender.Phone = ph
	}
	for _, k := range adFields {
		setIf(it.Fields, k, scalar(obj[k]))
	}
	it.Chat = Chat{Platform: "web", ID: it.Fields["site"], Title: it.Fields["site"]}
	if ts := get("time"); ts != "" {
		if t, ok := parseLooseTime(ts, opt); ok {
			it.Time = t
		} else {
			rep.problem(loc, "unreadable time %q", ts)
		}
	}
	for _, v := range list(obj["phones"]) {
		it.Entities = append(it.Entities, Entity{Type: "phone", Text: v})
	}
	for _, v := range list(obj["contacts"]) {
		it.Entities = append(it.Entities, Entity{Type: "contact", Text: v})
	}
	for _, v := range list(obj["emails"]) {
		it.Entities = append(it.Entities, Entity{Type: "email", Text: v})
	}
	it.Attachments = list(obj["images"])
	return it
}

// scalar returns a string, number or bool as text.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// list returns the scalar elements of a JSON array (or a lone scalar).
func list(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s := scalar(e); s != "" {
				out = append(out, s)
			}
		}
	default:
		if s := scalar(x); s != "" {
			out = append(out, s)
		}
	}
	return out
}
