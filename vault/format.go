package vault

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
)

// Blob format, version 1. A stored blob is a header followed by chunks:
//
//	header (60 bytes):
//	  magic "RSTV" | version 1 | 3 zero bytes | chunk size (uint32 BE) |
//	  case id (int64 BE) | case key id (8 bytes) | salt (16 random bytes) |
//	  header MAC (16 bytes: HMAC-SHA256(case key, previous 44 bytes))
//	chunk i (i = 0..n-1): AES-256-GCM(plaintext chunk i) with its 16-byte tag
//
// Every chunk holds ChunkSize plaintext bytes except the last, which holds
// 0..ChunkSize (an empty blob is one empty final chunk). The GCM key of a
// blob is HMAC-SHA256(case key, "rastro blob key v1" | salt): a fresh key per
// blob, so the nonce can simply be the chunk index (4 zero bytes | uint64 BE
// index) with no birthday bound on random nonces. Each chunk's additional
// data is header | index (uint64 BE) | final flag (1 byte), and the final
// chunk's also carries the SHA-256 of the whole plaintext, so a chunk that is
// changed, moved, dropped or duplicated, a blob cut at a chunk boundary, and a
// whole blob renamed to another's name all fail authentication.
const (
	magic            = "RSTV"
	formatVersion    = 1
	headerSize       = 60
	headerMACOffset  = 44
	tagSize          = 16
	saltSize         = 16
	keyIDSize        = 8
	DefaultChunkSize = 64 << 10 // plaintext bytes per chunk
	maxChunkSize     = 16 << 20
)

// header is a parsed blob header.
type header struct {
	chunkSize int
	caseID    int64
	keyID     [keyIDSize]byte
	salt      [saltSize]byte
	raw       []byte // the encoded header, part of every chunk's additional data
}

// caseKeyID is the key id written in headers: the first 8 bytes of KeyID.
func caseKeyID(caseKey []byte) (id [keyIDSize]byte) {
	b, _ := hex.DecodeString(KeyID(caseKey))
	copy(id[:], b)
	return id
}

// newHeader makes the header of a new blob with a random salt.
func newHeader(caseID int64, caseKey []byte, chunkSize int) *header {
	h := &header{chunkSize: chunkSize, caseID: caseID, keyID: caseKeyID(caseKey)}
	rand.Read(h.salt[:])
	raw := make([]byte, 0, headerSize)
	raw = append(raw, magic...)
	raw = append(raw, formatVersion, 0, 0, 0)
	raw = binary.BigEndian.AppendUint32(raw, uint32(chunkSize))
	raw = binary.BigEndian.AppendUint64(raw, uint64(caseID))
	raw = append(raw, h.keyID[:]...)
	raw = append(raw, h.salt[:]...)
	h.raw = append(raw, headerMAC(caseKey, raw)...)
	return h
}

// headerMAC authenticates the header fields under the case key.
func headerMAC(caseKey, fields []byte) []byte {
	m := hmac.New(sha256.New, caseKey)
	m.Write([]byte("rastro blob header v1"))
	m.Write(fields)
	return m.Sum(nil)[:16]
}

