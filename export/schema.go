package export

import _ "embed"

//go:embed schema/Identifier.yaml
var identifierSchema string

// IdentifierSchemaYAML returns the definition of Rastro's Identifier schema,
// an extension of FollowTheMoney, in FtM's schema YAML format. Consumers that
// load FtM schemata from a folder can add it as Identifier.yaml.
func IdentifierSchemaYAML() string {
	return identifierSchema
}
