package web

import "net/http"

func (s *Server) mappingPage(w http.ResponseWriter, r *http.Request)    {}
func (s *Server) postMapping(w http.ResponseWriter, r *http.Request)    {}
func (s *Server) apiMappings(w http.ResponseWriter, r *http.Request)    {}
func (s *Server) apiPostMapping(w http.ResponseWriter, r *http.Request) {}