// parseHeader checks a stored header against the case and its key; the
// error says which field is wrong.
func parseHeader(raw []byte, caseID int64, caseKey []byte) (*header, error) {
	if len(raw) < headerSize {
		return nil, fmt.Errorf("the header is truncated (%d of %d bytes)", len(raw), headerSize)
	}
	raw = raw[:headerSize]
	if string(raw[:4]) != magic {
		return nil, fmt.Errorf("the header has no Rastro vault magic (not a vault blob)")
	}
	if raw[4] != formatVersion {
		return nil, fmt.Errorf("the header names format version %d; this Rastro reads version %d", raw[4], formatVersion)
	}
	h := &header{
		chunkSize: int(binary.BigEndian.Uint32(raw[8:12])),
		caseID:    int64(binary.BigEndian.Uint64(raw[12:20])),
		raw:       bytes.Clone(raw),
	}
	copy(h.keyID[:], raw[20:28])
	copy(h.salt[:], raw[28:44])
	if !hmac.Equal(raw[headerMACOffset:], headerMAC(caseKey, raw[:headerMACOffset])) {
		if h.caseID != caseID {
			return nil, fmt.Errorf("the header says case %d", h.caseID)
		}
		if want := caseKeyID(caseKey); h.keyID != want {
			return nil, fmt.Errorf("the header names case key %x, but the key of case %d is %x", h.keyID, caseID, want)
		}
		return nil, fmt.Errorf("the header fails authentication (changed)")
	}
	if h.chunkSize <= 0 || h.chunkSize > maxChunkSize || h.caseID != caseID {
		return nil, fmt.Errorf("the header is inconsistent (chunk size %d, case %d)", h.chunkSize, h.caseID)
	}
	return h, nil
}

// blobAEAD returns the GCM cipher of one blob.
func blobAEAD(caseKey []byte, h *header) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, caseKey)
	m.Write([]byte("rastro blob key v1"))
	m.Write(h.salt[:])
	return newGCM(m.Sum(nil))
}

// chunkNonce is the nonce of chunk i.
func chunkNonce(dst []byte, i uint64) []byte {
	dst = append(dst[:0], 0, 0, 0, 0)
	return binary.BigEndian.AppendUint64(dst, i)
}

// chunkAD is the additional data of chunk i.
func chunkAD(dst []byte, h *header, i uint64, final bool, sum []byte) []byte {
	dst = append(dst[:0], h.raw...)
	dst = binary.BigEndian.AppendUint64(dst, i)
	if !final {
		return append(dst, 0)
	}
	return append(append(dst, 1), sum...)
}

// sealer encrypts a stream into chunks. A full chunk is sealed only when
// more data arrives, so that the last one can be marked final by Close.
type sealer struct {
	w     io.Writer
	aead  cipher.AEAD
	h     *header
	buf   []byte // pending plaintext, at most chunkSize
	out   []byte
	nonce []byte
	ad    []byte
	index uint64
}

// newSealer writes the header to w and returns a sealer.
func newSealer(w io.Writer, caseKey []byte, h *header) (*sealer, error) {
	aead, err := blobAEAD(caseKey, h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(h.raw); err != nil {
		return nil, err
	}
	// Buffers grow with use, so that a small file does not allocate a chunk.
	return &sealer{w: w, aead: aead, h: h}, nil
}

// Write implements io.Writer.
func (s *sealer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == s.h.chunkSize {
			if err := s.seal(false, nil); err != nil {
				return n - len(p), err
			}
		}
		k := min(len(p), s.h.chunkSize-len(s.buf))
		s.buf = append(s.buf, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// seal encrypts and writes the pending chunk.
func (s *sealer) seal(final bool, sum []byte) error {
	s.nonce = chunkNonce(s.nonce, s.index)
	s.ad = chunkAD(s.ad, s.h, s.index, final, sum)
	s.out = s.aead.Seal(s.out[:0], s.nonce, s.buf, s.ad)
	s.index++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

// Close seals the final chunk, binding the plaintext's SHA-256.
func (s *sealer) Close(sum []byte) error {
	return s.seal(true, sum)
}

// layout computes the chunk count and the plaintext size of a stored blob of
// objSize bytes; ok is false when the size cannot be a whole blob.
func layout(objSize int64, chunkSize int) (chunks, size int64, ok bool) {
	body := objSize - headerSize
	stride := int64(chunkSize + tagSize)
	if body < tagSize {
		return 0, 0, false
	}
	chunks = (body + stride - 1) / stride
	last := body - (chunks-1)*stride - tagSize
	if last < 0 {
		return 0, 0, false
	}
	return chunks, (chunks-1)*int64(chunkSize) + last, true
}
