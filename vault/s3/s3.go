// Package s3 is a vault.Backend on S3-compatible object storage (AWS S3,
// MinIO, Ceph RGW, Garage, Cloudflare R2, ...), for deployments where several
// Rastro nodes share one evidence store or the data directory's disk is too
// small. It lives apart from package vault so that builds which keep the
// vault in the data directory do not link an S3 client.
//
// # Configuration
//
// ConfigFromEnv reads:
//
//	RASTRO_S3_ENDPOINT    host[:port] of the S3 API, e.g. s3.eu-west-1.amazonaws.com
//	                      or minio.internal:9000 (an http:// or https:// prefix
//	                      is accepted and overrides RASTRO_S3_TLS)
//	RASTRO_S3_BUCKET      bucket name (required; the bucket must exist: Rastro
//	                      does not create it, so that its policy, versioning,
//	                      object lock and lifecycle stay the operator's choice)
//	RASTRO_S3_PREFIX      optional key prefix, e.g. "rastro/prod/" (a "/" is
//	                      appended when missing), to share a bucket
//	RASTRO_S3_ACCESS_KEY  access key id
//	RASTRO_S3_SECRET_KEY  secret access key
//	RASTRO_S3_REGION      region, e.g. eu-west-1 (empty: the client asks the server)
//	RASTRO_S3_TLS         "true" (default) or "false" for plain HTTP on a
//	                      trusted network or a local test server
//
// The vault is not configured for S3 unless RASTRO_S3_BUCKET is set.
//
// # Layout
//
// Object names map to keys under the prefix unchanged: encrypted blobs under
// "<prefix>blobs/case-<id>/..", and the wrapped case keys under
// "<prefix>keys/case-<id>.json" in the same bucket. Wrapped keys are useless
// without the master key (which never goes to S3), so a leaked bucket reveals
// no evidence content; deleting a case's key object crypto-shreds the case.
// Every node sharing the bucket must therefore use the same master key: set
// RASTRO_MASTER_KEY on each, rather than letting each data directory make
// its own master.key.
// Uploads in progress live under "<prefix>tmp~/", which List never returns
// ("~" cannot occur in an object name).
//
// # Writes and atomicity
//
// S3 has no rename, and the vault learns an object's name (a keyed hash of
// its content) only when the stream has ended, so a Temp cannot upload to its
// final key from the start. A Temp keeps up to Config.PartSize bytes (16 MiB
// by default) in memory. If Commit comes first, the bytes go to the final key
// in one PUT; with replace=false the PUT carries "If-None-Match: *", which
// AWS S3 (since August 2024) and MinIO evaluate atomically (so does gofakes3,
// where the tests check it), so of two nodes creating the same case key
// exactly one wins and the other gets vault.ErrExist. Case keys are always
// this small. On a server that ignores the header, a HEAD just before the
// PUT still catches all but a true race.
//
// Past PartSize, the Temp streams a multipart upload (minio-go PutObject with
// unknown size, one PartSize buffer) to a temporary key through a pipe, so
// memory stays bounded by about two parts however large the blob; nothing is
// spooled to local disk, which a scale-out node may not have. Commit then
// completes the upload, copies the temporary object server-side to the final
// key (CopyObject; above 5 GiB a multipart UploadPartCopy through
// ComposeObject) and deletes the temporary one. The final key appears at once, whole, or not at all: an interrupted
// upload leaves nothing under the final name. With replace=false this path
// checks for the final key before copying but the copy itself is not
// conditional, so two nodes committing the same large blob at once may both
// write it; the name is a content address, so both writes hold the same
// plaintext under the same case key and either is valid.
//
// Every request carries a Content-MD5 that the server checks; payloads are
// not SHA-256-signed, since the vault's AES-GCM chunks
// authenticate every byte end to end anyway.
//
// A process killed mid-upload leaves an incomplete multipart upload or a
// temporary object under tmp~/: invisible, but billed. RemoveStaleTemp
// deletes both; a bucket lifecycle rule (AbortIncompleteMultipartUpload after
// a day, expire "<prefix>tmp~/" after a day) does the same server-side.
//
// A Temp refuses to grow past 10,000 parts (156 GiB at the default part
// size) with EINVALID as soon as it gets there, rather than after uploading
// it all; raise PartSize for larger evidence.
//
// # Reads and consistency
//
// Open pins the object's ETag and reads ranges of it with If-Match, so an
// object replaced while open gives an error instead of a mix of two
// versions. Sequential reads share one ranged GET of Config.ReadAhead bytes
// (8 MiB by default); a jump starts a new one. The backend assumes
// read-after-write and list-after-write consistency (AWS S3 since December
// 2020, MinIO, Ceph RGW); on an eventually consistent store a just-committed
// blob could briefly read as not found.
//
// # Bucket settings
//
// Rastro needs s3:GetObject, PutObject, DeleteObject, ListBucket,
// ListBucketMultipartUploads and AbortMultipartUpload on the bucket (and
// GetBucketLocation when RASTRO_S3_REGION is empty). Server-side encryption
// is not needed: every byte Rastro stores is already encrypted. If the
// bucket keeps versions, a deleted object survives as a noncurrent version,
// so deleting a case key no longer crypto-shreds the case: expire
// noncurrent versions under "<prefix>keys/" (lifecycle rule
// NoncurrentVersionExpiration) or keep versioning off for that prefix.
package s3

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
)

