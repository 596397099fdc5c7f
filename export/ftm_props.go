package export

import "strconv"

// isEntityProp reports whether an FtM property of this name takes entity
// references in at least one schema (FtM 3.8). A value is rewritten to an
// export ID only when it also is the ID of an entity of the case, because
// some names (subject, sender, author, organization, authority) are plain
// text in other schemata. The conformance test checks this list against the
// FtM YAML.
func isEntityProp(prop string) bool {
	switch prop {
	case "addressEntity", "agent", "ancestors", "asset", "associate", "author",
		"authority", "bank", "bankAccount", "bankForeign", "bankRub", "beneficiary",
		"beneficiaryAccount", "callForTenders", "caller", "candidate", "case",
		"client", "contract", "contractHolder", "creditor", "debtor", "declarant",
		"director", "document", "emitters", "employee", "employer", "endLocation",
		"entity", "holder", "inReplyToEmail", "inReplyToMessage", "involved",
		"issuer", "match", "member", "object", "onBehalfOf", "operator",
		"organization", "organizer", "owner", "parent", "participant", "party",
		"payer", "payerAccount", "person", "pictured", "post", "predecessor",
		"project", "proof", "receiver", "recipientAccount", "recipients",
		"relative", "resolved", "sender", "senderAccount", "startLocation",
		"subject", "successor", "supplier", "taxee", "tenderers", "transport",
		"vehicle":
		return true
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
