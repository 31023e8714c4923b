package server

import (
	"encoding/base64"
	neturl "net/url"

	"lapctl/secret"
)

// gitCredentials splits the credentials out of an http(s) repo URL so git
// never gets them on its command line (where ps shows them) nor writes
// them into the checkout's .git/config: the clone URL is clean and the
// credentials travel as an Authorization header in git's config
// environment (GIT_CONFIG_COUNT/KEY/VALUE), scoped to the repo's origin.
func gitCredentials(raw string) (cleanURL string, env map[string]string) {
	u, err := neturl.Parse(raw)
	if err != nil || u.User == nil || (u.Scheme != "https" && u.Scheme != "http") {
		return raw, nil
	}
	user := u.User.Username()
	pass, _ := u.User.Password()
	u.User = nil
	origin := u.Scheme + "://" + u.Host + "/"
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	return u.String(), map[string]string{
		"GIT_CONFIG_COUNT":   "1",
		"GIT_CONFIG_KEY_0":   "http." + origin + ".extraHeader",
		"GIT_CONFIG_VALUE_0": "Authorization: Basic " + basic,
	}
}

// maskedRepoURL is a repo URL fit for a log line, an error or a record.
func maskedRepoURL(raw string) string { return secret.MaskURL(raw) }
