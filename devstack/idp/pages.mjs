// The IdP's HTML pages (login form, device flow, logout, errors, callback confirmation).

export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const page = (title, body) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1>
${body}
</body></html>`;

export function loginPage(uid, { login = '', error = '', client = '' } = {}) {
  return page('Log in', `<p>Log in to continue to ${esc(client)}.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label>Username <input type="text" name="login" value="${esc(login)}" autofocus></label>
  <label>Password <input type="password" name="password"></label>
  <button type="submit">Continue</button>
</form>`);
}

// Like Auth0's prompt for custom-scheme and loopback callbacks (since 2026-04-28): the browser
// goes on to the app only when the person presses Continue.
export function confirmCallbackPage(id, appName) {
  return page('Continue to the app?', `<p>You are signing in to <strong>${esc(appName)}</strong>.
Continue only if you started this sign-in in ${esc(appName)} on this device.</p>
<form id="confirm-callback" method="post" action="/__devstack/confirm/${esc(id)}">
  <input type="hidden" name="confirm" value="yes">
  <button type="submit">Continue</button>
</form>`);
}

export async function userCodeInputSource(ctx, form, _out, err) {
  const msg = err ? '<p class="error">The code you entered is incorrect. Try again.</p>' : '<p>Enter the code displayed on your device.</p>';
  ctx.body = page('Device activation', `${msg}\n${form}\n<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

export async function userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
  ctx.body = page('Confirm device', `<p>${esc(client.clientName || client.clientId)} shows the code <code>${esc(userCode)}</code>.</p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>`);
}

export async function successSource(ctx) {
  ctx.body = page('Device activated', '<p>Sign-in successful. You can close this page.</p>');
}

export async function logoutSource(ctx, form) {
  ctx.body = page('Log out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button>`);
}

export async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Logged out', '<p>You are logged out.</p>');
}

export async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page('Error', `<pre>${esc(JSON.stringify(out, null, 2))}</pre>`);
}
