/**
 * The fixed facts of the dev stack that the demo's public/auth.config.json, the e2e harness and the docs
 * rely on. Kept free of imports so that reading them does not load oidc-provider.
 */

/** Default ports on `localhost`; override with APP_PORT, IDP_PORT, API_PORT. */
export const DEFAULT_APP_PORT = 4200;
export const DEFAULT_IDP_PORT = 4400;
export const DEFAULT_API_PORT = 4401;

/** The demo app's public client at the dev IdP. */
export const DEMO_CLIENT_ID = 'demo-spa';

/** The demo API's identifier: what the app sends as Auth0-style `audience` and what access tokens carry in `aud`. */
export const DEMO_API_AUDIENCE = 'urn:ngx-implicit-auth:demo-api';

/** The scopes the demo API knows: `read:messages` for GET /api/messages, `write:messages` for GET /api/admin. */
export const DEMO_API_SCOPES = Object.freeze(['read:messages', 'write:messages']);
