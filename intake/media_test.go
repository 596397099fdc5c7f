package intake_test

import (
	"testing"

	"github.com/rastro/rastro/intake"
)

func TestMediaType(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	tests := []struct {
		name, file string
		head       []byte
		want       string
	}{
		{"telegram json", "result.json", []byte(`{"name":"x"}`), "application/json"},
		{"bank csv", "statement.csv", []byte("date,amount\n"), "text/csv; charset=utf-8"},
		{"chat txt", "WhatsApp Chat.txt", []byte("12/03/24, 21:04 - A: hola"), "text/plain; charset=utf-8"},
		{"jpeg by content", "photo.bin", jpeg, "image/jpeg"},
		{"jpeg named txt keeps its content type", "notes.txt", jpeg, "image/jpeg"},
		{"tar by name", "x.tar", make([]byte, 600), "application/x-tar"},
		{"binary named csv is not text", "data.csv", []byte{0, 1, 2, 3, 0xfe}, "application/octet-stream"},
		{"empty unknown", "noext", nil, "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := intake.MediaType(tt.file, tt.head); got != tt.want {
				t.Errorf("MediaType(%q) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}
