/**
 * Entry point of the console app: sign-in, navigation, hash routing, and an error banner that
 * shows the server's message instead of failing silently.
 */
import { parseRoute } from '../view-model.js';
import { accountView } from './account.mjs';
import { ApiError, api, setCsrf } from './api.mjs';
import { campaignView } from './campaign.mjs';
import { h } from './dom.mjs';
import { auditView, keysAccountsView, policyView } from './lists.mjs';
import { overviewView } from './overview.mjs';
import { CSS } from './style.mjs';

const root = document.getElementById('app') as HTMLElement;

function signInForm(message?: string): HTMLElement {
  const token = h('input', {
    type: 'password',
    id: 'token',
    autocomplete: 'current-password',
    placeholder: 'admin token',
  });
  const name = h('input', {
    type: 'text',
    id: 'operator',
    autocomplete: 'username',
    placeholder: 'your name for the audit log (optional)',
  });
  const status = h('p', { class: 'error', id: 'signin-error' }, message ?? '');
  const form = h(
    'form',
    { id: 'signin' },
    h('h2', {}, 'Sign in'),
    name,
    token,
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    api<{ csrf: string }>('POST', '/console/api/session', { token: token.value, name: name.value })
      .then((s) => {
        setCsrf(s.csrf);
        void show();
      })
      .catch((error: Error) => {
        status.textContent = error.message;
      });
  });
  return h('main', {}, form);
}

const NAV: Array<[string, string]> = [
  ['#/', 'Overview'],
  ['#/keys', 'Keys and accounts'],
  ['#/policy', 'Policy'],
  ['#/audit', 'Audit'],
];

function shell(content: HTMLElement, flash?: string): HTMLElement {
  const signOut = h(
    'button',
    {
      id: 'signout',
      onclick: () =>
        void api('DELETE', '/console/api/session').finally(() => {
          setCsrf(null);
          void show();
        }),
    },
    'Sign out',
  );
  return h(
    'div',
    {},
    h(
      'header',
      {},
      h('b', {}, 'distillguard console'),
      h('nav', {}, ...NAV.map(([href, text]) => h('a', { href }, text))),
      signOut,
    ),
    h('main', {}, flash === undefined ? null : h('p', { id: 'flash', class: 'flash' }, flash), content),
  );
}

async function viewFor(hash: string): Promise<HTMLElement> {
  const { view, arg } = parseRoute(hash);
  const reload = (flash?: string): void => void show(flash);
  if (view === 'campaign' && arg !== null) return campaignView(arg, reload);
  if (view === 'account' && arg !== null) return accountView(arg, reload);
  if (view === 'keys') return keysAccountsView();
  if (view === 'policy') return policyView();
  if (view === 'audit') return auditView();
  return overviewView();
}

let rendering = 0;

async function show(flash?: string): Promise<void> {
  const ticket = ++rendering;
  try {
    const session = await api<{ csrf: string }>('GET', '/console/api/session');
    setCsrf(session.csrf);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      root.replaceChildren(signInForm());
      return;
    }
    root.replaceChildren(h('p', { class: 'error' }, (error as Error).message));
    return;
  }
  try {
    const content = await viewFor(location.hash);
    if (ticket !== rendering) return;
    root.replaceChildren(shell(content, flash));
    document.body.dataset.ready = content.dataset.view ?? '';
    performance.mark(`dg:ready:${content.dataset.view ?? ''}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return void root.replaceChildren(signInForm('Session ended; sign in again.'));
    root.replaceChildren(shell(h('p', { class: 'error', id: 'view-error' }, (error as Error).message)));
  }
}

const style = document.createElement('style');
style.textContent = CSS;
document.head.append(style);
window.addEventListener('hashchange', () => {
  delete document.body.dataset.ready;
  void show();
});
void show();
