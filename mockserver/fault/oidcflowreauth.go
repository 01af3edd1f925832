package fault

// The faults of the OpenID Connect flows' prompt, max_age and id_token_hint
// checks (IM-, HB-, FP-, FI-, FH-10..12): each breaks a requirement only for
// the responses those families ask for — a response type other than code,
// or response_mode=form_post — so that the Basic plan's OP-01..OP-08 still
// pass and only the families' checks can see it.
const (
	FlowPromptNoneLoginPage Name = "flow_prompt_none_login_page"
	FlowPromptLoginIgnored  Name = "flow_prompt_login_ignored"
	FlowIDTokenHintRejected Name = "flow_id_token_hint_rejected"
)

// oidcFlowReauth are the faults above, in the mock table's order.
func oidcFlowReauth() []Name {
	return []Name{FlowPromptNoneLoginPage, FlowPromptLoginIgnored, FlowIDTokenHintRejected}
}
