// Text the deterministic parser cannot read, translated by a model into one /flow line: the client's
// model through MCP sampling when the client offers it, else an OpenAI-compatible chat model named in
// the user's own config (never the project's .flow/config.json: the request text would go to a host a
// cloned repository chose). The line is parsed by the grammar like any other and returned for
// confirmation — a translation is shown, never run.
import { ignoredProjectKeys, readConfig } from '../core/kernel/config.js';
import { readUserConfig } from '../core/kernel/user-config.js';
import type { Call } from '../core/kernel/workspace.js';
import { helpText } from './grammar.js';
import type { Parsed } from './build.js';
import { parseCommand } from './parse.js';

export const TRANSLATE_SYSTEM =
  'You turn a request about a project\'s work into exactly one line of the /flow command language below. ' +
  'Answer with the line only, starting with /flow. Use words from titles to name things; never invent ids. ' +
  'If the request cannot be expressed, answer: /flow help\n\n';

/** The chat model the user configured as a translator, if there is one. */
export function configuredTranslator(_ctx: Call, env: NodeJS.ProcessEnv = process.env): Call['translate'] {
  const cfg = readUserConfig(env).commands?.translator;
  if (!cfg) return undefined;
  return async (text, grammar) => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: env[cfg.api_key_env ?? 'OPENAI_API_KEY'] ?? 'none', baseURL: cfg.base_url ?? env.FLOW_OPENAI_BASE_URL ?? env.OPENAI_BASE_URL, maxRetries: 1, timeout: 20_000 });
    const r = await client.chat.completions.create({
      model: cfg.model,
      temperature: 0,
      max_tokens: 200,
      messages: [
        { role: 'system', content: TRANSLATE_SYSTEM + grammar },
        { role: 'user', content: text },
      ],
    });
    return r.choices[0]?.message?.content ?? undefined;
  };
}

function projectTranslatorIgnored(call: Call): string | undefined {
  try {
    if (!ignoredProjectKeys(readConfig(call.ws)).includes('commands.translator')) return undefined;
  } catch {
    return undefined;
  }
  return '.flow/config.json names a translator, which was not used: a project file cannot choose where your text is sent; set commands.translator in your own config (~/.config/flowmcp/config.json or $FLOWMCP_CONFIG)';
}

/** The first /flow line of a model's answer. */
export function firstCommandLine(answer: string): string | undefined {
  return answer
    .split('\n')
    .map((l) => l.trim().replace(/^`+|`+$/g, ''))
    .find((l) => /^\/flow\b/.test(l));
}

/** For a request the parser could not read: the model's reading of it, checked by the grammar. */
export async function translateUnread(call: Call, text: string, unread: Parsed & { kind: 'error' }): Promise<Parsed | { kind: 'translated'; line: string; parsed: Parsed }> {
  const translate = call.translate ?? configuredTranslator(call);
  if (!translate) {
    // A translator named in the project's config is not used; say so rather than leave the user guessing.
    const ignored = projectTranslatorIgnored(call);
    return ignored ? { ...unread, hint: `${unread.hint} (${ignored})` } : unread;
  }
  let answer: string | undefined;
  try {
    answer = await translate(text, helpText());
  } catch (e) {
    return { ...unread, hint: `${unread.hint} (A model was asked to translate it and failed: ${(e as Error).message}.)` };
  }
  const line = answer ? firstCommandLine(answer) : undefined;
  if (!line || /^\/flow\s+help\b/.test(line)) return { ...unread, hint: `${unread.hint} (A model could not translate it either.)` };
  const parsed = parseCommand(call, line);
  if (parsed.kind === 'error') return { ...unread, hint: `${unread.hint} (A model suggested "${line}", which does not parse: ${parsed.message})` };
  return { kind: 'translated', line, parsed };
}
