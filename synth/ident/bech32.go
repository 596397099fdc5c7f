package ident

// bech32Charset is the BIP-173 data alphabet.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// Checksum constants: BIP-173 bech32 and BIP-350 bech32m.
const (
	bech32Const  = 1
	bech32mConst = 0x2bc830a3
)

// bech32Polymod is the BCH checksum generator of BIP-173.
func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// bech32HRPExpand returns the high bits, a zero, then the low bits of hrp.
func bech32HRPExpand(hrp string) []byte {
	out := make([]byte, 0, 2*len(hrp)+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// bech32Encode encodes 5-bit data under hrp with the checksum constant c.
func bech32Encode(hrp string, data []byte, c uint32) string {
	values := append(bech32HRPExpand(hrp), data...)
	mod := bech32Polymod(append(values, 0, 0, 0, 0, 0, 0)) ^ c
	out := make([]byte, 0, len(hrp)+1+len(data)+6)
	out = append(out, hrp...)
	out = append(out, '1')
	for _, d := range data {
		out = append(out, bech32Charset[d])
	}
	for i := range 6 {
		out = append(out, bech32Charset[(mod>>(5*(5-i)))&31])
	}
	return string(out)
}

// convertBits8to5 regroups bytes into 5-bit groups, padding the last with zeros.
func convertBits8to5(in []byte) []byte {
	out := make([]byte, 0, (len(in)*8+4)/5)
	acc, bits := 0, 0
	for _, b := range in {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, byte(acc>>bits)&31)
		}
	}
	if bits > 0 {
		out = append(out, byte(acc<<(5-bits))&31)
	}
	return out
}

// segwitAddress encodes a mainnet segwit address: witness version 0 uses
// bech32 (BIP-173), versions 1+ use bech32m (BIP-350).
func segwitAddress(version byte, program []byte) string {
	c := uint32(bech32mConst)
	if version == 0 {
		c = bech32Const
	}
	data := append([]byte{version}, convertBits8to5(program)...)
	return bech32Encode("bc", data, c)
}
