package serve

import (
	"fmt"
	"os"
	"strings"
)

// maxKeyFileBytes bounds what ReadKeyFile reads: a key is one line.
const maxKeyFileBytes = 4096

// ReadKeyFile reads a master key from path. The file must be a regular
// file that only its owner can read or write (0600 or stricter): a key
// others can read is no secret.
func ReadKeyFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("--master-key-file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("--master-key-file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("--master-key-file %s is not a regular file", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("--master-key-file %s has mode %04o: others can read it; run chmod 600 %s", path, perm, path)
	}
	buf := make([]byte, maxKeyFileBytes+1)
	n, _ := f.Read(buf)
	if n > maxKeyFileBytes {
		return "", fmt.Errorf("--master-key-file %s is larger than %d bytes: it should hold only the key", path, maxKeyFileBytes)
	}
	key := strings.TrimSpace(string(buf[:n]))
	if key == "" || strings.ContainsAny(key, "\r\n") {
		return "", fmt.Errorf("--master-key-file %s must hold the key on one line", path)
	}
	return key, nil
}
