package tui

import "lapctl/internal/framerec"

// recorder keeps the frames a test's program draws (internal/framerec).
type recorder = framerec.Recorder
