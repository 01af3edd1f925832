package fault

// The faults of sender-constrained tokens (RFC 9449 DPoP), the device
// authorization grant (RFC 8628) and mutual TLS (RFC 8705): one requirement
// each, like the others.
const (
	DPoPTokenTypeBearer      Name = "dpop_token_type_bearer"
	DPoPNoCnf                Name = "dpop_no_cnf"
	DPoPSignatureUnchecked   Name = "dpop_signature_unchecked"
	DPoPTypUnchecked         Name = "dpop_typ_unchecked"
	DPoPAlgNoneAccepted      Name = "dpop_alg_none_accepted"
	DPoPSymmetricAlgAccepted Name = "dpop_symmetric_alg_accepted"
	DPoPHtmUnchecked         Name = "dpop_htm_unchecked"
	DPoPHtuUnchecked         Name = "dpop_htu_unchecked"
	DPoPIatUnchecked         Name = "dpop_iat_unchecked"
	DPoPJtiReplayAccepted    Name = "dpop_jti_replay_accepted"
	DPoPPrivateJWKAccepted   Name = "dpop_private_jwk_accepted"
	DPoPProofWrongError      Name = "dpop_proof_wrong_error"
	DPoPResourceKeyUnchecked Name = "dpop_resource_key_unchecked"
	DPoPBearerDowngrade      Name = "dpop_bearer_downgrade_accepted"
	DPoPAthOptional          Name = "dpop_ath_optional"
	DPoPAthUnchecked         Name = "dpop_ath_unchecked"
	DPoPNoChallenge          Name = "dpop_no_challenge"
	DPoPRefreshNotBound      Name = "dpop_refresh_not_bound"
	DPoPNonceUnchecked       Name = "dpop_nonce_unchecked"
	DPoPJktIgnored           Name = "dpop_jkt_ignored"

	DeviceNoExpiresIn           Name = "device_no_expires_in"
	DevicePendingWrongError     Name = "device_pending_wrong_error"
	DeviceNoSlowDown            Name = "device_no_slow_down"
	DeviceExpiryUnchecked       Name = "device_expiry_unchecked"
	DeviceDenyIgnored           Name = "device_deny_ignored"
	DeviceCodeReuse             Name = "device_code_reuse"
	DeviceWeakUserCode          Name = "device_weak_user_code"
	DeviceUserCodeStrict        Name = "device_user_code_strict"
	DeviceClientUnauthenticated Name = "device_client_unauthenticated"

	MTLSNoCertAccepted            Name = "mtls_no_cert_accepted"
	MTLSChainUnchecked            Name = "mtls_chain_unchecked"
	MTLSSelfSignedUnchecked       Name = "mtls_self_signed_unchecked"
	MTLSNoCnf                     Name = "mtls_no_cnf"
	MTLSResourceNoCertAccepted    Name = "mtls_resource_no_cert_accepted"
	MTLSResourceOtherCertAccepted Name = "mtls_resource_other_cert_accepted"
)

// senderConstrained are the faults above, in the mock table's order.
func senderConstrained() []Name {
	return []Name{
		DPoPTokenTypeBearer, DPoPNoCnf, DPoPSignatureUnchecked, DPoPTypUnchecked,
		DPoPAlgNoneAccepted, DPoPSymmetricAlgAccepted, DPoPHtmUnchecked, DPoPHtuUnchecked,
		DPoPIatUnchecked, DPoPJtiReplayAccepted, DPoPPrivateJWKAccepted, DPoPProofWrongError,
		DPoPResourceKeyUnchecked, DPoPBearerDowngrade, DPoPAthOptional, DPoPAthUnchecked,
		DPoPNoChallenge, DPoPRefreshNotBound, DPoPNonceUnchecked, DPoPJktIgnored,
		DeviceNoExpiresIn, DevicePendingWrongError, DeviceNoSlowDown, DeviceExpiryUnchecked,
		DeviceDenyIgnored, DeviceCodeReuse, DeviceWeakUserCode, DeviceUserCodeStrict,
		DeviceClientUnauthenticated,
		MTLSNoCertAccepted, MTLSChainUnchecked, MTLSSelfSignedUnchecked, MTLSNoCnf,
		MTLSResourceNoCertAccepted, MTLSResourceOtherCertAccepted,
	}
}
