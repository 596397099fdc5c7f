package custody

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// oidSHA256 is id-sha256 (RFC 5754).
var oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}

// messageImprint is RFC 3161's MessageImprint.
type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

// timeStampReq is RFC 3161's TimeStampReq (without policy or extensions).
type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional"`
}

// TimestampRequest returns the DER TimeStampReq (RFC 3161 §2.4.1) for a
// SHA-256 digest, asking for the TSA's certificate in the token, with the
// nonce if not nil.
func TimestampRequest(digest []byte, nonce *big.Int) ([]byte, error) {
	if len(digest) != sha256.Size {
		return nil, errors.New("timestamp request: digest must be SHA-256")
	}
	req := timeStampReq{
		Version: 1,
		MessageImprint: messageImprint{
			// NULL parameters, as OpenSSL writes them; TSAs accept both forms.
			HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
			HashedMessage: digest,
		},
		Nonce:   nonce,
		CertReq: true,
	}
	der, err := asn1.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("timestamp request: %w", err)
	}
	return der, nil
}

// Timestamp asks the time-stamping authority at url to time-stamp
// SHA-256(data) and returns its DER TimeStampResp, after checking that the
// request was granted and the token covers the data and the nonce.
func Timestamp(ctx context.Context, client *http.Client, url string, data []byte) ([]byte, error) {
	digest := sha256.Sum256(data)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	der, err := TimestampRequest(digest[:], nonce)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(der))
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	req.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("timestamp: %s answered %s", url, resp.Status)
	}
	info, err := ParseTimestamp(body)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(info.Digest, digest[:]) || (info.Nonce != nil && info.Nonce.Cmp(nonce) != 0) {
		return nil, errors.New("timestamp: the token is for other data or another request")
	}
	return body, nil
}

// TimestampInfo is what ParseTimestamp reads from a time-stamp token. The
// token's CMS signature is not checked here: that needs the TSA's
// certificate chain (`openssl ts -verify` does it).
type TimestampInfo struct {
	Digest []byte // the SHA-256 the token covers
	Time   time.Time
	Nonce  *big.Int
}

// pkiStatusInfo is RFC 3161's PKIStatusInfo.
type pkiStatusInfo struct {
	Status       int
	StatusString []string       `asn1:"optional"` // UTF8String elements decode too
	FailInfo     asn1.BitString `asn1:"optional"`
}

// timeStampResp is RFC 3161's TimeStampResp.
type timeStampResp struct {
	Status pkiStatusInfo
	Token  asn1.RawValue `asn1:"optional"`
}

// ParseTimestamp reads a DER TimeStampResp: its status must be granted, and
// the TSTInfo inside the token's SignedData gives the digest and time.
func ParseTimestamp(der []byte) (*TimestampInfo, error) {
	var resp timeStampResp
	if rest, err := asn1.Unmarshal(der, &resp); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("timestamp: malformed TimeStampResp: %v", err)
	}
	if s := resp.Status.Status; s != 0 && s != 1 {
		return nil, fmt.Errorf("timestamp: refused (status %d): %s", s, strings.Join(resp.Status.StatusString, "; "))
	}
	tst, err := tstInfoOf(resp.Token.FullBytes)
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	return tst, nil
}

// tstInfoOf digs the TSTInfo out of ContentInfo → SignedData →
// EncapsulatedContentInfo → eContent (RFC 5652, RFC 3161 §2.4.2).
func tstInfoOf(token []byte) (*TimestampInfo, error) {
	var ci struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue // [0] EXPLICIT SignedData
	}
	if _, err := asn1.Unmarshal(token, &ci); err != nil || ci.Content.Class != asn1.ClassContextSpecific || ci.Content.Tag != 0 {
		return nil, fmt.Errorf("token ContentInfo is malformed: %v", err)
	}
	sd, err := children(ci.Content.Bytes)
	if err != nil || len(sd) < 3 {
		return nil, errors.New("token SignedData is malformed")
	}
	encap, err := children(sd[2].FullBytes)
	if err != nil || len(encap) < 2 || encap[1].Tag != 0 {
		return nil, errors.New("token has no encapsulated TSTInfo")
	}
	var octets []byte
	if _, err := asn1.Unmarshal(encap[1].Bytes, &octets); err != nil {
		return nil, fmt.Errorf("token eContent: %w", err)
	}
	return parseTSTInfo(octets)
}

// parseTSTInfo reads version, policy, messageImprint, serialNumber,
// genTime and the optional nonce of a TSTInfo.
func parseTSTInfo(der []byte) (*TimestampInfo, error) {
	f, err := children(der)
	if err != nil || len(f) < 5 {
		return nil, errors.New("TSTInfo is malformed")
	}
	var mi messageImprint
	if _, err := asn1.Unmarshal(f[2].FullBytes, &mi); err != nil || !mi.HashAlgorithm.Algorithm.Equal(oidSHA256) {
		return nil, errors.New("TSTInfo's message imprint is not SHA-256")
	}
	info := &TimestampInfo{Digest: mi.HashedMessage}
	if _, err := asn1.UnmarshalWithParams(f[4].FullBytes, &info.Time, "generalized"); err != nil {
		return nil, fmt.Errorf("TSTInfo genTime: %w", err)
	}
	for _, x := range f[5:] {
		if x.Class == asn1.ClassUniversal && x.Tag == asn1.TagInteger {
			info.Nonce = new(big.Int)
			if _, err := asn1.Unmarshal(x.FullBytes, &info.Nonce); err != nil {
				return nil, fmt.Errorf("TSTInfo nonce: %w", err)
			}
		}
	}
	return info, nil
}

// children splits the contents of a DER SEQUENCE or SET into its elements.
func children(der []byte) ([]asn1.RawValue, error) {
	var outer asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &outer); err != nil {
		return nil, err
	} else if len(rest) > 0 || !outer.IsCompound {
		return nil, errors.New("not a single constructed value")
	}
	var out []asn1.RawValue
	for rest := outer.Bytes; len(rest) > 0; {
		var v asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
