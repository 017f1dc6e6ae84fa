/**
 * The console's HTML shell and the security headers it is served with. The page holds no data;
 * the bundled app (`/console/app.js`, built by build-app.ts) fetches everything after sign-in.
 */

/** Only this origin's script, styles and API: no inline script, no framing, no third parties. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * The page shell.
 *
 * @example
 * res.end(consolePage());
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>distillguard console</title></head>
<body><div id="app"><p>Loading the console…</p></div><script type="module" src="/console/app.js"></script></body></html>
`;
}
