package intake

import (
	"bytes"
	"io"
)

// Unpack exposes the unpacker to the fuzz targets: it unpacks data as a
// "zip", "tar" or "tar.gz" container and calls fn for each member.
func Unpack(kind string, data []byte, lim Limits, fn func(name string, r io.Reader) error) []error {
	b := &budget{lim: lim.withDefaults()}
	return unpack(archiveKind(kind), bytes.NewReader(data), int64(len(data)), b, func(m member, r io.Reader) error {
		return fn(m.Name, r)
	})
}

// KindByMagic exposes content sniffing of containers.
func KindByMagic(head []byte) string { return string(kindByMagic(head)) }
