package server

// SetClientLagBytes changes how far a terminal client may fall behind
// before it is dropped, for sessions started afterwards, and returns a
// func that restores the default. Tests use it to drop a stalled client
// without flooding tens of megabytes.
func SetClientLagBytes(n int) (restore func()) {
	old := clientLagBytes
	clientLagBytes = n
	return func() { clientLagBytes = old }
}

// PTYReads is how many reads session id's PTY output has taken so far.
func PTYReads(s *Server, id string) int64 {
	return s.runtime.lookup(id).hub.outReads.Load()
}

// BurstGather and BurstBytes: how a burst of output is gathered.
const (
	BurstGather = burstGather
	BurstBytes  = burstBytes
)
