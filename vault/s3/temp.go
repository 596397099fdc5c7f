package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/rastro/rastro"
	"github.com/rastro/rastro/vault"
)

// errAborted ends the streaming upload of an aborted Temp.
var errAborted = errors.New("s3: upload aborted")

// cleanupTimeout bounds the requests that tidy up after an Abort, which runs
// without a context (and often because the caller's context ended).
const cleanupTimeout = time.Minute

// temp is an object being written: in memory up to inlineMax bytes, then a
// multipart upload to a temporary key fed through a pipe.
type temp struct {
	b   *Backend
	ctx context.Context
	buf []byte // bytes not yet streamed; unused once streaming

	// Set once streaming starts.
	key    string             // temporary key
	pw     *io.PipeWriter     // feeds the upload
	result chan error         // the upload's outcome, sent once
	waited bool               // result was received
	cancel context.CancelFunc // ends the upload's requests
	size   int64              // bytes handed to the upload

	done bool // committed or aborted
}

// Write implements io.Writer.
func (t *temp) Write(p []byte) (int, error) {
	if t.done {
		return 0, errors.New("s3: write after commit or abort")
	}
	if t.size+int64(len(t.buf)+len(p)) > t.b.maxSize {
		return 0, rastro.Errorf(rastro.EINVALID, "This object is larger than %d parts of %d bytes, the most S3 takes: raise the S3 part size.", maxParts, t.b.partSize)
	}
	if t.pw == nil && int64(len(t.buf)+len(p)) <= t.b.inlineMax {
		t.buf = append(t.buf, p...)
		return len(p), nil
	}
	if t.pw == nil {
		if err := t.stream(); err != nil {
			return 0, err
		}
	}
	n, err := t.pw.Write(p)
	t.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("s3: upload: %w", err)
	}
	return n, nil
}

// stream starts the multipart upload to a temporary key and hands it the
// bytes held so far.
func (t *temp) stream() error {
	var id [16]byte
	rand.Read(id[:])
	t.key = t.b.prefix + tempPrefix + hex.EncodeToString(id[:])
	ctx, cancel := context.WithCancel(t.ctx)
	pr, pw := io.Pipe()
	t.pw, t.cancel, t.result = pw, cancel, make(chan error, 1)
	go func() {
		_, err := t.b.client.PutObject(ctx, t.b.bucket, t.key, pr, -1, t.b.putOptions())
		pr.CloseWithError(err) // a writer blocked on a failed upload returns
		t.result <- err
	}()
	buf := t.buf
	t.buf = nil
	n, err := t.pw.Write(buf)
	t.size += int64(n)
	if err != nil {
		return fmt.Errorf("s3: upload: %w", err)
	}
	return nil
}

// putOptions are the options of every upload. Each request carries a
// Content-MD5 the server checks, and no SHA-256 of the payload: the vault's
// ciphertext is authenticated chunk by chunk (AES-GCM), so a payload hash in
// the signature would be a second full hashing pass on the client for little
// gain, and its aws-chunked encoding is what some S3 clones mishandle
// (gofakes3 stores the chunk framing of multipart parts as data).
func (b *Backend) putOptions() minio.PutObjectOptions {
	return minio.PutObjectOptions{
		ContentType:          "application/octet-stream",
		PartSize:             uint64(b.partSize),
		SendContentMd5:       true,
		DisableContentSha256: true,
	}
}

// Commit implements vault.Temp.
func (t *temp) Commit(ctx context.Context, name string, replace bool) error {
	defer t.Abort()
	if err := vault.CheckName(name); err != nil {
		return err
	}
	if t.done {
		return errors.New("s3: commit after commit or abort")
	}
	if t.pw == nil {
		return t.putInline(ctx, t.b.key(name), replace)
	}
	return t.commitStream(ctx, t.b.key(name), replace)
}

// putInline writes the bytes held in memory to key in one PUT, conditional
// on the key's absence unless replacing.
func (t *temp) putInline(ctx context.Context, key string, replace bool) error {
	opts := t.b.putOptions()
	if !replace {
		// Spares the upload of a duplicate; the If-None-Match below is what
		// makes the check atomic on servers that honour it.
		if ok, err := t.b.exists(ctx, key); err != nil {
			return err
		} else if ok {
			return vault.ErrExist
		}
		opts.SetMatchETagExcept("*")
	}
	_, err := t.b.client.PutObject(ctx, t.b.bucket, key, bytes.NewReader(t.buf), int64(len(t.buf)), opts)
	if !replace && isPreconditionFailed(err) {
		return vault.ErrExist
	} else if err != nil {
		return fmt.Errorf("s3: commit: %w", err)
	}
	return nil
}

// commitStream completes the streaming upload and copies the temporary
// object to key server-side. Abort (deferred by Commit) deletes the
// temporary object.
func (t *temp) commitStream(ctx context.Context, key string, replace bool) error {
	t.pw.Close()
	t.waited = true
	if err := <-t.result; err != nil {
		return fmt.Errorf("s3: commit: upload: %w", err)
	}
	if !replace {
		if ok, err := t.b.exists(ctx, key); err != nil {
			return err
		} else if ok {
			return vault.ErrExist
		}
	}
	if err := t.b.copy(ctx, key, t.key, t.size); err != nil {
		return fmt.Errorf("s3: commit: copy into place: %w", err)
	}
	return nil
}

// maxCopySize is the largest object a single CopyObject request may copy.
const maxCopySize = 5 << 30

// copy copies the object at src (size bytes) to dst server-side: one
// CopyObject up to 5 GiB, a multipart copy (UploadPartCopy) above.
func (b *Backend) copy(ctx context.Context, dst, src string, size int64) error {
	d := minio.CopyDestOptions{Bucket: b.bucket, Object: dst}
	s := minio.CopySrcOptions{Bucket: b.bucket, Object: src}
	var err error
	if size <= maxCopySize {
		_, err = b.client.CopyObject(ctx, d, s)
	} else {
		_, err = b.client.ComposeObject(ctx, d, s)
	}
	return err
}

// Abort implements vault.Temp: it ends a streaming upload (minio-go aborts
// the multipart upload) and deletes the temporary object, if any.
func (t *temp) Abort() error {
	if t.done {
		return nil
	}
	t.done = true
	t.buf = nil
	if t.pw == nil {
		return nil
	}
	if !t.waited {
		t.pw.CloseWithError(errAborted)
		t.cancel() // do not wait for a part in flight
		<-t.result
		t.waited = true
	}
	t.cancel()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.ctx), cleanupTimeout)
	defer cancel()
	if err := t.b.client.RemoveObject(ctx, t.b.bucket, t.key, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return fmt.Errorf("s3: abort: %w", err)
	}
	return nil
}
