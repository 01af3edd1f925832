package fault

// The faults of the OpenID Connect flow families' requests (IM-, HB-, FP-,
// FI-, FH- 06..09, 13..15): each breaks a requirement only for the requests
// of those plans — a response type other than code, or
// response_mode=form_post — so the Basic plan's check of it still passes.
const (
	// FlowRedirectURIUnchecked: the redirect URI is matched for the plain
	// code request only (06).
	FlowRedirectURIUnchecked Name = "flow_redirect_uri_unchecked"
	// FlowParamsRejected: display is refused outside the plain code request (07).
	FlowParamsRejected Name = "flow_params_rejected"
	// FlowRequestObjectUnsignedAccepted: an unsigned request object is
	// taken as the request outside the plain code request (08).
	FlowRequestObjectUnsignedAccepted Name = "flow_request_object_unsigned_accepted"
)

// oidcFlowRequest are the faults above, in the mock table's order.
func oidcFlowRequest() []Name {
	return []Name{FlowRedirectURIUnchecked, FlowParamsRejected, FlowRequestObjectUnsignedAccepted}
}
