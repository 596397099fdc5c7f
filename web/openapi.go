package web

import (
	_ "embed"
	"net/http"
)

// openapiDoc is the hand-maintained OpenAPI 3.1 description of the JSON
// API; TestOpenAPIMatchesRoutes keeps it in step with the route table.
//
//go:embed openapi.json
var openapiDoc []byte

// openapi serves the OpenAPI document.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiDoc)
}
