// Package ident generates fictional identifiers that are valid by construction
// (phones, e-mails, handles, IBANs, cards, crypto addresses, onion services,
// IP addresses) and decoys that look the same but fail validation.
//
// Every function takes a *rand.Rand from math/rand/v2 and is deterministic for
// its state: the same seed and call sequence give the same strings.
//
// # Why the identifiers cannot reach a real person
//
// E-mails use the domains reserved by RFC 2606 (example.com, example.org,
// example.net). IPv4 addresses come from the RFC 5737 documentation blocks
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and IPv6 addresses from
// 2001:db8::/32 (RFC 3849); neither is routed on the Internet. Cards use test
// IINs published by the card networks and payment processors for testing
// (411111 and 424242 Visa, 400000 Visa test, 555555 Mastercard, 222300
// Mastercard 2-series); no issuer issues them to cardholders. IBANs use
// invented bank codes (see iban.go). Crypto addresses and onion services are
// derived from random bytes rather than from a key pair, so nobody holds a
// private key for them and funds sent there would be lost, not received.
//
// Phone numbers (E.164, valid per libphonenumber as vendored by
// github.com/nyaruka/phonenumbers) come from these ranges:
//
//   - US: +1 NPA 555-0100..0199 for NPAs 202, 212, 305, 312, 415, 713. The
//     North American Numbering Plan reserves 555-0100 to 555-0199 in every
//     area code for fictional use; these numbers are never assigned.
//   - DO: +1 809/829/849 555-0100..0199. The Dominican Republic is in the NANP,
//     so the same fictional block applies.
//   - GB: Ofcom's drama ranges, reserved so that films and books can print
//     numbers that never ring anyone: 020 7946 0000..0999 (London),
//     0113 496 0000..0999 (Leeds), 0121 496 0000..0999 (Birmingham),
//     0131 496 0000..0999 (Edinburgh), 0141 496 0000..0999 (Glasgow),
//     0151 496 0000..0999 (Liverpool), 0161 496 0000..0999 (Manchester).
//     The drama mobile range 07700 900000..900999 is NOT used because
//     libphonenumber rejects it as invalid.
//   - GT, SV, HN, NI, CR, PA, MX, ES: their regulators publish no range for
//     fictional use that we know of. These numbers use one fixed, recognisable
//     subscriber pattern, the NANP fictional block transplanted, inside a
//     mobile (or, for MX, geographic) range that libphonenumber accepts:
//     GT +502 4555 01NN, SV +503 6555 01NN, HN +504 9555 01NN,
//     NI +505 8555 01NN, CR +506 8555 01NN, PA +507 6555 01NN,
//     MX +52 55 5550 01NN (Mexico City), ES +34 615 550 1NN, where NN is
//     00..99. That is 100 numbers per country, every one ending in the
//     pattern 5550 1NN / 555 01NN, so a trainer recognises them at a glance.
//     We cannot prove these numbers are unassigned; they are very unlikely to
//     be, because operators rarely allocate a block that repeats the famous
//     fictional 555-01 pattern, but generated cases must never be used to call
//     or message any number in them.
//
// Decoy phones keep the same digits but drop the last one or replace the
// leading digit with one no numbering plan uses there, so libphonenumber
// rejects them.
package ident
