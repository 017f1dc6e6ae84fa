/**
 * HTML escaping for the report and console templates. Every string that comes from data (account
 * ids, reasons, prompts) passes through here before it reaches markup, so a hostile prompt such as
 * `</script><img onerror=…>` is shown as text and never parsed as HTML.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for use in element content and in quoted attribute values.
 *
 * @example
 * escapeHtml('</script><img onerror=alert(1)>'); // '&lt;/script&gt;&lt;img onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Markup that is already safe; produced only by `html` and `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A value a template may interpolate: text is escaped, SafeHtml passes through, arrays are joined. */
export type HtmlValue = string | number | SafeHtml | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/**
 * Tagged template that escapes every interpolated string, so templates are safe by default.
 *
 * @example
 * html`<td>${accountId}</td>`.value; // accountId escaped
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Marks trusted, constant markup (style sheets, scripts written in this repository) as safe.
 *
 * @example
 * html`<style>${raw(CSS)}</style>`;
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