// Sizes; see Config.
const (
	// DefaultPartSize is the part size when Config.PartSize is zero.
	DefaultPartSize = 16 << 20
	// MinPartSize is the S3 minimum for all parts but the last.
	MinPartSize = 5 << 20
	// DefaultReadAhead is the read-ahead when Config.ReadAhead is zero.
	DefaultReadAhead = 8 << 20
)

// maxParts is the S3 limit on the parts of a multipart upload.
const maxParts = 10_000

// tempPrefix holds uploads in progress, under the configured prefix. "~" is
// not allowed in object names, so these keys are never listed.
const tempPrefix = "tmp~/"

// Config says where the vault's objects live.
type Config struct {
	Endpoint  string // host[:port]; an http:// or https:// prefix overrides UseTLS
	Bucket    string // must exist
	Prefix    string // optional key prefix; "/" appended when missing
	AccessKey string
	SecretKey string
	Region    string // empty: discovered from the server
	UseTLS    bool

	// PartSize is the multipart part size and the largest object kept in
	// memory before streaming starts (default 16 MiB, at least 5 MiB). A
	// streamed object can reach 10,000 parts: 156 GiB at the default.
	PartSize int64
	// ReadAhead is the length of the ranged GET that serves sequential reads
	// (default 8 MiB).
	ReadAhead int64
	// Transport overrides the HTTP transport (tests, proxies, custom CAs).
	Transport http.RoundTripper
}

// ConfigFromEnv reads the RASTRO_S3_* variables through getenv (os.Getenv in
// production). ok is false when RASTRO_S3_BUCKET is unset: the vault then
// stays in the data directory.
func ConfigFromEnv(getenv func(string) string) (c Config, ok bool, err error) {
	c = Config{
		Endpoint:  getenv("RASTRO_S3_ENDPOINT"),
		Bucket:    getenv("RASTRO_S3_BUCKET"),
		Prefix:    getenv("RASTRO_S3_PREFIX"),
		AccessKey: getenv("RASTRO_S3_ACCESS_KEY"),
		SecretKey: getenv("RASTRO_S3_SECRET_KEY"),
		Region:    getenv("RASTRO_S3_REGION"),
		UseTLS:    true,
	}
	if c.Bucket == "" {
		return Config{}, false, nil
	}
	if s := getenv("RASTRO_S3_TLS"); s != "" {
		if c.UseTLS, err = strconv.ParseBool(s); err != nil {
			return Config{}, false, rastro.Errorf(rastro.EINVALID, "RASTRO_S3_TLS=%q: use true or false.", s)
		}
	}
	if c.Endpoint == "" {
		return Config{}, false, rastro.Errorf(rastro.EINVALID, "RASTRO_S3_BUCKET is set but RASTRO_S3_ENDPOINT is not: set it to the S3 API's host[:port].")
	}
	return c, true, nil
}

