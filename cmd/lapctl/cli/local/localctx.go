package local

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"lapctl/config"
)

// ContextName is the context `lapctl local` stands for while it runs.
const ContextName = "local"

// DefaultListen is the hosted platform's local default address; when it
// is taken, local falls back to a free port.
const DefaultListen = "127.0.0.1:4000"

// listen binds addr; when addr is the default and in use (another server
// already on :4000), it takes a free loopback port instead.
func listen(addr string, explicit bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || explicit || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// localContext records the run as the `local` context (URL and the run's
// key, in the 0600 config) and makes it current, so commands in another
// shell reach this server; restore puts back what was there before.
type localContext struct {
	cfg         *config.Config
	prev        *config.Context // the `local` context before the run, or nil
	prevCurrent string
}

func publishLocal(cfg *config.Config, url, key, owner string) (*localContext, error) {
	lc := &localContext{cfg: cfg, prevCurrent: cfg.CurrentContext}
	if p := cfg.Context(ContextName); p != nil {
		cp := *p
		lc.prev = &cp
	}
	ctx := &config.Context{BaseURL: url, MasterKey: key, OwnerID: owner}
	if lc.prev != nil {
		ctx.DefaultModel = lc.prev.DefaultModel
	}
	cfg.SetContext(ContextName, ctx)
	cfg.CurrentContext = ContextName
	if err := cfg.Save(); err != nil {
		return nil, fmt.Errorf("recording the local context in %s: %w", cfg.Path(), err)
	}
	return lc, nil
}

// restore re-reads the file (another shell may have changed it), removes
// this run's context or puts back the earlier one, and restores the
// current context if it still names this run.
func (lc *localContext) restore(runURL string) error {
	cfg, err := config.Load(lc.cfg.Path())
	if err != nil {
		return err
	}
	if cur := cfg.Context(ContextName); cur != nil && cur.BaseURL == runURL {
		if lc.prev != nil {
			cfg.SetContext(ContextName, lc.prev)
		} else {
			delete(cfg.Contexts, ContextName)
		}
	}
	if cfg.CurrentContext == ContextName {
		cfg.CurrentContext = lc.prevCurrent
		if lc.prevCurrent == ContextName && cfg.Context(ContextName) == nil {
			cfg.CurrentContext = ""
		}
	}
	return cfg.Save()
}
