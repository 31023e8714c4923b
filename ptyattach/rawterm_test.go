package ptyattach

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/muesli/cancelreader"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// The reopened terminal must leave the shell's own description as it was
// (blocking), and a cancelled read must not eat the next key, which
// belongs to whoever reads the terminal next (the console after a detach).
func TestReopenedTerminalLeavesTheOriginalAlone(t *testing.T) {
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer tty.Close()
	fd, err := unix.Open(tty.Name(), unix.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	shell := os.NewFile(uintptr(fd), "shell's terminal") // blocking, as a shell's stdin is
	defer shell.Close()
	if _, err := term.MakeRaw(fd); err != nil {
		t.Fatal(err)
	}

	in, ok := reopenTerminal(shell, os.O_RDONLY)
	if !ok {
		t.Fatal("a terminal on Linux should reopen")
	}
	if _, err := master.Write([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if n, err := in.Read(buf); err != nil || string(buf[:n]) != "ab" {
		t.Fatalf("Read = %q, %v; want \"ab\"", buf[:n], err)
	}

	done := make(chan error, 1)
	go func() { _, err := in.Read(buf); done <- err }()
	time.Sleep(50 * time.Millisecond) // let it wait in the poller
	if !in.Cancel() {
		t.Fatal("Cancel could not interrupt the read")
	}
	select {
	case err := <-done:
		if !errors.Is(err, cancelreader.ErrCanceled) {
			t.Fatalf("cancelled Read = %v, want ErrCanceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Cancel did not wake the read")
	}
	in.Close()

	if _, err := master.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if n, err := shell.Read(buf); err != nil || string(buf[:n]) != "q" {
		t.Fatalf("the next reader got %q, %v; want the key typed after the cancel", buf[:n], err)
	}
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_NONBLOCK != 0 {
		t.Fatalf("the shell's description has flags %#x (%v): it must stay blocking", flags, err)
	}

	out, ok := reopenTerminal(shell, os.O_WRONLY)
	if !ok {
		t.Fatal("reopen for output")
	}
	defer out.Close()
	if _, err := out.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	_ = master.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := master.Read(buf); err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("terminal got %q, %v; want hello", buf[:n], err)
	}
}

// Pipes and other readers are not reopened: they keep cancelreader.
func TestReopenTerminalRefusesAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, ok := reopenTerminal(r, os.O_RDONLY); ok {
		t.Fatal("a pipe was reopened as a terminal")
	}
}
