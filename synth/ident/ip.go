package ident

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
)

// docNets4 are the three RFC 5737 documentation networks (TEST-NET-1..3).
var docNets4 = [...][3]byte{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}}

// IPv4 returns a host address (.1 to .254) in an RFC 5737 documentation network.
func IPv4(r *rand.Rand) string {
	n := docNets4[r.IntN(len(docNets4))]
	b := make([]byte, 0, 15)
	for _, o := range n {
		b = strconv.AppendInt(b, int64(o), 10)
		b = append(b, '.')
	}
	return string(strconv.AppendInt(b, int64(1+r.IntN(254)), 10))
}

// IPv6 returns an address in 2001:db8::/32 (RFC 3849) in RFC 5952 canonical form.
func IPv6(r *rand.Rand) string {
	var a [16]byte
	a[0], a[1], a[2], a[3] = 0x20, 0x01, 0x0d, 0xb8
	// Subnet bits random, interface id mostly small, as addresses are often written.
	for i := 4; i < 8; i++ {
		a[i] = byte(r.Uint32())
	}
	if r.IntN(2) == 0 {
		a[15] = byte(1 + r.IntN(255))
	} else {
		for i := 8; i < 16; i++ {
			a[i] = byte(r.Uint32())
		}
	}
	return netip.AddrFrom16(a).String()
}
