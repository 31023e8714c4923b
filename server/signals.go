package server

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var hangupOnce sync.Once

// defaultHangupForChildren makes the sessions' processes start with
// SIGHUP's default action when the server was started with it ignored
// (nohup). An ignored signal stays ignored across fork and exec, so every
// session's process group leader (bwrap, or the harness itself without a
// sandbox) would ignore the SIGHUP that stops it, and each stop would
// wait out the grace period for SIGTERM (2 s). A caught signal reverts
// to its default in a child: catching SIGHUP and dropping it keeps the
// server deaf to hangups, as nohup asked.
func defaultHangupForChildren() {
	hangupOnce.Do(func() {
		if !signal.Ignored(syscall.SIGHUP) {
			return
		}
		hangups := make(chan os.Signal, 1)
		signal.Notify(hangups, syscall.SIGHUP)
		go func() {
			for range hangups {
			}
		}()
	})
}
