package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/rastro/rastro"
	"github.com/rastro/rastro/custody"
	"github.com/rastro/rastro/vault"
)

// newTestVault returns an in-memory vault.
func newTestVault(t testing.TB) *vault.Vault {
	t.Helper()
	b := vault.NewMemBackend()
	kr, err := vault.NewKeyring(b, bytes.Repeat([]byte{7}, vault.KeySize))
	must(t, err)
	return vault.New(b, kr)
}

// newTestKeys returns fresh custody checkpoint keys.
func newTestKeys(t testing.TB) *custody.Keys {
	t.Helper()
	k, err := custody.LoadOrCreateKeys(t.TempDir(), "test/custody")
	must(t, err)
	return k
}

// testPNG is a small generated image (a grey square: nothing depicted).
func testPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	img.SetGray(0, 0, color.Gray{Y: 0})
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// testText is the text item's content; the markup must come out escaped.
const testText = "Mensaje ficticio: nos vemos a las 9 <script>alert(1)</script>\n"

// seedContent stores an image and a text file in the vault, records them as
// evidence of the case, and adds a finding naming the suspect and the
// possible victim.
func (f *fixture) seedContent(ctx context.Context) {
	t, sys := f.t, rastro.SystemActor("test")
	t.Helper()
	f.imageID = f.putEvidence(ctx, testPNG(t), "photo-0001.png", "image/png", "EX-2")
	f.textID = f.putEvidence(ctx, []byte(testText), "notes.txt", "text/plain", "EX-3")
	fd := &rastro.Finding{CaseID: f.caseID, Kind: "money.fan_in", Title: "Many senders to one account (fictional)",
		Explanation: "Twelve payments from different places within two days.", Severity: 4,
		EntityIDs: []string{f.entity.ID, f.victim.ID}}
	must(t, f.db.CreateFinding(ctx, sys, fd))
	f.findingID = fd.ID
}

// putEvidence stores content in the vault and records its evidence item.
func (f *fixture) putEvidence(ctx context.Context, content []byte, name, mediaType, exhibit string) int64 {
	f.t.Helper()
	h, _, err := f.vault.Put(ctx, f.caseID, bytes.NewReader(content))
	must(f.t, err)
	ev := &rastro.Evidence{CaseID: f.caseID, SHA256: h.SHA256, MD5: h.MD5, SHA1: h.SHA1, Size: h.Size, MediaType: mediaType,
		OriginalName: name, ExhibitNo: exhibit, Source: "seized phone (fictional)", AcquiredAt: f.now, Tool: "rastro ingest"}
	_, err = f.db.CreateEvidence(ctx, rastro.SystemActor("test"), ev)
	must(f.t, err)
	return ev.ID
}
