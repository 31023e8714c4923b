package server

import (
	"net/http"

	"lapctl/spec"
)

func (s *Server) handleCreateSkill(w http.ResponseWriter, r *http.Request) error {
	var body spec.SkillSpec
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := body.Validate(); err != nil {
		return validationError(err)
	}
	sk := &spec.Skill{ID: newID(prefixSkill), Name: body.Name, Description: body.Description,
		Content: body.Content, OwnerID: body.OwnerID, CreatedAt: nowMs()}
	if err := s.store.createSkill(r.Context(), sk); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sk)
	return nil
}

func (s *Server) handleListSkills(w http.ResponseWriter, r *http.Request) error {
	skills, err := s.store.listSkills(r.Context(), r.URL.Query().Get("owner_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string][]spec.Skill{"skills": skills})
	return nil
}

func (s *Server) handleGetSkill(w http.ResponseWriter, r *http.Request) error {
	sk, err := s.store.getSkill(r.Context(), r.PathValue("id"))
	if err != nil {
		return skillLookupError(err, r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, sk)
	return nil
}

func (s *Server) handlePatchSkill(w http.ResponseWriter, r *http.Request) error {
	var p spec.SkillPatch
	if err := decodeJSON(w, r, &p); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return validationError(err)
	}
	id := r.PathValue("id")
	sk, err := s.store.updateSkill(r.Context(), id, func(sk *spec.Skill) error {
		merged := spec.SkillSpec{Name: sk.Name, Content: sk.Content, Description: sk.Description, OwnerID: sk.OwnerID}
		for _, f := range []struct{ dst, src *string }{
			{&merged.Name, p.Name}, {&merged.Content, p.Content},
			{&merged.Description, p.Description}, {&merged.OwnerID, p.OwnerID},
		} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		if err := merged.Validate(); err != nil {
			return validationError(err)
		}
		sk.Name, sk.Content, sk.Description, sk.OwnerID = merged.Name, merged.Content, merged.Description, merged.OwnerID
		return nil
	})
	if err != nil {
		return skillLookupError(err, id)
	}
	writeJSON(w, http.StatusOK, sk)
	return nil
}

func (s *Server) handleDeleteSkill(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.store.deleteSkill(r.Context(), id); err != nil {
		return skillLookupError(err, id)
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	return nil
}

func skillLookupError(err error, id string) error {
	if isNotFound(err) {
		return notFound("", "skill %s not found: lapctl skills list shows the skills there are", id)
	}
	return err
}
