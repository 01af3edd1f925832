package fault

// The faults of the modern client authentication and authorization
// requests: private_key_jwt (RFC 7523), pushed authorization requests (RFC
// 9126) and request objects (RFC 9101) — one requirement each.
const (
	// private_key_jwt (RFC 7523, OIDC Core §9).
	PrivateKeyJWTAdvertisedUnsupported Name = "private_key_jwt_advertised_unsupported"
	PrivateKeyJWTSignatureUnchecked    Name = "private_key_jwt_signature_unchecked"
	PrivateKeyJWTAudUnchecked          Name = "private_key_jwt_aud_unchecked"
	PrivateKeyJWTExpOptional           Name = "private_key_jwt_exp_optional"
	PrivateKeyJWTExpUnchecked          Name = "private_key_jwt_exp_unchecked"
	PrivateKeyJWTReplayAccepted        Name = "private_key_jwt_replay_accepted"
	PrivateKeyJWTSubUnchecked          Name = "private_key_jwt_sub_unchecked"
	PrivateKeyJWTAlgUnchecked          Name = "private_key_jwt_alg_unchecked"
	PrivateKeyJWTAlgNone               Name = "private_key_jwt_alg_none"
	PrivateKeyJWTWrongError            Name = "private_key_jwt_wrong_error"
	// Pushed authorization requests (RFC 9126).
	PARUnauthenticated          Name = "par_unauthenticated"
	PARStatus200                Name = "par_status_200"
	PARAssertionAudTokenOnly    Name = "par_assertion_aud_token_only"
	PARRequestURIIgnored        Name = "par_request_uri_ignored"
	PARRequestURIReusable       Name = "par_request_uri_reusable"
	PARRequestURINeverExpires   Name = "par_request_uri_never_expires"
	PARRequestURIInPushAccepted Name = "par_request_uri_in_push_accepted"
	PARRedirectURIUnchecked     Name = "par_redirect_uri_unchecked"
	PAROutsideParamsUsed        Name = "par_outside_params_used"
	PARRequirementIgnored       Name = "par_requirement_ignored"
	PARRequestURIAnyClient      Name = "par_request_uri_any_client"
	PARWeakRequestURI           Name = "par_weak_request_uri"
	// Request objects (RFC 9101, OIDC Core §6).
	JARRequestObjectIgnored     Name = "jar_request_object_ignored"
	JARSignatureUnchecked       Name = "jar_signature_unchecked"
	JARAlgNoneAccepted          Name = "jar_alg_none_accepted"
	JAROutsideParamsUsed        Name = "jar_outside_params_used"
	JARClientIDMismatchAccepted Name = "jar_client_id_mismatch_accepted"
	JARRequestURIIgnored        Name = "jar_request_uri_ignored"
	JARAudUnchecked             Name = "jar_aud_unchecked"
	JARExpUnchecked             Name = "jar_exp_unchecked"
)

// modernOAuth are the faults above, in the mock table's order.
func modernOAuth() []Name {
	return []Name{
		PrivateKeyJWTAdvertisedUnsupported,
		PrivateKeyJWTSignatureUnchecked,
		PrivateKeyJWTAudUnchecked,
		PrivateKeyJWTExpOptional,
		PrivateKeyJWTExpUnchecked,
		PrivateKeyJWTReplayAccepted,
		PrivateKeyJWTSubUnchecked,
		PrivateKeyJWTAlgUnchecked,
		PrivateKeyJWTAlgNone,
		PrivateKeyJWTWrongError,
		PARUnauthenticated,
		PARStatus200,
		PARAssertionAudTokenOnly,
		PARRequestURIIgnored,
		PARRequestURIReusable,
		PARRequestURINeverExpires,
		PARRequestURIInPushAccepted,
		PARRedirectURIUnchecked,
		PAROutsideParamsUsed,
		PARRequirementIgnored,
		PARRequestURIAnyClient,
		PARWeakRequestURI,
		JARRequestObjectIgnored,
		JARSignatureUnchecked,
		JARAlgNoneAccepted,
		JAROutsideParamsUsed,
		JARClientIDMismatchAccepted,
		JARRequestURIIgnored,
		JARAudUnchecked,
		JARExpUnchecked,
	}
}
