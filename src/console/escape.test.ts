import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './escape.js';

describe('escapeHtml', () => {
  it('neutralises markup and attribute breakouts', () => {
    expect(escapeHtml(`</script><img src=x onerror="alert('1')">&`)).toBe(
      '&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;',
    );
  });
  it('leaves plain text alone', () => {
    expect(escapeHtml('acct_12 ≈ 3%')).toBe('acct_12 ≈ 3%');
  });
});

describe('html', () => {
  it('escapes interpolated strings and numbers but not nested templates or raw', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p title="${'"x"'}">${inner}${raw('<hr>')}${3}${null}${['<', '>']}</p>`;
    expect(out.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b><hr>3&lt;&gt;</p>');
  });
});
