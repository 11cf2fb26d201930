/**
 * SEP-2243 (2026-07-28): a tool may mark primitive arguments with `x-mcp-header: Name`, and a
 * client then repeats each such argument in an `Mcp-Param-Name` header, so proxies and load
 * balancers can route on it without reading the body. A gateway that routes or filters on those
 * headers must see them agree with the body, or a client could show one value to the network and
 * another to the tool; so a call whose headers are missing, malformed or different is refused
 * before it reaches policy, DLP or the upstream.
 */

/** JSON-RPC code for a header that disagrees with the body (the spec's HeaderMismatch), answered with HTTP 400. */
export const HEADER_MISMATCH_RPC_CODE = -32020;

const HEADER_PREFIX = 'mcp-param-';
/** RFC 9110 token characters: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BASE64_SENTINEL = /^=\?base64\?(.*)\?=$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A header value sent as is: visible ASCII and inner spaces, no leading or trailing whitespace. */
const PLAIN_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
const CANONICAL_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export interface ParamHeaderDeclaration {
  /** The header name after `Mcp-Param-`, as the tool declares it. */
  header: string;
  /** The argument's place in `arguments`, one property name per level. */
  path: string[];
}

/**
 * The `x-mcp-header` declarations of a tool's input schema, reached through `properties` only
 * (as the spec allows). A declaration elsewhere or of a non-token name is not one: such a tool
 * is called without headers, as conforming clients call it.
 */
export function paramHeaderDeclarations(inputSchema: unknown): ParamHeaderDeclaration[] {
  const found: ParamHeaderDeclaration[] = [];
  const walk = (schema: unknown, path: string[]) => {
    const properties = (schema as { properties?: unknown } | null)?.properties;
    if (!properties || typeof properties !== 'object') return;
    for (const [name, property] of Object.entries(properties)) {
      if (!property || typeof property !== 'object') continue;
      const header = (property as Record<string, unknown>)['x-mcp-header'];
      if (typeof header === 'string' && TOKEN.test(header)) found.push({ header, path: [...path, name] });
      walk(property, [...path, name]);
    }
  };
  walk(inputSchema, []);
  return found;
}

/** Why a call's headers are refused, in words that name the header and never the value; undefined when they agree with the body. */
export function paramHeaderMismatch(declarations: ParamHeaderDeclaration[], args: unknown, headers: Headers): string | undefined {
  for (const { header, path } of declarations) {
    const value = valueAt(args, path);
    const name = `Mcp-Param-${header}`;
    const sent = headers.get(`${HEADER_PREFIX}${header}`);
    if (value === undefined || value === null) {
      if (sent !== null) return `${name} is sent but the argument ${path.join('.')} is absent; send the header only with the argument`;
      continue;
    }
    if (sent === null) return `the argument ${path.join('.')} is present but the ${name} header is missing; repeat the argument in it`;
    const decoded = decodeHeaderValue(sent);
    if (decoded === undefined) return `${name} is not a valid header value; send plain visible ASCII, or =?base64?…?= for anything else`;
    if (!agrees(decoded, value)) return `${name} does not match the argument ${path.join('.')}; send the same value in both`;
  }
  return undefined;
}

function valueAt(args: unknown, path: string[]): unknown {
  let current = args;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function decodeHeaderValue(sent: string): string | undefined {
  const sentinel = BASE64_SENTINEL.exec(sent);
  if (!sentinel) return PLAIN_VALUE.test(sent) ? sent : undefined;
  const encoded = sentinel[1]!;
  if (!BASE64.test(encoded)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}

function agrees(decoded: string, value: unknown): boolean {
  if (typeof value === 'number') return CANONICAL_NUMBER.test(decoded) && Number(decoded) === value;
  if (typeof value === 'boolean') return decoded === String(value);
  return typeof value === 'string' && decoded === value;
}
