// panva's oidc-provider (version 9) on 127.0.0.1, configured for the
// oauthconform interop run: one client per profile role, our own login and
// consent pages (the library's devInteractions and default pages load a web
// font from the internet; these load nothing), refresh tokens, revocation,
// introspection and client credentials.
//
//   node server.js URL_FILE
//
// It listens on a free loopback port, writes its issuer (http://127.0.0.1:PORT)
// to URL_FILE once it serves, and reads its secrets from the environment:
// OP_WEB_SECRET, OP_WEB2_SECRET, OP_SVC_SECRET, OP_ALICE_PASSWORD, and
// OP_WEB_KEY, the PEM private key whose public half web (request objects),
// web-par and web-pkj (private_key_jwt) register.
import { createPublicKey, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileSync, renameSync } from 'node:fs';
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const urlFile = process.argv[2];
if (!urlFile) {
  console.error('usage: node server.js URL_FILE');
  process.exit(2);
}
const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`oidc-provider: environment variable ${name} is not set`);
    process.exit(2);
  }
  return v;
};
const secrets = {
  web: env('OP_WEB_SECRET'),
  web2: env('OP_WEB2_SECRET'),
  svc: env('OP_SVC_SECRET'),
  alice: env('OP_ALICE_PASSWORD'),
};
// The clients' public key (RFC 7591 jwks), from the harness's private key.
const clientJWKS = { keys: [{ ...createPublicKey(env('OP_WEB_KEY')).export({ format: 'jwk' }), use: 'sig' }] };
// Nothing listens at the redirect URIs: the harness intercepts them in the
// browser. web2 registers a second one (RU-21).
const redirect = 'https://client.example.test/callback';
const redirect2 = 'https://client.example.test/callback2';
// The API resource server of the service client (see resourceIndicators below).
const apiResource = 'urn:oauthconform:api';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:24rem;margin:2rem auto}label,input,button{display:block;margin:.4rem 0}#error{color:#b00}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;

// Error pages without the default page's remote font.
async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('Error', Object.entries(out).map(([k, v]) => `<p><strong>${esc(k)}</strong>: <span class="${esc(k)}">${esc(v)}</span></p>`).join(''));
}
async function logoutSource(ctx, form) {
  ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>`);
}
async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<p>You are signed out.</p>');
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const configuration = {
  clients: [
    {
      // Registered for every response type the library offers (responseTypes
      // below), as in its OpenID Certified configuration, so the checks of the
      // Implicit, Hybrid and Form Post plans run them (IM-, HB-, FP-, FI-, FH-);
      // the types with an ID Token or access token from the authorization
      // endpoint need the implicit grant (lib/helpers/client_schema.js).
      client_id: 'web',
      client_secret: secrets.web,
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token', 'implicit'],
      response_types: ['code', 'code id_token', 'id_token', 'id_token token', 'code token', 'code id_token token'],
      token_endpoint_auth_method: 'client_secret_basic',
      // Its request objects (RFC 9101) are signed with the harness's key.
      jwks: clientJWKS,
      // RP-Initiated Logout (LO-01..06) and Back-Channel Logout (LO-15..17):
      // the harness listens at OP_BACKCHANNEL_URI, a loopback port run.sh
      // picked, while the logout checks run.
      post_logout_redirect_uris: ['https://client.example.test/logged-out'],
      backchannel_logout_uri: process.env.OP_BACKCHANNEL_URI,
      backchannel_logout_session_required: true,
    },
    {
      // Pushed authorization requests only (RFC 9126 §6; PAR-09); web's secret.
      client_id: 'web-par',
      client_secret: secrets.web,
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      require_pushed_authorization_requests: true,
    },
    {
      // private_key_jwt alone (the library binds each client to its one
      // method, lib/shared/client_auth.js): the PKJ checks' client.
      client_id: 'web-pkj',
      redirect_uris: [redirect],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: clientJWKS,
    },
    {
      client_id: 'web2',
      client_secret: secrets.web2,
      redirect_uris: [redirect, redirect2],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'spa',
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    {
      // Bare response_type=token is not an OpenID Connect response type and
      // oidc-provider does not offer it; "id_token token" is its implicit grant.
      client_id: 'legacy-spa',
      redirect_uris: [redirect],
      grant_types: ['implicit'],
      response_types: ['id_token token'],
      token_endpoint_auth_method: 'none',
    },
    {
      client_id: 'svc',
      client_secret: secrets.svc,
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api.read',
    },
    {
      // Client credentials tokens that expire within seconds (ttl below), for
      // the expiry checks; it shares svc's secret.
      client_id: 'svc-short',
      client_secret: secrets.svc,
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      // A device (RFC 8628), public like TVs and CLIs: the DEV checks.
      client_id: 'tv',
      redirect_uris: [],
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      token_endpoint_auth_method: 'none',
    },
    {
      // A device whose codes expire within seconds (ttl below): DEV-04.
      client_id: 'tv-short',
      redirect_uris: [],
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      token_endpoint_auth_method: 'none',
    },
  ],
  ttl: {
    // The library's default ClientCredentials TTL (lib/helpers/defaults.js) is
    // ten minutes; svc-short's tokens live two seconds.
    ClientCredentials: (ctx, token, client) => (client.clientId === 'svc-short' ? 2 : 10 * 60),
    // The default DeviceCode TTL is ten minutes; tv-short's codes live two seconds.
    DeviceCode: (ctx, code, client) => (client.clientId === 'tv-short' ? 2 : 10 * 60),
  },
  // The library's default clientAuthMethods (lib/helpers/defaults.js) also
  // advertise client_secret_jwt and private_key_jwt, and the library binds each
  // client to its one registered method (lib/shared/client_auth.js), so a method
  // no client of the profile is registered for would fail DSC-09 for the
  // harness's set-up, not the provider. These are the methods the profile's
  // clients use (client_secret_basic and _post are interchangeable there).
  // private_key_jwt for web-pkj, the profile's private_key_jwt role.
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
  // Every response type of OpenID Connect, as in the library's certified
  // configuration; it refuses a bare "token" (lib/helpers/configuration.js
  // checkResponseTypes).
  responseTypes: ['code id_token token', 'code id_token', 'code token', 'code', 'id_token token', 'id_token', 'none'],
  scopes: ['openid', 'offline_access', 'api.read'],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount: async (ctx, id) => (id === 'alice' ? { accountId: id, claims: async () => ({ sub: id }) } : undefined),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The default issues refresh tokens only for offline_access, which it honours
  // only with prompt=consent (OpenID Connect Core §11); this issues them to
  // every client allowed the refresh_token grant.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  features: {
    devInteractions: { enabled: false },
    // RFC 8628, with the library's own verification pages (their selectors
    // are in profile.yaml's device_flow). DPoP (RFC 9449) is on by default;
    // mTLS (RFC 8705) needs a TLS front with client certificates, which this
    // plain-HTTP loopback server does not have, so it stays off.
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    // RFC 9126 (on by default; said here) and RFC 9101 request objects by
    // value (the library serves no request_uri by reference but its own).
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
    requestObjects: { enabled: true, requireSignedRequestObject: false },
    // The service client's tokens are for an API resource server with JWT
    // access tokens (RFC 9068), so the token-format checks have a JWT to judge;
    // every other client's tokens stay audience-less and opaque, the only kind
    // the userinfo endpoint, the profile's resource, accepts
    // (lib/actions/userinfo.js refuses a token with an audience).
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf ?? (client?.clientId === 'svc' ? apiResource : undefined),
      getResourceServerInfo: async (ctx, resource, client) => {
        if (resource !== apiResource || client.clientId !== 'svc') throw new errors.InvalidTarget();
        return { scope: 'api.read', audience: apiResource, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } };
      },
      useGrantedResource: async () => false,
    },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    // OpenID Connect Back-Channel Logout (off by default); nothing under the
    // library's lib/ serves Front-Channel Logout or Session Management.
    backchannelLogout: { enabled: true },
  },
  renderError,
  // The library refuses outgoing requests to special-use addresses
  // (lib/helpers/fetch_request.js applySSRFProtection), loopback included;
  // the harness's back-channel listener is on loopback, like this server, so
  // that one URI goes through without the guard (every other fetch keeps it).
  fetch: (url, options) => {
    if (process.env.OP_BACKCHANNEL_URI && String(url) === new URL(process.env.OP_BACKCHANNEL_URI).href) {
      const { dispatcher, ...unguarded } = options;
      return globalThis.fetch(url, unguarded);
    }
    return globalThis.fetch(url, options);
  },
};

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function loginPage(uid, error) {
  return page('Sign in', `${error ? `<p id="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label>Username <input id="username" name="username" required autofocus></label>
<label>Password <input id="password" name="password" type="password" required></label>
<button id="signin" type="submit">Sign in</button></form>`);
}

