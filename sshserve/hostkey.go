package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// loadHostKey reads the ed25519 host key at path, creating it on first
// start. A key that others can read is refused rather than used: whoever
// reads it can impersonate this server.
func loadHostKey(path string) (gossh.Signer, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createHostKey(path); err != nil {
			return nil, err
		}
		info, err = os.Stat(path)
	}
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("host key %s has mode %04o: it must be private to its owner (chmod 600 %s)", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s is not a private key (%v): move it away to make a new one", path, err)
	}
	return signer, nil
}

// createHostKey writes a new key with mode 0600 in a 0700 directory. It is
// written aside and linked into place, so a crash never leaves half a key
// and two servers starting together agree on one.
func createHostKey(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("host key dir: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("generating the host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "lapctl ssh-serve host key")
	if err != nil {
		return fmt.Errorf("encoding the host key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".hostkey-*")
	if err != nil {
		return fmt.Errorf("writing the host key: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp already makes the file 0600; say so for the reader.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the host key: %w", err)
	}
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the host key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the host key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // another server made one first: use that
		}
		return fmt.Errorf("writing the host key: %w", err)
	}
	// The public half, for operators to publish in known_hosts.
	if sshPub, err := gossh.NewPublicKey(pub); err == nil {
		_ = os.WriteFile(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644)
	}
	return nil
}
