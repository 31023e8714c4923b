//go:build unix

package ptyattach

import (
	"os"
	"os/signal"
	"syscall"
)

// notifySignals routes window changes to winch and the signals that end
// an attach (kill, hang-up) to stop, until the returned func is called.
// Other handlers of the same signals still get them: signal.Notify fans
// out to every channel.
func notifySignals(winch, stop chan<- os.Signal) func() {
	signal.Notify(winch, syscall.SIGWINCH)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGHUP)
	return func() {
		signal.Stop(winch)
		signal.Stop(stop)
	}
}
