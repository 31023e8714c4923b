package cmdutil

import (
	"lapctl/client"
	"lapctl/iostreams"
)

// Caller is who runs a command, as far as resolving references, asking
// for confirmation and reading local files need to know: a command's
// Options hold one (Factory.Caller) instead of the whole Factory, and a
// test builds one by hand.
type Caller struct {
	IO *iostreams.IOStreams
	// Identity is the owner id an SSH user acts as; "" for a local
	// operator, who may act on every owner's objects.
	Identity string
	// Remote marks a caller on another machine, who may not read files
	// or run an editor on this one.
	Remote bool
	// Prompter asks on a terminal; nil never asks (as without a terminal).
	Prompter func() Prompter
}

// Caller returns who runs f's commands. Identity and Remote are set
// before the command tree is built, so copying them here is safe.
func (f *Factory) Caller() Caller {
	return Caller{IO: f.IOStreams, Identity: f.Identity, Remote: f.Remote, Prompter: f.Prompt}
}

// Owns reports whether the caller may act on an object of owner: anything
// for a local operator, only their own objects when acting as an identity
// (an SSH user), whose master key would otherwise reach every owner's.
func (c Caller) Owns(owner string) bool { return c.Scope().Owns(owner) }

// Scope is what the caller may see: one owner's objects for an identity.
func (c Caller) Scope() client.Scope { return client.Scope{Owner: c.Identity} }

// Owner picks the owner id a command acts for: the SSH identity, else the
// --owner flag, else fallback (the config's owner_id, or "" for "all").
func (c Caller) Owner(flag, fallback string) string {
	switch {
	case c.Identity != "":
		return c.Identity
	case flag != "":
		return flag
	}
	return fallback
}

// prompter is the Prompter when the caller can be asked, else nil.
func (c Caller) prompter() Prompter {
	if c.Prompter == nil || c.IO == nil || !c.IO.CanPrompt() {
		return nil
	}
	return c.Prompter()
}
