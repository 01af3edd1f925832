// Package fault names the mock authorization server's deliberate flaws.
// The mock's fault table and the catalog's checks both use these
// constants, so a misspelt fault name does not compile; a test fails when a
// literal string is used where a constant should be.
package fault

// Name is the name of one mock fault, as given to -faults and FAULTS=.
type Name string

func (n Name) String() string { return string(n) }

// The faults, one constant each (mockserver's faultTable describes them).
const (
	StateDropped                         Name = "state_dropped"
	IssWrong                             Name = "iss_wrong"
	CodeInFragment                       Name = "code_in_fragment"
	PKCEMethodIgnored                    Name = "pkce_method_ignored"
	PKCENotVerified                      Name = "pkce_not_verified"
	CodeReuse                            Name = "code_reuse"
	CodeNotClientBound                   Name = "code_not_client_bound"
	RedirectURINotCheckedAtToken         Name = "redirect_uri_not_checked_at_token"
	TokenTypeWrong                       Name = "token_type_wrong"
	NoExpiresIn                          Name = "no_expires_in"
	NoCacheHeaders                       Name = "no_cache_headers"
	TokenInQuery                         Name = "token_in_query"
	ImplicitRefreshToken                 Name = "implicit_refresh_token"
	BasicAuthNotFormDecoded              Name = "basic_auth_not_form_decoded"
	AcceptWrongSecret                    Name = "accept_wrong_secret"
	InvalidClientStatus400               Name = "invalid_client_status_400"
	CCRefreshToken                       Name = "cc_refresh_token"
	RedirectURIDefaultFirst              Name = "redirect_uri_default_first"
	MetadataIssuerMismatch               Name = "metadata_issuer_mismatch"
	RedirectURIAny                       Name = "redirect_uri_any"
	RedirectURICheckedAfterLogin         Name = "redirect_uri_checked_after_login"
	RedirectURIPrefixMatch               Name = "redirect_uri_prefix_match"
	RedirectURIIgnorePort                Name = "redirect_uri_ignore_port"
	RedirectURISubdomainMatch            Name = "redirect_uri_subdomain_match"
	RedirectURIHostIgnored               Name = "redirect_uri_host_ignored"
	RedirectURISchemeIgnored             Name = "redirect_uri_scheme_ignored"
	RedirectURICaseInsensitive           Name = "redirect_uri_case_insensitive"
	RedirectURIDecodedBeforeCompare      Name = "redirect_uri_decoded_before_compare"
	RedirectURIUserinfoIgnored           Name = "redirect_uri_userinfo_ignored"
	RedirectURIOpenOnError               Name = "redirect_uri_open_on_error"
	StateTruncated                       Name = "state_truncated"
	IssNotAdvertised                     Name = "iss_not_advertised"
	ResponseTypeLenient                  Name = "response_type_lenient"
	UnknownParamRejected                 Name = "unknown_param_rejected"
	PromptNoneLoginPage                  Name = "prompt_none_login_page"
	PromptNoneSessionIgnored             Name = "prompt_none_session_ignored"
	PromptLoginIgnored                   Name = "prompt_login_ignored"
	PromptConsentIgnored                 Name = "prompt_consent_ignored"
	MaxAgeAuthTimeMissing                Name = "max_age_auth_time_missing"
	MaxAgeIgnored                        Name = "max_age_ignored"
	MaxAgeAlwaysReauthenticates          Name = "max_age_always_reauthenticates"
	IDTokenHintRejected                  Name = "id_token_hint_rejected"
	LoginHintRejected                    Name = "login_hint_rejected"
	UILocalesRejected                    Name = "ui_locales_rejected"
	ClaimsLocalesRejected                Name = "claims_locales_rejected"
	DisplayRejected                      Name = "display_rejected"
	AcrValuesRejected                    Name = "acr_values_rejected"
	ScopeOrderSensitive                  Name = "scope_order_sensitive"
	CodeNonceRequired                    Name = "code_nonce_required"
	ClaimsEssentialError                 Name = "claims_essential_error"
	AuthorizePostRefused                 Name = "authorize_post_refused"
	FormPostIgnored                      Name = "form_post_ignored"
	FormPostStateDropped                 Name = "form_post_state_dropped"
	FormPostCacheable                    Name = "form_post_cacheable"
	FormPostImplicitIgnored              Name = "form_post_implicit_ignored"
	FormPostErrorRedirected              Name = "form_post_error_redirected"
	FormPostHybridIgnored                Name = "form_post_hybrid_ignored"
	LogoutRedirectAny                    Name = "logout_redirect_any"
	LogoutRedirectWithoutHint            Name = "logout_redirect_without_hint"
	LogoutStateDropped                   Name = "logout_state_dropped"
	LogoutKeepsSession                   Name = "logout_keeps_session"
	LogoutWithoutConfirmation            Name = "logout_without_confirmation"
	LogoutHintNotVerified                Name = "logout_hint_not_verified"
	CheckSessionIframeHTTP               Name = "check_session_iframe_http"
	FrontchannelMetadataNotBoolean       Name = "frontchannel_metadata_not_boolean"
	BackchannelMetadataNotBoolean        Name = "backchannel_metadata_not_boolean"
	SessionStateMissing                  Name = "session_state_missing"
	FrontchannelNotRendered              Name = "frontchannel_not_rendered"
	FrontchannelIssWithoutSid            Name = "frontchannel_iss_without_sid"
	BackchannelNotSent                   Name = "backchannel_not_sent"
	LogoutTokenNoEvents                  Name = "logout_token_no_events"
	LogoutTokenNonce                     Name = "logout_token_nonce"
	SessionStateUnverifiable             Name = "session_state_unverifiable"
	LogoutKeepsBrowserState              Name = "logout_keeps_browser_state"
	LogoutRedirectWithoutURI             Name = "logout_redirect_without_uri"
	LogoutStateInvented                  Name = "logout_state_invented"
	LogoutKeepsSessionWithoutRedirect    Name = "logout_keeps_session_without_redirect"
	DuplicateParamsAccepted              Name = "duplicate_params_accepted"
	CodeInErrorResponse                  Name = "code_in_error_response"
	ErrorStateDropped                    Name = "error_state_dropped"
	ErrorCodeUnregistered                Name = "error_code_unregistered"
	DenyWrongError                       Name = "deny_wrong_error"
	LoginRedirect307                     Name = "login_redirect_307"
	ConsentCSRF                          Name = "consent_csrf"
	CodeAnyClient                        Name = "code_any_client"
	CodeReuseKeepsTokens                 Name = "code_reuse_keeps_tokens"
	CodeLongLived                        Name = "code_long_lived"
	WeakCodes                            Name = "weak_codes"
	PKCEVerifierOptional                 Name = "pkce_verifier_optional"
	PKCEDowngradeAccepted                Name = "pkce_downgrade_accepted"
	PKCEPlainAllowed                     Name = "pkce_plain_allowed"
	PKCENotRequiredPublic                Name = "pkce_not_required_public"
	PKCEShortVerifierAccepted            Name = "pkce_short_verifier_accepted"
	PKCEUnknownMethodAsPlain             Name = "pkce_unknown_method_as_plain"
	ImplicitOffered                      Name = "implicit_offered"
	ImplicitStateDropped                 Name = "implicit_state_dropped"
	ImplicitTokenTypeWrong               Name = "implicit_token_type_wrong"
	ImplicitNoExpiresIn                  Name = "implicit_no_expires_in"
	ImplicitAnyClient                    Name = "implicit_any_client"
	ImplicitErrorInQuery                 Name = "implicit_error_in_query"
	HybridTokenOffered                   Name = "hybrid_token_offered"
	TokenErrorStatus200                  Name = "token_error_status_200"
	UnsupportedGrantAsInvalidRequest     Name = "unsupported_grant_as_invalid_request"
	MissingParamWrongError               Name = "missing_param_wrong_error"
	TokenGetAllowed                      Name = "token_get_allowed"
	TokenUnknownParamRejected            Name = "token_unknown_param_rejected"
	TokenDuplicateParamsAccepted         Name = "token_duplicate_params_accepted"
	TokenNonVschar                       Name = "token_non_vschar"
	WeakAccessTokens                     Name = "weak_access_tokens"
	LongLivedAccessTokens                Name = "long_lived_access_tokens"
	PublicClientIDOptional               Name = "public_client_id_optional"
	BasicAuthRejected                    Name = "basic_auth_rejected"
	PostAuthRejected                     Name = "post_auth_rejected"
	MissingSecretAccepted                Name = "missing_secret_accepted"
	QueryCredentialsAccepted             Name = "query_credentials_accepted"
	MultipleAuthMethodsAccepted          Name = "multiple_auth_methods_accepted"
	CCPublicAllowed                      Name = "cc_public_allowed"
	CCAnyConfidentialClient              Name = "cc_any_confidential_client"
	CCScopeUnchecked                     Name = "cc_scope_unchecked"
	AtTypJWT                             Name = "at_typ_jwt"
	AtMissingJTI                         Name = "at_missing_jti"
	AtWrongIss                           Name = "at_wrong_iss"
	AtSignedWithUnpublishedKey           Name = "at_signed_with_unpublished_key"
	AtAlgNone                            Name = "at_alg_none"
	JWKSPrivateKey                       Name = "jwks_private_key"
	JWKSSymmetricKey                     Name = "jwks_symmetric_key"
	ResourceRejectsHeader                Name = "resource_rejects_header"
	ResourceQueryTokenAccepted           Name = "resource_query_token_accepted"
	ResourceQueryResponseCacheable       Name = "resource_query_response_cacheable"
	ResourceNoWWWAuthenticate            Name = "resource_no_www_authenticate"
	ResourceSignatureUnchecked           Name = "resource_signature_unchecked"
	ResourceAcceptsAlgNone               Name = "resource_accepts_alg_none"
	ResourceIgnoresRevocation            Name = "resource_ignores_revocation"
	ResourceAcceptsExpired               Name = "resource_accepts_expired"
	ResourceTrustsEmbeddedJWK            Name = "resource_trusts_embedded_jwk"
	RefreshNoCacheHeaders                Name = "refresh_no_cache_headers"
	RefreshNotClientBound                Name = "refresh_not_client_bound"
	RefreshWithoutAuth                   Name = "refresh_without_auth"
	RefreshNoRotation                    Name = "refresh_no_rotation"
	RefreshReuseNotDetected              Name = "refresh_reuse_not_detected"
	RefreshScopeBroadened                Name = "refresh_scope_broadened"
	RefreshGracePeriod                   Name = "refresh_grace_period"
	WeakRefreshTokens                    Name = "weak_refresh_tokens"
	RefreshNonVschar                     Name = "refresh_non_vschar"
	RefreshPublicRefused                 Name = "refresh_public_refused"
	RevocationIgnoredRefresh             Name = "revocation_ignored_refresh"
	RevocationIgnoredAccess              Name = "revocation_ignored_access"
	RevocationKeepsAccessTokens          Name = "revocation_keeps_access_tokens"
	RevocationUnauthenticated            Name = "revocation_unauthenticated"
	RevocationAnyClient                  Name = "revocation_any_client"
	RevocationUnknownTokenError          Name = "revocation_unknown_token_error"
	RevocationHintStrict                 Name = "revocation_hint_strict"
	RevocationGetAllowed                 Name = "revocation_get_allowed"
	IntrospectionActiveString            Name = "introspection_active_string"
	IntrospectionUnauthenticated         Name = "introspection_unauthenticated"
	IntrospectionInactiveLeaks           Name = "introspection_inactive_leaks"
	IntrospectionIgnoresRevocation       Name = "introspection_ignores_revocation"
	IntrospectionIgnoresExpiry           Name = "introspection_ignores_expiry"
	IntrospectionWrongClientID           Name = "introspection_wrong_client_id"
	IntrospectionRefreshUnsupported      Name = "introspection_refresh_unsupported"
	IntrospectionGetAllowed              Name = "introspection_get_allowed"
	IDTokenWrongAud                      Name = "id_token_wrong_aud"
	IDTokenWrongIss                      Name = "id_token_wrong_iss"
	IDTokenNonceDropped                  Name = "id_token_nonce_dropped"
	IDTokenExpired                       Name = "id_token_expired"
	IDTokenUnpublishedKey                Name = "id_token_unpublished_key"
	IDTokenNoAtHash                      Name = "id_token_no_at_hash"
	ImplicitNonceOptional                Name = "implicit_nonce_optional"
	MetadataWrongContentType             Name = "metadata_wrong_content_type"
	MetadataMissingResponseTypes         Name = "metadata_missing_response_types"
	MetadataNoPKCEMethods                Name = "metadata_no_pkce_methods"
	MetadataOmitsTokenResponseType       Name = "metadata_omits_token_response_type"
	ClientSecretJWTAdvertisedUnsupported Name = "client_secret_jwt_advertised_unsupported"
	ClientSecretJWTSignatureUnchecked    Name = "client_secret_jwt_signature_unchecked"
	ClientAssertionAudUnchecked          Name = "client_assertion_aud_unchecked"
	ClientAssertionSubUnchecked          Name = "client_assertion_sub_unchecked"
	ClientAssertionExpUnchecked          Name = "client_assertion_exp_unchecked"
	ClientAssertionAlgNone               Name = "client_assertion_alg_none"
	MetadataAdvertisesUnsupportedGrant   Name = "metadata_advertises_unsupported_grant"
	IntrospectionForeignClientClaims     Name = "introspection_foreign_client_claims"
	JWKSDuplicateKid                     Name = "jwks_duplicate_kid"
	PasswordGrantEnabled                 Name = "password_grant_enabled"
	FrameProtectionMissing               Name = "frame_protection_missing"
	CSPFrameAncestorsMissing             Name = "csp_frame_ancestors_missing"
	XFrameOptionsMissing                 Name = "x_frame_options_missing"
	ReferrerPolicyMissing                Name = "referrer_policy_missing"
	AuthorizeCORS                        Name = "authorize_cors"
	SessionCookieNotHttponly             Name = "session_cookie_not_httponly"
	SessionCookieNoSamesite              Name = "session_cookie_no_samesite"
	SessionCookieNotSecure               Name = "session_cookie_not_secure"
	TokenCORSReflectsOrigin              Name = "token_cors_reflects_origin"
	LoginPageThirdPartyLeak              Name = "login_page_third_party_leak"
	TLSAcceptsTLS10                      Name = "tls_accepts_tls10"
	TLSNoTLS13                           Name = "tls_no_tls13"
	TLSCertWrongHost                     Name = "tls_cert_wrong_host"
	PlainHTTPServed                      Name = "plain_http_served"
	MetadataHTTPEndpoint                 Name = "metadata_http_endpoint"
	ResourceInvalidTokenWrongError       Name = "resource_invalid_token_wrong_error"
	IntrospectionUnknownTokenError       Name = "introspection_unknown_token_error"
	TokenPragmaMissing                   Name = "token_pragma_missing"
	CodeOtherClientWrongError            Name = "code_other_client_wrong_error"
	RedirectMismatchWrongError           Name = "redirect_mismatch_wrong_error"
	WrongSecretWrongError                Name = "wrong_secret_wrong_error"
	MissingSecretWrongError              Name = "missing_secret_wrong_error"
	UnknownResponseTypeWrongError        Name = "unknown_response_type_wrong_error"
	// OpenID Connect UserInfo (OIDC Core §5.3).
	UserinfoGetRefused        Name = "userinfo_get_refused"
	UserinfoPostRefused       Name = "userinfo_post_refused"
	UserinfoBodyTokenIgnored  Name = "userinfo_body_token_ignored"
	UserinfoNoSub             Name = "userinfo_no_sub"
	UserinfoWrongSub          Name = "userinfo_wrong_sub"
	UserinfoDropsProfile      Name = "userinfo_drops_profile"
	UserinfoDropsEmail        Name = "userinfo_drops_email"
	UserinfoDropsAddress      Name = "userinfo_drops_address"
	UserinfoDropsPhone        Name = "userinfo_drops_phone"
	UserinfoTokenUnchecked    Name = "userinfo_token_unchecked"
	UserinfoIgnoresRevocation Name = "userinfo_ignores_revocation"
	UserinfoNoWWWAuthenticate Name = "userinfo_no_www_authenticate"
	UserinfoSignedNoIssAud    Name = "userinfo_signed_no_iss_aud"
	// OpenID Connect ID Token claims (OIDC Core §2) and algorithms (OIDC Discovery §3).
	IDTokenNoIat            Name = "id_token_no_iat"
	IDTokenLongSub          Name = "id_token_long_sub"
	IDTokenSubPerLogin      Name = "id_token_sub_per_login"
	IDTokenWrongAzp         Name = "id_token_wrong_azp"
	IDTokenAlgNotAdvertised Name = "id_token_alg_not_advertised"
	MetadataNoRS256         Name = "metadata_no_rs256"
	IDTokenAlgNone          Name = "id_token_alg_none"
	// OpenID Connect Discovery (OIDC Discovery §3, §4).
	MetadataNoSubjectTypes            Name = "metadata_no_subject_types"
	JWKSNotAKeySet                    Name = "jwks_not_a_key_set"
	MetadataScopesWithoutOpenID       Name = "metadata_scopes_without_openid"
	MetadataNoUserinfoEndpoint        Name = "metadata_no_userinfo_endpoint"
	OpenIDConfigurationIssuerMismatch Name = "openid_configuration_issuer_mismatch"
	UserinfoWrongContentType          Name = "userinfo_wrong_content_type"
	// OpenID Connect hybrid flow (OIDC Core §3.3).
	IDTokenNoCHash            Name = "id_token_no_c_hash"
	HybridNonceOptional       Name = "hybrid_nonce_optional"
	HybridIDTokenNonceDropped Name = "hybrid_id_token_nonce_dropped"
	// JWK Set key use (RFC 8414 §2, OIDC Discovery §3 jwks_uri).
	JWKSEncKeyWithoutUse Name = "jwks_enc_key_without_use"
)

