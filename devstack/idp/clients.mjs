// The IdP's registered clients. Every client is a public native app (PKCE S256, grants
// authorization_code, refresh_token, device code); each non-default one switches on exactly one
// behaviour of a real provider, so tests can pick the rule they exercise:
//
//   kura-desktop     Auth0 defaults: ID tokens 10 h, loopback redirect on any port (RFC 8252 §7.3)
//   kura-shortlived  ID tokens live 20 s
//   kura-exactport   loopback redirects must match a registered port exactly (Auth0, Okta)
//   kura-confirm     a confirmation page before redirecting to a custom-scheme or loopback
//                    callback (Auth0 since 2026-04-28)
//   kura-cognito     Amazon Cognito user pool rules: plain-http callbacks only on
//                    http://localhost:PORT/callback, matched exactly (127.0.0.1 is refused),
//                    `offline_access` is refused (invalid_scope), a refresh token is issued for
//                    every code flow anyway, refresh tokens do not rotate (a refresh answers
//                    without refresh_token), ID tokens carry token_use "id", ID tokens live 1 h
//   kura-faults      for fault tests: ID tokens live 30 s (less than Kura's 60-second margin, so
//                    every credential renewal refreshes first); the token endpoint fault switch
//                    (server.mjs, POST /__devstack/fault) is meant for this client only

export const APP_REDIRECT_URI = 'app.kura.desktop:/callback';
/** The loopback ports registered for kura-exactport (http://127.0.0.1:PORT/callback). */
export const EXACT_PORTS = [47180, 47181, 47182, 47183, 47184];
/** The loopback ports registered for kura-cognito (http://localhost:PORT/callback). */
export const COGNITO_PORTS = [47190, 47191, 47192, 47193, 47194];

export const SHORT_ID_TOKEN_CLIENT = 'kura-shortlived';
export const EXACT_PORT_CLIENT = 'kura-exactport';
export const CONFIRM_CLIENT = 'kura-confirm';
export const COGNITO_CLIENT = 'kura-cognito';
export const FAULTS_CLIENT = 'kura-faults';

const nativeClient = (clientId, clientName, extra = {}) => ({
  client_id: clientId,
  client_name: clientName,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
  // The loopback URI matches any port (RFC 8252 section 7.3) for native clients.
  redirect_uris: ['http://127.0.0.1/callback', APP_REDIRECT_URI],
  ...extra,
});

export const CLIENTS = [
  nativeClient('kura-desktop', 'Kura'),
  nativeClient(SHORT_ID_TOKEN_CLIENT, 'Kura (short ID tokens)'),
  nativeClient(EXACT_PORT_CLIENT, 'Kura (exact loopback ports)', {
    redirect_uris: [...EXACT_PORTS.map((p) => `http://127.0.0.1:${p}/callback`), APP_REDIRECT_URI],
  }),
  nativeClient(CONFIRM_CLIENT, 'Kura (callback confirmation)'),
  // `scope` limits what may be asked for: offline_access is not in it -> invalid_scope.
  // Cognito takes plain http only on localhost ("HTTPS is required over HTTP except for
  // http://localhost"), and compares callback URLs exactly (see exactPorts).
  nativeClient(COGNITO_CLIENT, 'Kura (Cognito rules)', {
    scope: 'openid profile email',
    redirect_uris: [...COGNITO_PORTS.map((p) => `http://localhost:${p}/callback`), APP_REDIRECT_URI],
  }),
  nativeClient(FAULTS_CLIENT, 'Kura (fault tests)'),
];

/** ID token lifetime in seconds for a client. */
export function idTokenTtl(clientId) {
  if (clientId === SHORT_ID_TOKEN_CLIENT) return 20;
  if (clientId === COGNITO_CLIENT) return 3600;
  if (clientId === FAULTS_CLIENT) return 30;
  return 36000; // Auth0's default, 10 h
}

/** True when a client's loopback redirect URIs must match the registered ones exactly (port
 * and host: Auth0, Okta, Amazon Cognito). */
export const exactPorts = (clientId) => clientId === EXACT_PORT_CLIENT || clientId === COGNITO_CLIENT;
/** True when a client shows the confirmation page before custom-scheme/loopback callbacks. */
export const confirmsCallbacks = (clientId) => clientId === CONFIRM_CLIENT;
/** True for Cognito's refresh-token rules (issued without offline_access, not rotated). */
export const cognitoRules = (clientId) => clientId === COGNITO_CLIENT;
