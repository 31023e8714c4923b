// Package layering holds the test of lapctl's import rules: packages
// import downward only, and each package's doc comment names what it must
// not import. The test (go list -deps) fails when a rule is broken. It has
// no code of its own and nothing imports it.
package layering
