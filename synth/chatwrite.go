package synth

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// create opens a case file whose writes count towards progress.
func (g *gen) create(rel string) (*sink, error) {
	s, err := createSink(g.o.Out, rel)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	s.prog = g.prog
	return s, nil
}

// source returns the message iterator of a plan: its scripted messages, or
// background chatter until written() reaches the plan's target.
func (g *gen) source(f *chatFile, pl *chatPlan, written func() int64) func(*message) bool {
	if pl.msgs != nil {
		i := 0
		return func(m *message) bool {
			if i >= len(pl.msgs) {
				return false
			}
			*m = pl.msgs[i]
			i++
			return true
		}
	}
	country := g.s.sc.Countries[0]
	for _, c := range append([]string{g.s.sc.Destination}, g.s.sc.Countries...) {
		if countryZones[c] == pl.zone {
			country = c
		}
	}
	src := &bgSource{r: newRand(f.seed, 0), pl: pl, written: written, t: pl.start, avoid: g.s.usedPh, country: country}
	return src.next
}

// chatInfo describes a rendered plan for truth.json.
func (g *gen) chatInfo(pl *chatPlan, file, member, pointer string, n int) Chat {
	c := Chat{File: file, Member: member, Platform: pl.platform, Layout: pl.layout, Zone: pl.zone, Title: pl.title,
		Story: pl.story, Messages: n, Pointer: pointer, Participants: []string{}}
	if p := pl.members[pl.owner].person; p >= 0 {
		c.Owner = g.ids[p]
	}
	for _, m := range pl.members {
		if m.person >= 0 {
			c.Participants = append(c.Participants, g.ids[m.person])
		}
	}
	return c
}

// writeWA streams all messages of pl through ww.
func (g *gen) writeWA(ctx context.Context, f *chatFile, pl *chatPlan, ww *waWriter) error {
	next := g.source(f, pl, func() int64 { return ww.n })
	var m message
	for i := 0; next(&m); i++ {
		if i&4095 == 4095 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := ww.write(&m); err != nil {
			return fmt.Errorf("synth: %s: %w", f.rel, err)
		}
	}
	return nil
}

// writeWAText writes a WhatsApp .txt export.
func (g *gen) writeWAText(ctx context.Context, f *chatFile) (*partial, error) {
	pl := f.plans[0]
	s, err := g.create(f.rel)
	if err != nil {
		return nil, err
	}
	ww := newWAWriter(s, pl, f.rel, "", g.ids, pl.story)
	if err := g.writeWA(ctx, f, pl, ww); err != nil {
		s.abort()
		return nil, err
	}
	fi, err := s.close("whatsapp:" + pl.layout)
	if err != nil {
		return nil, err
	}
	return &partial{files: []FileInfo{fi}, sels: ww.sels, recs: ww.recs, chats: []Chat{g.chatInfo(pl, f.rel, "", "", ww.msgs)}}, nil
}

// writeWAZip writes an iOS "WhatsApp Chat - NAME.zip" with _chat.txt and the media.
func (g *gen) writeWAZip(ctx context.Context, f *chatFile) (*partial, error) {
	pl := f.plans[0]
	s, err := g.create(f.rel)
	if err != nil {
		return nil, err
	}
	p, err := g.fillZip(ctx, f, pl, s)
	if err != nil {
		s.abort()
		return nil, err
	}
	fi, err := s.close("whatsapp:zip:" + pl.layout)
	if err != nil {
		return nil, err
	}
	p.files = []FileInfo{fi}
	return p, nil
}

func (g *gen) fillZip(ctx context.Context, f *chatFile, pl *chatPlan, w io.Writer) (*partial, error) {
	zw := zip.NewWriter(w)
	exported := pl.msgs[len(pl.msgs)-1].at.Add(time.Hour).In(pl.loc)
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: pl.zipMember, Method: zip.Deflate, Modified: exported})
	if err != nil {
		return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
	}
	ww := newWAWriter(&counter{w: mw}, pl, f.rel, pl.zipMember, g.ids, true)
	if err := g.writeWA(ctx, f, pl, ww); err != nil {
		return nil, err
	}
	for _, m := range pl.msgs {
		if m.kind != mMedia || m.media == "" {
			continue
		}
		if err := copyIntoZip(zw, g.abs("images/"+m.media), m.media, exported); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
	}
	return &partial{sels: ww.sels, recs: ww.recs, chats: []Chat{g.chatInfo(pl, f.rel, pl.zipMember, "", ww.msgs)}}, nil
}

// copyIntoZip stores a media file (JPEGs do not compress further).
func copyIntoZip(zw *zip.Writer, src, name string, mod time.Time) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: mod})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// writeTGChat writes a Telegram Desktop single-chat export.
func (g *gen) writeTGChat(ctx context.Context, f *chatFile) (*partial, error) {
	pl := f.plans[0]
	s, err := g.create(f.rel)
	if err != nil {
		return nil, err
	}
	tw := &tgWriter{w: s, file: f.rel, ids: g.ids, loc: pl.loc}
	n, err := tw.chat(pl, "", "", g.ctxSource(ctx, g.source(f, pl, tw.at)))
	if err == nil {
		tw.buf = append(tw.buf, '\n')
		err = tw.flush()
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("synth: %s: %w", f.rel, err)
	}
	fi, err := s.close("telegram:chat")
	if err != nil {
		return nil, err
	}
	return &partial{files: []FileInfo{fi}, sels: tw.sels, recs: tw.recs, chats: []Chat{g.chatInfo(pl, f.rel, "", "", n)}}, nil
}

// ctxSource stops a message source when ctx is cancelled.
func (g *gen) ctxSource(ctx context.Context, next func(*message) bool) func(*message) bool {
	i := 0
	return func(m *message) bool {
		i++
		if i&4095 == 0 && ctx.Err() != nil {
			return false
		}
		return next(m)
	}
}
