// Command lapctl is the terminal console for the LiteLLM Agent Platform.
package main

import (
	"os"

	"lapctl/cmd/lapctl/cli"
)

func main() { os.Exit(cli.Main()) }
