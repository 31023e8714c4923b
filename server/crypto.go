package server

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// secretKeyFile holds the AES-256 key that encrypts env var values at rest.
// It lives beside the database but is a separate 0600 file, so a copied or
// leaked lapctl.db alone reveals no secret.
const secretKeyFile = "secret.key"

// sealer encrypts and decrypts secret values with AES-256-GCM.
type sealer struct {
	aead cipher.AEAD
}

// loadSealer reads the data dir's key, creating it on first use.
func loadSealer(dataDir string) (*sealer, error) {
	path := filepath.Join(dataDir, secretKeyFile)
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("secret key %s: %w", path, err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key %s holds %d bytes, want 32: restore the original file (env var values cannot be decrypted without it)", path, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// createKey writes a new random key with O_EXCL, so two servers starting
// on a fresh data dir at once cannot each write a different key.
func createKey(path string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

// seal encrypts plaintext with a fresh random nonce, returned in front of
// the ciphertext. context is bound as additional data (e.g. agent id and
// env key) so a value copied to another row fails to decrypt.
func (s *sealer) seal(plaintext, context []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plaintext, context)
}

// open decrypts a value made by seal with the same context.
func (s *sealer) open(sealed, context []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("sealed value is too short")
	}
	out, err := s.aead.Open(nil, sealed[:n], sealed[n:], context)
	if err != nil {
		return nil, errors.New("cannot decrypt a stored secret: secret.key does not match this database")
	}
	return out, nil
}
