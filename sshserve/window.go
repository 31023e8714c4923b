package sshserve

import (
	"sync"

	"charm.land/ssh"

	"lapctl/ptyattach"
)

// window follows the SSH client's window size (pty-req, then
// window-change requests) and hands it to whoever shows the screen: the
// console, or an attach in progress.
type window struct {
	mu      sync.Mutex
	size    ssh.Window
	changed chan struct{}       // 1-buffered: "size moved", coalesced
	attach  chan ptyattach.Size // the running attach's resizes, or nil
}

func newWindow(w ssh.Window) *window {
	return &window{size: w, changed: make(chan struct{}, 1)}
}

// follow reads the session's window changes until the session ends. It
// must keep reading: charm.land/ssh blocks the session's request loop
// on a full channel.
func (w *window) follow(winch <-chan ssh.Window, touch func()) {
	for size := range winch {
		touch()
		w.mu.Lock()
		w.size = size
		if w.attach != nil {
			offerSize(w.attach, ptyattach.Size{Cols: size.Width, Rows: size.Height})
		}
		w.mu.Unlock()
		select {
		case w.changed <- struct{}{}:
		default: // one pending notice is enough: readers take the latest
		}
	}
}

func (w *window) current() ssh.Window {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.size
}

func (w *window) cols() int { return w.current().Width }

// beginAttach routes window changes to a new attach until endAttach.
func (w *window) beginAttach() <-chan ptyattach.Size {
	ch := make(chan ptyattach.Size, 1)
	w.mu.Lock()
	w.attach = ch
	w.mu.Unlock()
	return ch
}

func (w *window) endAttach() {
	w.mu.Lock()
	w.attach = nil
	w.mu.Unlock()
}

// offerSize puts s on a 1-buffered channel, replacing a size not yet read:
// only the latest matters, and the sender must never block.
func offerSize(ch chan ptyattach.Size, s ptyattach.Size) {
	for {
		select {
		case ch <- s:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// sshTerminal is the attach's view of the SSH client's terminal: already
// raw (the client made it so), sized by the last window change.
type sshTerminal struct{ win *window }

func (t sshTerminal) MakeRaw() (func() error, error) { return func() error { return nil }, nil }

func (t sshTerminal) Size() (ptyattach.Size, error) {
	w := t.win.current()
	return ptyattach.Size{Cols: w.Width, Rows: w.Height}, nil
}