// All returns every fault name, in the order of the mock's table.
func All() []Name {
	return append([]Name{
		StateDropped,
		IssWrong,
		CodeInFragment,
		PKCEMethodIgnored,
		PKCENotVerified,
		CodeReuse,
		CodeNotClientBound,
		RedirectURINotCheckedAtToken,
		TokenTypeWrong,
		NoExpiresIn,
		NoCacheHeaders,
		TokenInQuery,
		ImplicitRefreshToken,
		BasicAuthNotFormDecoded,
		AcceptWrongSecret,
		InvalidClientStatus400,
		CCRefreshToken,
		RedirectURIDefaultFirst,
		MetadataIssuerMismatch,
		RedirectURIAny,
		RedirectURICheckedAfterLogin,
		RedirectURIPrefixMatch,
		RedirectURIIgnorePort,
		RedirectURISubdomainMatch,
		RedirectURIHostIgnored,
		RedirectURISchemeIgnored,
		RedirectURICaseInsensitive,
		RedirectURIDecodedBeforeCompare,
		RedirectURIUserinfoIgnored,
		RedirectURIOpenOnError,
		StateTruncated,
		IssNotAdvertised,
		ResponseTypeLenient,
		UnknownParamRejected,
		PromptNoneLoginPage,
		PromptNoneSessionIgnored,
		PromptLoginIgnored,
		PromptConsentIgnored,
		MaxAgeAuthTimeMissing,
		MaxAgeIgnored,
		MaxAgeAlwaysReauthenticates,
		IDTokenHintRejected,
		LoginHintRejected,
		UILocalesRejected,
		ClaimsLocalesRejected,
		DisplayRejected,
		AcrValuesRejected,
		ScopeOrderSensitive,
		CodeNonceRequired,
		ClaimsEssentialError,
		AuthorizePostRefused,
		FormPostIgnored,
		FormPostStateDropped,
		FormPostCacheable,
		FormPostImplicitIgnored,
		FormPostErrorRedirected,
		FormPostHybridIgnored,
		LogoutRedirectAny,
		LogoutRedirectWithoutHint,
		LogoutStateDropped,
		LogoutKeepsSession,
		LogoutWithoutConfirmation,
		LogoutHintNotVerified,
		CheckSessionIframeHTTP,
		FrontchannelMetadataNotBoolean,
		BackchannelMetadataNotBoolean,
		SessionStateMissing,
		FrontchannelNotRendered,
		FrontchannelIssWithoutSid,
		BackchannelNotSent,
		LogoutTokenNoEvents,
		LogoutTokenNonce,
		SessionStateUnverifiable,
		LogoutKeepsBrowserState,
		LogoutRedirectWithoutURI,
		LogoutStateInvented,
		LogoutKeepsSessionWithoutRedirect,
		DuplicateParamsAccepted,
		CodeInErrorResponse,
		ErrorStateDropped,
		ErrorCodeUnregistered,
		DenyWrongError,
		ConsentCSRF,
		CodeAnyClient,
		LoginRedirect307,
		CodeReuseKeepsTokens,
		CodeLongLived,
		WeakCodes,
		PKCEVerifierOptional,
		PKCEDowngradeAccepted,
		PKCEPlainAllowed,
		PKCENotRequiredPublic,
		PKCEShortVerifierAccepted,
		PKCEUnknownMethodAsPlain,
		ImplicitOffered,
		ImplicitStateDropped,
		ImplicitTokenTypeWrong,
		ImplicitNoExpiresIn,
		ImplicitAnyClient,
		ImplicitErrorInQuery,
		HybridTokenOffered,
		TokenErrorStatus200,
		UnsupportedGrantAsInvalidRequest,
		MissingParamWrongError,
		TokenGetAllowed,
		TokenUnknownParamRejected,
		TokenDuplicateParamsAccepted,
		TokenNonVschar,
		WeakAccessTokens,
		LongLivedAccessTokens,
		PublicClientIDOptional,
		BasicAuthRejected,
		PostAuthRejected,
		MissingSecretAccepted,
		QueryCredentialsAccepted,
		MultipleAuthMethodsAccepted,
		CCPublicAllowed,
		CCAnyConfidentialClient,
		CCScopeUnchecked,
		AtTypJWT,
		AtMissingJTI,
		AtWrongIss,
		AtSignedWithUnpublishedKey,
		AtAlgNone,
		JWKSPrivateKey,
		JWKSSymmetricKey,
		ResourceRejectsHeader,
		ResourceQueryTokenAccepted,
		ResourceQueryResponseCacheable,
		ResourceNoWWWAuthenticate,
		ResourceSignatureUnchecked,
		ResourceAcceptsAlgNone,
		ResourceIgnoresRevocation,
		ResourceAcceptsExpired,
		ResourceTrustsEmbeddedJWK,
		RefreshNoCacheHeaders,
		RefreshNotClientBound,
		RefreshWithoutAuth,
		RefreshNoRotation,
		RefreshReuseNotDetected,
		RefreshScopeBroadened,
		RefreshGracePeriod,
		WeakRefreshTokens,
		RefreshNonVschar,
		RefreshPublicRefused,
		RevocationIgnoredRefresh,
		RevocationIgnoredAccess,
		RevocationKeepsAccessTokens,
		RevocationUnauthenticated,
		RevocationAnyClient,
		RevocationUnknownTokenError,
		RevocationHintStrict,
		RevocationGetAllowed,
		IntrospectionActiveString,
		IntrospectionUnauthenticated,
		IntrospectionInactiveLeaks,
		IntrospectionIgnoresRevocation,
		IntrospectionIgnoresExpiry,
		IntrospectionWrongClientID,
		IntrospectionRefreshUnsupported,
		IntrospectionGetAllowed,
		IDTokenWrongAud,
		IDTokenWrongIss,
		IDTokenNonceDropped,
		IDTokenExpired,
		IDTokenUnpublishedKey,
		IDTokenNoAtHash,
		ImplicitNonceOptional,
		MetadataWrongContentType,
		MetadataMissingResponseTypes,
		MetadataNoPKCEMethods,
		MetadataOmitsTokenResponseType,
		ClientSecretJWTAdvertisedUnsupported,
		ClientSecretJWTSignatureUnchecked,
		ClientAssertionAudUnchecked,
		ClientAssertionSubUnchecked,
		ClientAssertionExpUnchecked,
		ClientAssertionAlgNone,
		MetadataAdvertisesUnsupportedGrant,
		IntrospectionForeignClientClaims,
		JWKSDuplicateKid,
		PasswordGrantEnabled,
		FrameProtectionMissing,
		CSPFrameAncestorsMissing,
		XFrameOptionsMissing,
		ReferrerPolicyMissing,
		AuthorizeCORS,
		SessionCookieNotHttponly,
		SessionCookieNoSamesite,
		SessionCookieNotSecure,
		TokenCORSReflectsOrigin,
		LoginPageThirdPartyLeak,
		TLSAcceptsTLS10,
		TLSNoTLS13,
		TLSCertWrongHost,
		PlainHTTPServed,
		MetadataHTTPEndpoint,
		ResourceInvalidTokenWrongError,
		IntrospectionUnknownTokenError,
		TokenPragmaMissing,
		CodeOtherClientWrongError,
		RedirectMismatchWrongError,
		WrongSecretWrongError,
		MissingSecretWrongError,
		UnknownResponseTypeWrongError,
		UserinfoGetRefused,
		UserinfoPostRefused,
		UserinfoBodyTokenIgnored,
		UserinfoNoSub,
		UserinfoWrongSub,
		UserinfoDropsProfile,
		UserinfoDropsEmail,
		UserinfoDropsAddress,
		UserinfoDropsPhone,
		UserinfoTokenUnchecked,
		UserinfoIgnoresRevocation,
		UserinfoNoWWWAuthenticate,
		UserinfoSignedNoIssAud,
		IDTokenNoIat,
		IDTokenLongSub,
		IDTokenSubPerLogin,
		IDTokenWrongAzp,
		IDTokenAlgNotAdvertised,
		MetadataNoRS256,
		IDTokenAlgNone,
		MetadataNoSubjectTypes,
		JWKSNotAKeySet,
		MetadataScopesWithoutOpenID,
		MetadataNoUserinfoEndpoint,
		OpenIDConfigurationIssuerMismatch,
		UserinfoWrongContentType,
		IDTokenNoCHash,
		HybridNonceOptional,
		HybridIDTokenNonceDropped,
		JWKSEncKeyWithoutUse,
	}, append(senderConstrained(), append(append(append(modernOAuth(), oidcFlowResponse()...), oidcFlowRequest()...), oidcFlowReauth()...)...)...)
}

// Names converts names given as text (a -faults flag, say) to Names; the
// mock validates them.
func Names(ss []string) []Name {
	out := make([]Name, len(ss))
	for i, s := range ss {
		out[i] = Name(s)
	}
	return out
}

// Strings converts names back to text.
func Strings(ns []Name) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = string(n)
	}
	return out
}
