package fault

// The faults of the OpenID Connect flows' responses (the checks IM-, HB-,
// FP-, FI- and FH-01..05: the response, nonce, claims by scope, UserInfo
// with the flow's access token, response_type missing).
const (
	// IDTokenOnlyNonceOptional: response_type id_token without nonce is
	// answered (IM-02, FI-02).
	IDTokenOnlyNonceOptional Name = "id_token_only_nonce_optional"
	// IDTokenOnlyScopeClaimsDropped: the ID Token of response_type id_token
	// lacks the claims of the scopes granted (IM-03, FI-03).
	IDTokenOnlyScopeClaimsDropped Name = "id_token_only_scope_claims_dropped"
	// ImplicitAccessTokenNoOpenID: the access token of an id_token token
	// response lacks the openid scope, so the UserInfo Endpoint refuses it
	// (IM-04, FI-04).
	ImplicitAccessTokenNoOpenID Name = "implicit_access_token_no_openid"
	// CodeTokenNonceRequired: response_type code token without nonce is
	// refused (HB-16, FH-16).
	CodeTokenNonceRequired Name = "code_token_nonce_required"
)

func oidcFlowResponse() []Name {
	return []Name{IDTokenOnlyNonceOptional, IDTokenOnlyScopeClaimsDropped, ImplicitAccessTokenNoOpenID, CodeTokenNonceRequired}
}
