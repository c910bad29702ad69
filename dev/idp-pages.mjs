/**
 * The dev IdP's HTML: sign-in, consent, sign-out and error pages. Self-contained (no web fonts or other
 * remote assets), because the machines this runs on often have no internet and a blocked font request
 * only adds noise to test logs.
 */

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 22rem; margin: 4rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: 8px;
         box-shadow: 0 1px 3px rgb(0 0 0 / 20%); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
  input { box-sizing: border-box; width: 100%; padding: 0.5rem; font: inherit; }
  button { margin-top: 1rem; width: 100%; padding: 0.6rem; font: inherit; font-weight: 600; border: 0;
           border-radius: 4px; background: #3451b2; color: #fff; cursor: pointer; }
  button.secondary { background: #e4e7ee; color: #1d2330; }
  .error { color: #b42318; }
  .hint { color: #5b6170; font-size: 0.85rem; }
  code { background: #eef0f4; padding: 0 0.2rem; border-radius: 3px; }
`;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char],
  );
}

function layout(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · dev IdP</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/**
 * The sign-in form. Field names `login` and `password` match oidc-provider's own dev form, which the e2e
 * tests and people's habits already know.
 */
export function loginPage({ uid, clientName, login = '', error, users }) {
  const hint = users.map((user) => `<code>${escapeHtml(user.sub)}</code> / <code>${escapeHtml(user.password)}</code>`);
  return layout(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(clientName)}</h1>
${error ? `<p class="error" role="alert" data-testid="login-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label for="login">User name</label>
  <input id="login" name="login" value="${escapeHtml(login)}" required ${login ? '' : 'autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required ${login ? 'autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>
<form method="get" action="/interaction/${escapeHtml(uid)}/abort">
  <button type="submit" class="secondary">Cancel</button>
</form>
<p class="hint">Demo users: ${hint.join(', ')}</p>`,
  );
}

/** The consent form: what the app asks for, split into identity scopes and API scopes. */
export function consentPage({ uid, clientName, userName, oidcScopes, resourceScopes }) {
  const items = [
    ...oidcScopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`),
    ...Object.entries(resourceScopes).flatMap(([resource, scopes]) =>
      scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code> on <code>${escapeHtml(resource)}</code></li>`),
    ),
  ];
  return layout(
    'Authorize',
    `<h1>${escapeHtml(clientName)} asks for access</h1>
<p>Signed in as <strong>${escapeHtml(userName)}</strong>. The app asks for:</p>
<ul>${items.join('') || '<li>nothing beyond what you already allowed</li>'}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">
  <button type="submit" autofocus>Allow</button>
</form>
<form method="get" action="/interaction/${escapeHtml(uid)}/abort">
  <button type="submit" class="secondary">Deny</button>
</form>`,
  );
}

/**
 * RP-initiated logout confirmation. `form` is oidc-provider's hidden form (it carries the xsrf token);
 * the buttons submit it, `logout=yes` ending the session.
 */
export function logoutPage({ form, host }) {
  return layout(
    'Sign out',
    `<h1>Sign out of ${escapeHtml(host)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  );
}

export function postLogoutPage({ clientName }) {
  return layout(
    'Signed out',
    `<h1>Signed out</h1><p>You have signed out${clientName ? ` of ${escapeHtml(clientName)}` : ''}.</p>`,
  );
}

/** An error the IdP cannot send back to the app (e.g. an unregistered redirect_uri). */
export function errorPage({ error, description }) {
  return layout(
    'Error',
    `<h1>The request was refused</h1>
<p><code data-testid="idp-error">${escapeHtml(error)}</code></p>
${description ? `<p>${escapeHtml(description)}</p>` : ''}`,
  );
}