function consentPage(uid, clientId, scopes) {
  return page('Authorize', `<p>The application <strong>${esc(clientId)}</strong> asks for: ${esc(scopes.join(' ') || '(no scopes)')}</p>
<form method="post" action="/interaction/${esc(uid)}/confirm"><button id="approve" type="submit">Allow</button></form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button id="deny" type="submit">Deny</button></form>`);
}

const equal = (a, b) => {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
};

// These pages are ours, not the library's (it leaves the UI to the
// integrator): they get the headers a deployment should send, so that the
// suite's page checks judge oidc-provider's own responses, not our gaps.
function sendPage(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

// The interaction pages, after the oidc-provider documentation's example.
async function interaction(provider, req, res, uid, action) {
  const send = (status, html) => sendPage(res, status, html);
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(400, page('Error', '<p id="error">interaction mismatch</p>'));
  const { prompt, params } = details;
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return send(200, loginPage(uid));
    const scopes = [...(prompt.details.missingOIDCScope || [])];
    return send(200, consentPage(uid, params.client_id, scopes));
  }
  if (req.method !== 'POST') return send(405, page('Error', '<p>method not allowed</p>'));
  if (action === 'login') {
    const form = await readForm(req);
    if (form.get('username') !== 'alice' || !equal(form.get('password') || '', secrets.alice)) {
      return send(200, loginPage(uid, 'Invalid username or password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: 'alice' } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    const { session: { accountId } } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
  }
  return send(404, page('Error', '<p>not found</p>'));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const m = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(new URL(req.url, issuer).pathname);
    if (!m) return callback(req, res);
    try {
      await interaction(provider, req, res, m[1], m[2]);
    } catch (err) {
      console.error(`interaction ${req.method} ${req.url}: ${err.name}: ${err.message}`);
      if (!res.headersSent) sendPage(res, 400, page('Error', `<p id="error">${esc(err.message)}</p>`));
    }
  });
  const tmp = `${urlFile}.tmp`;
  writeFileSync(tmp, issuer);
  renameSync(tmp, urlFile);
  console.log(`oidc-provider ${issuer}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
