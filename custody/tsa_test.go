package custody

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestTimestampRequestDER checks the request byte for byte against the
// structure of RFC 3161 §2.4.1 as OpenSSL writes it, and decodes it back.
func TestTimestampRequestDER(t *testing.T) {
	digest := sha256.Sum256([]byte("checkpoint"))
	der, err := TimestampRequest(digest[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "3039" + // TimeStampReq SEQUENCE, 57 bytes
		"020101" + // version 1
		"3031" + // MessageImprint
		"300d06096086480165030402010500" + // AlgorithmIdentifier { id-sha256, NULL }
		"0420" + hex.EncodeToString(digest[:]) + // hashedMessage
		"0101ff" // certReq TRUE
	if got := hex.EncodeToString(der); got != want {
		t.Errorf("DER =\n%s\nwant\n%s", got, want)
	}

	der, err = TimestampRequest(digest[:], big.NewInt(0x1234))
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Version        int
		MessageImprint struct {
			HashAlgorithm pkix.AlgorithmIdentifier
			HashedMessage []byte
		}
		Nonce   *big.Int
		CertReq bool
	}
	if rest, err := asn1.Unmarshal(der, &back); err != nil || len(rest) != 0 {
		t.Fatalf("decode: %v, %d trailing bytes", err, len(rest))
	}
	if back.Version != 1 || !back.MessageImprint.HashAlgorithm.Algorithm.Equal(oidSHA256) ||
		!bytes.Equal(back.MessageImprint.HashedMessage, digest[:]) || back.Nonce.Int64() != 0x1234 || !back.CertReq {
		t.Errorf("decoded request = %+v", back)
	}
	if _, err := TimestampRequest([]byte("short"), nil); err == nil {
		t.Error("a non-SHA-256 digest was accepted")
	}
}

// fakeTSA answers time-stamp requests with a structurally valid, unsigned
// token for the requested digest and nonce (status 2 when refuse is set).
func fakeTSA(t *testing.T, refuse bool, genTime time.Time) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad content type", http.StatusBadRequest)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req timeStampReq
		if _, err := asn1.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(fakeResponse(t, refuse, req.MessageImprint, req.Nonce, genTime))
	}))
}

// fakeResponse builds a TimeStampResp around a TSTInfo.
func fakeResponse(t testing.TB, refuse bool, mi messageImprint, nonce *big.Int, genTime time.Time) []byte {
	type tstInfo struct {
		Version        int
		Policy         asn1.ObjectIdentifier
		MessageImprint messageImprint
		SerialNumber   *big.Int
		GenTime        time.Time `asn1:"generalized"`
		Nonce          *big.Int  `asn1:"optional"`
	}
	type encap struct {
		EContentType asn1.ObjectIdentifier
		EContent     []byte `asn1:"explicit,tag:0"`
	}
	type signedData struct {
		Version          int
		DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
		Encap            encap
		SignerInfos      []asn1.RawValue `asn1:"set"`
	}
	type contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     signedData `asn1:"explicit,tag:0"`
	}
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if refuse {
		return must(asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 2, StatusString: []string{"policy not supported"}}}))
	}
	tst := must(asn1.Marshal(tstInfo{Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3}, MessageImprint: mi,
		SerialNumber: big.NewInt(7), GenTime: genTime, Nonce: nonce}))
	ci := must(asn1.Marshal(contentInfo{ContentType: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2},
		Content: signedData{Version: 3, DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
			Encap: encap{EContentType: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}, EContent: tst}}}))
	return must(asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 0}, Token: asn1.RawValue{FullBytes: ci}}))
}

func TestTimestamp(t *testing.T) {
	genTime := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	srv := fakeTSA(t, false, genTime)
	defer srv.Close()
	data := []byte("rastro.test/custody\n24\nroot\n")
	resp, err := Timestamp(t.Context(), srv.Client(), srv.URL, data)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ParseTimestamp(resp)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(data)
	if !bytes.Equal(info.Digest, digest[:]) || !info.Time.Equal(genTime) || info.Nonce == nil {
		t.Errorf("token info = %+v", info)
	}

	refusing := fakeTSA(t, true, genTime)
	defer refusing.Close()
	if _, err := Timestamp(t.Context(), refusing.Client(), refusing.URL, data); err == nil || !strings.Contains(err.Error(), "policy not supported") {
		t.Errorf("refused request: %v", err)
	}
	other := fakeResponse(t, false, messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256}, HashedMessage: make([]byte, 32)}, nil, genTime)
	if info, err := ParseTimestamp(other); err != nil || bytes.Equal(info.Digest, digest[:]) {
		t.Errorf("other digest: %v %+v", err, info)
	}
	if _, err := ParseTimestamp([]byte("not der")); err == nil {
		t.Error("garbage parsed as a time-stamp response")
	}
}