// Backend is a vault.Backend on an S3 bucket. It is safe for concurrent use
// by several goroutines and by several processes sharing the bucket.
type Backend struct {
	client    *minio.Client
	core      minio.Core
	bucket    string
	prefix    string
	partSize  int64
	inlineMax int64 // largest object committed by a single PUT
	maxSize   int64 // largest object a Temp accepts (maxParts parts)
	readAhead int64
}

var _ vault.Backend = (*Backend)(nil)

// New connects to the bucket and checks that it exists. EINVALID for a bad
// configuration or a missing bucket.
func New(ctx context.Context, c Config) (*Backend, error) {
	if err := c.normalize(); err != nil {
		return nil, err
	}
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:    c.UseTLS,
		Region:    c.Region,
		Transport: c.Transport,
	})
	if err != nil {
		return nil, rastro.Errorf(rastro.EINVALID, "S3 endpoint %q: %v.", c.Endpoint, err)
	}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3: bucket %s: %w", c.Bucket, err)
	}
	if !ok {
		return nil, rastro.Errorf(rastro.EINVALID, "S3 bucket %q does not exist at %s: create it first.", c.Bucket, c.Endpoint)
	}
	return &Backend{client: client, core: minio.Core{Client: client}, bucket: c.Bucket, prefix: c.Prefix,
		partSize: c.PartSize, inlineMax: c.PartSize, maxSize: maxParts * c.PartSize, readAhead: c.ReadAhead}, nil
}

// normalize checks c and fills in defaults.
func (c *Config) normalize() error {
	if u, err := url.Parse(c.Endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		c.Endpoint, c.UseTLS = u.Host, u.Scheme == "https"
	}
	if c.Endpoint == "" || c.Bucket == "" {
		return rastro.Errorf(rastro.EINVALID, "The S3 backend needs an endpoint and a bucket.")
	}
	if (c.AccessKey == "") != (c.SecretKey == "") {
		return rastro.Errorf(rastro.EINVALID, "The S3 backend needs both an access key and a secret key, or neither.")
	}
	if c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	if c.PartSize == 0 {
		c.PartSize = DefaultPartSize
	}
	if c.PartSize < MinPartSize {
		return rastro.Errorf(rastro.EINVALID, "S3 part size %d is below the S3 minimum of %d bytes.", c.PartSize, MinPartSize)
	}
	if c.ReadAhead <= 0 {
		c.ReadAhead = DefaultReadAhead
	}
	return nil
}

// key returns the S3 key of an object name.
func (b *Backend) key(name string) string { return b.prefix + name }

// Create implements vault.Backend. The Temp streams to S3 once it holds more
// than PartSize bytes; ctx bounds the whole upload.
func (b *Backend) Create(ctx context.Context) (vault.Temp, error) {
	return &temp{b: b, ctx: ctx}, nil
}

// Open implements vault.Backend. Reads use ctx: cancelling it ends them.
func (b *Backend) Open(ctx context.Context, name string) (vault.Object, error) {
	info, err := b.stat(ctx, name)
	if err != nil {
		return nil, err
	}
	return &object{b: b, ctx: ctx, key: b.key(name), name: name, etag: info.ETag, size: info.Size}, nil
}

// Stat implements vault.Backend.
func (b *Backend) Stat(ctx context.Context, name string) (int64, error) {
	info, err := b.stat(ctx, name)
	if err != nil {
		return 0, err
	}
	return info.Size, nil
}

// stat returns a committed object's metadata: EINVALID for a bad name,
// ENOTFOUND when absent.
func (b *Backend) stat(ctx context.Context, name string) (minio.ObjectInfo, error) {
	if err := vault.CheckName(name); err != nil {
		return minio.ObjectInfo{}, err
	}
	info, err := b.client.StatObject(ctx, b.bucket, b.key(name), minio.StatObjectOptions{})
	if isNotFound(err) {
		return minio.ObjectInfo{}, vault.NotFound(name)
	} else if err != nil {
		return minio.ObjectInfo{}, fmt.Errorf("s3: stat %s: %w", name, err)
	}
	return info, nil
}

