//go:build !race

package tui

// raceDetector: the binary runs under -race, several times slower.
const raceDetector = false
