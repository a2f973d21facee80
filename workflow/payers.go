package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/reclaimhq/reclaim/workflow/rules"
)

// payerPolicy is a payer's effective policy: its kind's default with the payer's stored
// overrides applied.
func payerPolicy(kind string, override []byte) (rules.Policy, error) {
	policy := rules.DefaultPolicy(rules.PayerKind(kind))
	if len(override) == 0 || bytes.Equal(override, []byte("{}")) {
		return policy, nil
	}
	var o rules.PolicyOverride
	dec := json.NewDecoder(bytes.NewReader(override))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return rules.Policy{}, fmt.Errorf("error reading stored policy: %w", err)
	}
	return policy.Apply(o), nil
}
