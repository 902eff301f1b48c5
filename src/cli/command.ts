// One CLI command as a declaration: its name, its flags and arguments (zod, parsed once, here at the
// edge), its help lines, and its run function. `flowmcp --help` is printed from these declarations,
// the very ones that parse, so help cannot leave out a command or a flag that parsing accepts.
import { z } from 'zod';
import { nearestWord } from '../core/kernel/suggest.js';
import { issueText } from '../core/schemas/issue-text.js';
import type { ParsedArgs } from './args.js';

/** A malformed command line: exit 2, with a hint that says how to write it. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = 'Run flowmcp help for the commands.',
  ) {
    super(message);
  }
}

/** A flag that takes no value (`--force`): the word after it stays an argument. */
export const onOff = (name: string, help?: string) => z.literal(true, { error: `--${name} takes no value` }).optional().meta({ help });

/** Flags every command takes. `value` names the flag's value in help; `help` says what it does. */
export const GlobalFlags = z.object({
  dir: z.string({ error: '--dir takes a directory' }).min(1, '--dir takes a directory').optional().meta({ value: 'DIR', help: 'project root; else FLOW_DIR, else the current directory' }),
  json: onOff('json', 'machine-readable output'),
  help: onOff('help', 'what a command takes'),
});
export type Global = { dir?: string; json: boolean; help: boolean };

/** An entry of the command table, whatever its flags: what index.ts and help.ts see. */
export interface CliCommand {
  name: string;
  aliases: readonly string[];
  /** Flags that take no value, so the splitter does not take the next word as their value. */
  switches: ReadonlySet<string>;
  /** Its lines in `flowmcp --help`. */
  help(): string[];
  /** `flowmcp help <name>` and `flowmcp <name> --help`. */
  detail(): string;
  /** Parses the split command line and runs: the exit code, or -1 while a server keeps running. */
  start(line: ParsedArgs): Promise<number>;
}

export const flagName = (key: string) => `--${key.replace(/_/g, '-')}`;

/** Flags other tools spell another way: no edit distance finds `--k` from `--limit`. */
const OTHER_SPELLINGS: Readonly<Record<string, readonly string[]>> = { k: ['limit', 'top', 'n'], limit: ['k', 'top', 'n'] };

/** Refuses flags the command does not take, naming the closest one it does. */
export function unknownFlag(where: string, given: readonly string[], known: readonly string[]): UsageError | undefined {
  const all = [...known, ...Object.keys(GlobalFlags.shape)];
  const bad = given.find((k) => !all.includes(k));
  if (bad === undefined) return undefined;
  const near = known.find((k) => OTHER_SPELLINGS[k]?.includes(bad)) ?? nearestWord(bad, all);
  return new UsageError(
    `${where}: unknown flag ${flagName(bad)}.${near ? ` Did you mean ${flagName(near)}?` : ''}`,
    known.length ? `${where} takes ${known.map(flagName).join(', ')} (and --dir, --json anywhere).` : `${where} takes only --dir and --json.`,
  );
}

/** Takes the global flags out of a split line; the rest belong to the command. */
export function splitGlobal(flags: ParsedArgs['flags']): { global: Global; own: ParsedArgs['flags'] } {
  const { dir, json, help, ...own } = flags;
  const parsed = GlobalFlags.safeParse({ dir, json, help });
  if (!parsed.success) throw new UsageError(problems(parsed.error));
  return { global: { dir: parsed.data.dir, json: parsed.data.json === true, help: parsed.data.help === true }, own };
}

function problems(error: z.ZodError): string {
  return error.issues.map((i) => (i.message.startsWith('--') || i.path.length === 0 ? issueText(i) : `${flagName(String(i.path[0]))}: ${issueText(i)}`)).join('; ');
}

function isOnOff(schema: z.ZodType): boolean {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return (inner instanceof z.ZodLiteral && inner.values.has(true)) || inner instanceof z.ZodBoolean;
}

/**
 * Whether a value may be left out: optional, defaulted, or optional then transformed (a fallback
 * filled in after parsing). Read from what zod accepts, not from the outermost wrapper's class.
 */
export function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** The flags of a shape that take no value. */
export function onOffKeys(shape: Record<string, z.ZodType>): string[] {
  return Object.keys(shape).filter((k) => isOnOff(shape[k]!));
}

/** `flowmcp --help` layout: the usage, then what it does from column 38 (on its own line when long). */
export function helpLines(usage: string, summary: readonly string[]): string[] {
  const head = `  ${usage}`;
  const pad = ' '.repeat(37);
  const [first = '', ...more] = summary;
  const lines = head.length < 36 ? [head + ' '.repeat(37 - head.length) + first] : [head, pad + first];
  return [...lines, ...more.map((m) => pad + m)].map((l) => l.trimEnd());
}

