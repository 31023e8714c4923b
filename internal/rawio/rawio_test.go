package rawio

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// loopbackPair is a connected TCP pair on loopback, the server side
// wrapped.
func loopbackPair(t *testing.T) (wrapped, peer net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	peer, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	wrapped = Wrap(<-accepted)
	if _, ok := wrapped.(*Socket); !ok {
		t.Fatalf("Wrap(TCP) = %T, want *Socket", wrapped)
	}
	t.Cleanup(func() { wrapped.Close(); peer.Close() })
	return wrapped, peer
}

func TestSocketReadsWritesAndEnds(t *testing.T) {
	s, peer := loopbackPair(t)
	go peer.Write([]byte("ping"))
	buf := make([]byte, 8)
	if n, err := s.Read(buf); err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if _, err := s.Write([]byte("pong")); err != nil {
		t.Fatal(err)
	}
	if n, err := io.ReadFull(peer, buf[:4]); err != nil || string(buf[:n]) != "pong" {
		t.Fatalf("peer read %q, %v", buf[:n], err)
	}
	peer.Close()
	if _, err := s.Read(buf); err != io.EOF {
		t.Fatalf("Read after the peer closed = %v, want io.EOF", err)
	}
}

// A read waits in the poller, so deadlines work as on any net.Conn.
func TestSocketReadHonoursDeadline(t *testing.T) {
	s, _ := loopbackPair(t)
	_ = s.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	_, err := s.Read(make([]byte, 8))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("Read = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the deadline took %v", d)
	}
}

// A write larger than the socket holds waits for room and sends it all.
func TestSocketWriteWaitsForRoom(t *testing.T) {
	s, peer := loopbackPair(t)
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	errc := make(chan error, 1)
	go func() { _, err := s.Write(want); errc <- err }()
	time.Sleep(100 * time.Millisecond) // the socket fills while nobody reads
	got, err := io.ReadAll(io.LimitReader(peer, int64(len(want))))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("peer got %d bytes (%v), want %d identical", len(got), err, len(want))
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestWrapLeavesOtherConnsAlone(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if Wrap(a) != a {
		t.Fatal("a pipe conn was wrapped")
	}
}

func TestReadWriteOnAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	wc, _ := w.SyscallConn()
	if err := WriteAll(wc, []byte("abc")); err != nil {
		t.Fatal(err)
	}
	rc, _ := r.SyscallConn()
	buf := make([]byte, 8)
	var n int
	var rerr error
	_ = rc.Read(func(fd uintptr) bool { n, rerr = Read(int(fd), buf); return true })
	if rerr != nil || string(buf[:n]) != "abc" {
		t.Fatalf("Read = %q, %v", buf[:n], rerr)
	}
	if n, err := Read(0, nil); n != 0 || err != nil {
		t.Fatalf("empty Read = %d, %v", n, err)
	}
}