// exists reports whether a key is present.
func (b *Backend) exists(ctx context.Context, key string) (bool, error) {
	_, err := b.client.StatObject(ctx, b.bucket, key, minio.StatObjectOptions{})
	if isNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("s3: stat %s: %w", key, err)
	}
	return true, nil
}

// Delete implements vault.Backend. S3 deletes are idempotent, so absence is
// checked first to honour the ENOTFOUND contract.
func (b *Backend) Delete(ctx context.Context, name string) error {
	if _, err := b.stat(ctx, name); err != nil {
		return err
	}
	if err := b.client.RemoveObject(ctx, b.bucket, b.key(name), minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("s3: delete %s: %w", name, err)
	}
	return nil
}

// List implements vault.Backend. Uploads in progress are not listed.
func (b *Backend) List(ctx context.Context, prefix string) ([]string, error) {
	names := []string{}
	opts := minio.ListObjectsOptions{Prefix: b.key(prefix), Recursive: true}
	for obj := range b.client.ListObjectsIter(ctx, b.bucket, opts) {
		if obj.Err != nil {
			return nil, fmt.Errorf("s3: list %q: %w", prefix, obj.Err)
		}
		name := strings.TrimPrefix(obj.Key, b.prefix)
		if vault.CheckName(name) == nil {
			names = append(names, name)
		}
	}
	sort.Strings(names) // S3 lists in UTF-8 byte order already; some clones do not
	return names, nil
}

// RemoveStaleTemp deletes what uploads older than age left behind: temporary
// objects under tmp~/ and incomplete multipart uploads there. Call it at
// start-up with an age longer than any upload in progress on another node.
func (b *Backend) RemoveStaleTemp(ctx context.Context, age time.Duration) (removed int, err error) {
	cutoff := time.Now().Add(-age)
	opts := minio.ListObjectsOptions{Prefix: b.prefix + tempPrefix, Recursive: true}
	for obj := range b.client.ListObjectsIter(ctx, b.bucket, opts) {
		if obj.Err != nil {
			return removed, fmt.Errorf("s3: remove stale temp: %w", obj.Err)
		}
		if obj.LastModified.Before(cutoff) &&
			b.client.RemoveObject(ctx, b.bucket, obj.Key, minio.RemoveObjectOptions{}) == nil {
			removed++
		}
	}
	ups, err := b.incompleteUploads(ctx, b.prefix+tempPrefix)
	if err != nil {
		return removed, fmt.Errorf("s3: remove stale uploads: %w", err)
	}
	for _, up := range ups {
		if up.Initiated.Before(cutoff) &&
			b.core.AbortMultipartUpload(ctx, b.bucket, up.Key, up.UploadID) == nil {
			removed++
		}
	}
	return removed, nil
}

// incompleteUploads lists the multipart uploads in progress under prefix.
// (minio-go's ListIncompleteUploads also lists every upload's parts, which
// is slower and which some S3 clones refuse.)
func (b *Backend) incompleteUploads(ctx context.Context, prefix string) ([]minio.ObjectMultipartInfo, error) {
	var all []minio.ObjectMultipartInfo
	var keyMarker, idMarker string
	for {
		res, err := b.core.ListMultipartUploads(ctx, b.bucket, prefix, keyMarker, idMarker, "", 1000)
		if minio.ToErrorResponse(err).Code == minio.NoSuchUpload {
			return all, nil // gofakes3's answer for a bucket that never had one
		} else if err != nil {
			return nil, err
		}
		all = append(all, res.Uploads...)
		if !res.IsTruncated {
			return all, nil
		}
		keyMarker, idMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
}

// isNotFound reports whether err is S3's "no such key".
func isNotFound(err error) bool {
	return err != nil && minio.ToErrorResponse(err).Code == minio.NoSuchKey
}

// isPreconditionFailed reports whether a conditional request was refused.
func isPreconditionFailed(err error) bool {
	if err == nil {
		return false
	}
	r := minio.ToErrorResponse(err)
	return r.Code == minio.PreconditionFailed || r.StatusCode == http.StatusPreconditionFailed
}
