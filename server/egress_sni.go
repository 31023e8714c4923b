package server

import (
	"bufio"
	"encoding/binary"
)

// peekSNI reads (without consuming) a TLS ClientHello from br and returns
// its server_name. ok is false when the bytes are not a ClientHello.
func peekSNI(br *bufio.Reader) (string, bool) {
	hdr, err := br.Peek(5)
	if err != nil || hdr[0] != 0x16 || hdr[1] != 0x03 {
		return "", false // not a TLS handshake record
	}
	n := int(binary.BigEndian.Uint16(hdr[3:5]))
	if n > br.Size()-5 {
		return "", false
	}
	rec, err := br.Peek(5 + n)
	if err != nil {
		return "", false
	}
	return parseClientHelloSNI(rec[5:])
}

// parseClientHelloSNI walks a handshake message to the server_name
// extension (RFC 6066, section 3).
func parseClientHelloSNI(b []byte) (string, bool) {
	r := reader(b)
	typ, ok := r.u8()
	if !ok || typ != 1 { // client_hello
		return "", false
	}
	if _, ok := r.skip(3 + 2 + 32); !ok { // length, version, random
		return "", false
	}
	for _, width := range []int{1, 2, 1} { // session id, cipher suites, compression
		if !r.skipVec(width) {
			return "", false
		}
	}
	exts, ok := r.vec(2)
	if !ok {
		return "", true // no extensions: a ClientHello without SNI
	}
	er := reader(exts)
	for len(er) > 0 {
		typ, ok1 := er.u16()
		body, ok2 := er.vec(2)
		if !ok1 || !ok2 {
			return "", false
		}
		if typ != 0 { // server_name
			continue
		}
		list := reader(body)
		names, ok := list.vec(2)
		if !ok {
			return "", false
		}
		nr := reader(names)
		for len(nr) > 0 {
			kind, ok1 := nr.u8()
			name, ok2 := nr.vec(2)
			if !ok1 || !ok2 {
				return "", false
			}
			if kind == 0 { // host_name
				return string(name), true
			}
		}
	}
	return "", true
}

type reader []byte

func (r *reader) u8() (byte, bool) {
	if len(*r) < 1 {
		return 0, false
	}
	v := (*r)[0]
	*r = (*r)[1:]
	return v, true
}

func (r *reader) u16() (uint16, bool) {
	if len(*r) < 2 {
		return 0, false
	}
	v := binary.BigEndian.Uint16(*r)
	*r = (*r)[2:]
	return v, true
}

func (r *reader) skip(n int) ([]byte, bool) {
	if len(*r) < n {
		return nil, false
	}
	v := (*r)[:n]
	*r = (*r)[n:]
	return v, true
}

// vec reads a vector prefixed by a width-byte length.
func (r *reader) vec(width int) ([]byte, bool) {
	lb, ok := r.skip(width)
	if !ok {
		return nil, false
	}
	n := 0
	for _, b := range lb {
		n = n<<8 | int(b)
	}
	return r.skip(n)
}

func (r *reader) skipVec(width int) bool {
	_, ok := r.vec(width)
	return ok
}
