package common

// Selection is a page whose cursor is on one server object: the root's
// `c` (copy id) and `y` (raw view) act on it.
type Selection interface {
	// SelectedObject is the object's kind ("agent"), id and JSON as the
	// server sent it; ok is false when nothing is selected.
	SelectedObject() (kind, id string, raw []byte, ok bool)
}
