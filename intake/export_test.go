package intake

// MediaType exposes the media type decision.
func MediaType(name string, head []byte) string { return mediaType(name, head) }