/**
 * The values a schema allows, when it is a closed set (`todo|in_progress|…`): read through optional,
 * default, the preprocessing that maps old spellings (a pipe's output) and lists of them. Help shows
 * these, so it lists exactly what parsing accepts.
 */
export function allowedValues(schema: z.ZodType): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
      return allowedValues(def.innerType as z.ZodType);
    case 'pipe':
      return allowedValues(def.out as z.ZodType);
    case 'array':
      return allowedValues(def.element as z.ZodType);
    case 'enum':
      return Object.values(def.entries as Record<string, string | number>).map(String);
    case 'literal':
      return (def.values as unknown[]).map(String);
    default:
      return undefined;
  }
}

/** How help names a value: its allowed values (`low|medium|high|urgent`), else the given name. */
export function valueUsage(schema: z.ZodType, name: string): string {
  return allowedValues(schema)?.join('|') ?? name;
}

/** Usage text of a flag object: `[--force] [--out FILE] [--kind a|b]`; a required flag without brackets. */
export function flagUsage(flags: z.ZodObject): string {
  return Object.entries(flags.shape as Record<string, z.ZodType>)
    .map(([k, s]) => {
      const text = isOnOff(s) ? flagName(k) : `${flagName(k)} ${valueUsage(s, (s.meta()?.value as string | undefined) ?? k.toUpperCase())}`;
      return isOptional(s) ? `[${text}]` : text;
    })
    .join(' ');
}

export interface CommandDef<F extends z.ZodObject, A extends z.ZodType<unknown, string[]>> {
  name: string;
  aliases?: readonly string[];
  /** The arguments as the usage line shows them, e.g. "<file>". */
  args?: string;
  /** What it does, one or more help lines. */
  summary: readonly string[];
  flags: F;
  /** Its positional arguments; a command without this takes none. */
  positionals?: A;
  /**
   * Flags it does not declare are handed to run instead of refused, because something further in
   * checks them (`run` passes them to the /flow grammar, which names the flags it takes). These
   * words are switches among them.
   */
  passthrough?: readonly string[];
  run(input: { flags: z.output<F>; args: z.output<A>; rest: ParsedArgs['flags'] }, global: Global): Promise<number>;
}

export function defineCommand<F extends z.ZodObject, A extends z.ZodType<unknown, string[]> = z.ZodType<string[], string[]>>(def: CommandDef<F, A>): CliCommand {
  const shape = def.flags.shape as Record<string, z.ZodType>;
  const usage = [`flowmcp ${def.name}`, def.args, flagUsage(def.flags)].filter(Boolean).join(' ');
  const help = () => helpLines(usage, def.summary);
  const command: CliCommand = {
    name: def.name,
    aliases: def.aliases ?? [],
    switches: new Set([...onOffKeys({ ...GlobalFlags.shape, ...shape }), ...(def.passthrough ?? [])]),
    help,
    detail: () => {
      const described = Object.entries({ ...shape, ...GlobalFlags.shape } as Record<string, z.ZodType>).filter(([, s]) => s.meta()?.help);
      const width = Math.max(...described.map(([k]) => flagName(k).length));
      return [...help(), '', ...described.map(([k, s]) => `  ${flagName(k).padEnd(width)}  ${s.meta()!.help as string}`)].join('\n');
    },
    async start(line) {
      const { global, own } = splitGlobal(line.flags);
      if (global.help) {
        process.stdout.write(command.detail() + '\n');
        return 0;
      }
      const declared = Object.keys(shape);
      const rest = Object.fromEntries(Object.entries(own).filter(([k]) => !declared.includes(k)));
      if (!def.passthrough) {
        const refusal = unknownFlag(def.name, Object.keys(rest), declared);
        if (refusal) throw refusal;
      }
      const mine = Object.fromEntries(Object.entries(own).filter(([k]) => declared.includes(k)));
      for (const [k, v] of Object.entries(mine)) {
        if (v === true && !isOnOff(shape[k]!)) throw new UsageError(`${def.name}: ${flagName(k)} needs a value.`, `Write ${usage}.`);
      }
      const flags = def.flags.safeParse(mine);
      if (!flags.success) throw new UsageError(`${def.name}: ${problems(flags.error)}`, `Write ${usage}.`);
      let args: unknown = line.positionals;
      if (def.positionals) {
        const parsed = def.positionals.safeParse(line.positionals);
        if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => issueText(i)).join('; '), `Write ${usage}.`);
        args = parsed.data;
      } else if (line.positionals.length) {
        throw new UsageError(`${def.name} takes no arguments, got ${line.positionals.map((p) => JSON.stringify(p)).join(' ')}.`, `Write ${usage}.`);
      }
      return def.run({ flags: flags.data, args: args as z.output<A>, rest }, global);
    },
  };
  return command;
}
