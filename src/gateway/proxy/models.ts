/**
 * `GET /v1/models`: the configured models this key may use, in OpenAI's list shape, or in
 * Anthropic's when the client sends `anthropic-version` (as Anthropic SDKs always do).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireFormat } from '../ports.js';
import { sendApiError } from '../wire/errors.js';
import { authError, presentedKey } from './auth.js';
import type { GatewayContext } from './context.js';

/**
 * Serves the model list.
 *
 * @example
 * if (path === '/v1/models') await handleModels(ctx, req, res);
 */
export async function handleModels(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const format: WireFormat = req.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
  const auth = await ctx.auth.authenticate(presentedKey(req));
  if (!auth.ok) return sendApiError(res, format, authError(format, auth.reason));
  const scopes = auth.principal.scopes;
  const ids = [...ctx.config.models.keys()].filter((id) => scopes.length === 0 || scopes.includes(id));
  const body =
    format === 'openai'
      ? {
          object: 'list',
          data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'distillguard' })),
        }
      : {
          data: ids.map((id) => ({
            type: 'model',
            id,
            display_name: id,
            created_at: '1970-01-01T00:00:00Z',
          })),
          has_more: false,
          first_id: ids[0] ?? null,
          last_id: ids.at(-1) ?? null,
        };
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
