package s3

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/rastro/rastro"
)

// object is a committed object opened for random access. Reads are ranged
// GETs pinned to the ETag seen at Open; a sequential run of ReadAt calls is
// served from one GET of up to ReadAhead bytes.
type object struct {
	b    *Backend
	ctx  context.Context
	key  string
	name string
	etag string
	size int64

	mu   sync.Mutex
	body io.ReadCloser // the current ranged GET, nil when none
	pos  int64         // offset of body's next byte
	left int64         // bytes body has left
}

// Size implements vault.Object.
func (o *object) Size() int64 { return o.size }

// ReadAt implements io.ReaderAt. Calls are serialised.
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, rastro.Errorf(rastro.EINVALID, "ReadAt: negative offset %d.", off)
	}
	if off >= o.size {
		return 0, io.EOF
	}
	want := int(min(int64(len(p)), o.size-off))
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for n < want {
		at := off + int64(n)
		if o.body == nil || o.pos != at || o.left == 0 {
			if err := o.get(at, int64(want-n)); err != nil {
				return n, err
			}
		}
		k, err := io.ReadFull(o.body, p[n:n+int(min(int64(want-n), o.left))])
		n += k
		o.pos += int64(k)
		o.left -= int64(k)
		if err != nil {
			o.drop()
			return n, fmt.Errorf("s3: read %s at %d: %w", o.name, at, err)
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// get starts a ranged GET at off for at least need bytes (ReadAhead if
// more), replacing the current one.
func (o *object) get(off, need int64) error {
	o.drop()
	end := min(off+max(need, o.b.readAhead), o.size) - 1
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(off, end); err != nil {
		return fmt.Errorf("s3: read %s: %w", o.name, err)
	}
	opts.SetMatchETag(o.etag)
	body, _, _, err := o.b.core.GetObject(o.ctx, o.b.bucket, o.key, opts)
	if isPreconditionFailed(err) {
		return rastro.Errorf(rastro.ECONFLICT, "Vault object %s was replaced or changed while it was open; open it again.", o.name)
	} else if isNotFound(err) {
		return rastro.Errorf(rastro.ENOTFOUND, "Vault object %s was deleted while it was open.", o.name)
	} else if err != nil {
		return fmt.Errorf("s3: read %s: %w", o.name, err)
	}
	o.body, o.pos, o.left = body, off, end-off+1
	return nil
}

// drop closes the current GET, if any.
func (o *object) drop() {
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
}

// Close implements io.Closer.
func (o *object) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.drop()
	return nil
}
