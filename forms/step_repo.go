package forms

import "charm.land/huh/v2"

// newRepoStep asks for the repository and branch; an edit on a platform
// that keeps only the branch (managed) asks for the branch alone.
func newRepoStep(b *Builder) step {
	return &formStep{b: b, id: stepRepo, build: func(fs *formStep) *huh.Form {
		d := b.d
		var fields []huh.Field
		if b.stores("repo_url") {
			fields = append(fields, fs.check(huh.NewInput().Title("Repository URL").
				Description("Optional: cloned into the sandbox at start. https://host/org/repo or git@host:org/repo.git").
				Placeholder("e.g. https://github.com/org/repo").Value(&d.RepoURL).Validate(checkRepoURL), &d.RepoURL, checkRepoURL))
		}
		fields = append(fields, huh.NewInput().Title("Branch").Description("Checked out after cloning; main when left blank.").
			Placeholder("main (default)").Value(&d.Branch))
		return huh.NewForm(huh.NewGroup(fields...))
	}}
}
