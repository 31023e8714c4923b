//go:build !unix

package ptyattach

import (
	"os"
	"os/signal"
	"syscall"
)

// notifySignals: there is no SIGWINCH here, so sizes come only from
// Options.Resize.
func notifySignals(_, stop chan<- os.Signal) func() {
	signal.Notify(stop, syscall.SIGTERM)
	return func() { signal.Stop(stop) }
}
