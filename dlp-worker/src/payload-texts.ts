import type { Detector } from './detector.ts';
import type { KeyedIndex } from './keyed-detection.ts';
import { decodeEncodedText, type DecodedText } from './decode-text.ts';
import { ROOT_PATH, indexPath, jsonKindOf, memberPath, unscannable } from './json-path.ts';
import { TextList } from './text-list.ts';

/**
 * The texts of a payload to scan, and where each sits. Kept in flat arrays: a 1 MB payload of
 * rows has tens of thousands of strings, and an object per string costs more than the scan.
 */
export interface PayloadTexts {
  /** Each string leaf, number leaf (decimal text) and decoded string once, and each distinct member name once. */
  texts: TextList;
  /** Per text: the node of a value (or decoded value), or -1 - n for the n-th distinct member name. Empty without `places`. */
  owner: number[];
  /** Per distinct member name: the nodes of the members it names (rows repeat their names). Empty without `places`. */
  keyMembers: number[][];
  /** For a decoded text: the index of the text it was decoded from, and how. */
  decoded: ReadonlyMap<number, { source: number; decoding: DecodedText }>;
  /** String values under members whose name a detector's `keyed` rule matches. */
  keyed: Array<{ text: number; detectors: readonly Detector[] }>;
  /** Per node: parent node (-1 for the root), member name or item index, position among siblings. Only the root without `places`. */
  nodeParent: number[];
  nodeKey: Array<string | number>;
  nodePosition: number[];
  /** Characters in all strings, names and numbers (decoded text excluded, names counted each time). */
  size: number;
}

export interface CollectOptions {
  /** Stop collecting past this many characters: the payload is oversize. */
  maxChars: number;
  decodeEncoded: boolean;
  /**
   * Whether to record where each text sits (owners, nodes): what findings need for their paths.
   * Without it the walk yields the same texts in the same order at a fraction of the cost, which
   * is all a payload without findings ever needs.
   */
  places: boolean;
  /** The member names known to the engine, with the detectors keyed on each. */
  names: KeyedIndex;
}

const NONE: readonly Detector[] = [];
const NOTHING_DECODED: PayloadTexts['decoded'] = new Map();
/** Nesting up to which the cycle check searches an array of the open containers. */
const SHALLOW_DEPTH = 16;

/** What a payload holds to be scanned, or how big it was found to be when past the limit. */
export function collectPayloadTexts(payload: unknown, options: CollectOptions): PayloadTexts | { oversize: number } {
  const decoded = options.decodeEncoded ? new Map<number, { source: number; decoding: DecodedText }>() : undefined;
  const c: PayloadTexts = {
    texts: new TextList(),
    owner: [],
    keyMembers: [],
    decoded: decoded ?? NOTHING_DECODED,
    keyed: [],
    nodeParent: [-1],
    nodeKey: [ROOT_PATH],
    nodePosition: [0],
    size: 0,
  };
  const { names } = options;
  const walk = names.beginWalk();
  let groups = 0;
  // The containers open on the path to the current value, for the cycle check. Near the root a
  // short array is searched: a Set would hash every container of the payload, which costs more
  // than the rest of the walk. Deeper ones go to a Set, so a deep payload stays linear.
  const shallowAncestors: object[] = [];
  let deepAncestors: Set<object> | undefined;
  const { places } = options;

  const addValue = (text: string, node: number, keyed: readonly Detector[]) => {
    const index = c.texts.push(text);
    if (places) c.owner.push(node);
    c.size += text.length;
    if (keyed.length > 0) c.keyed.push({ text: index, detectors: keyed });
    if (decoded === undefined) return;
    const decoding = decodeEncodedText(text);
    if (decoding === undefined) return;
    decoded.set(c.texts.push(decoding.text), { source: index, decoding });
    if (places) c.owner.push(node);
  };

  /** Records a member name (its text once per payload) and returns the detectors keyed on it. */
  const addKey = (key: string, member: number): readonly Detector[] => {
    c.size += key.length;
    const name = names.nameOf(key);
    if (name.walk !== walk) {
      name.walk = walk;
      name.group = groups++;
      c.texts.push(key);
      if (places) {
        c.keyMembers.push([]);
        c.owner.push(-1 - name.group);
      }
    }
    if (places) c.keyMembers[name.group]!.push(member);
    return name.detectors;
  };

  /** A new node under `parent`, or -1 when places are not recorded. */
  const addNode = (parent: number, key: string | number, position: number): number => {
    if (!places) return -1;
    c.nodeParent.push(parent);
    c.nodeKey.push(key);
    return c.nodePosition.push(position) - 1;
  };

  // `for…in` lists an object's names without allocating an array as Object.keys does: the same
  // own names in the same order, as long as Object.prototype has no enumerable name of its own.
  const ownNamesOnly = !hasEnumerableName(Object.prototype);

  const visit = (value: unknown, node: number, keyed: readonly Detector[], depth: number): void => {
    if (c.size > options.maxChars) return;
    if (typeof value === 'string') return addValue(value, node, keyed);
    const kind = jsonKindOf(value, depth);
    if (kind === 'number') return addValue(String(value), node, keyed);
    if (kind === 'skip') return;
    const container = value as object;
    const onPath = shallowAncestors.includes(container) || (deepAncestors !== undefined && deepAncestors.has(container));
    if (onPath) throw unscannable('it contains a cycle');
    const shallow = depth < SHALLOW_DEPTH;
    if (shallow) shallowAncestors.push(container);
    else (deepAncestors ??= new Set()).add(container);
    if (kind === 'array') {
      const items = container as unknown[];
      for (let i = 0; i < items.length; i++) visit(items[i], places ? addNode(node, i, i) : -1, keyed, depth + 1);
    } else {
      const members = container as Record<string, unknown>;
      let position = 0;
      for (const key in members) {
        if (!ownNamesOnly && !Object.hasOwn(members, key)) continue;
        const member = places ? addNode(node, key, position++) : -1;
        visit(members[key], member, addKey(key, member), depth + 1);
      }
    }
    if (shallow) shallowAncestors.pop();
    else deepAncestors!.delete(container);
  };

  visit(payload, 0, NONE, 0);
  return c.size > options.maxChars ? { oversize: c.size } : c;
}

function hasEnumerableName(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** The name of the nearest member enclosing a node (an array's items take their array's name). */
export function contextKeyOf(c: PayloadTexts, node: number): string | undefined {
  for (let at = node; at > 0; at = c.nodeParent[at]!) {
    const key = c.nodeKey[at]!;
    if (typeof key === 'string') return key;
  }
  return undefined;
}

/**
 * The JSON path of a node. Members whose names hold a finding (`withheld`) are named by
 * position so the path never repeats a sensitive name.
 */
export function pathOf(c: PayloadTexts, node: number, withheld: ReadonlySet<number>, memo: Map<number, string>): string {
  const known = memo.get(node);
  if (known !== undefined) return known;
  const parent = c.nodeParent[node]!;
  const key = c.nodeKey[node]!;
  let path: string;
  if (parent < 0) path = ROOT_PATH;
  else {
    const parentPath = pathOf(c, parent, withheld, memo);
    path = typeof key === 'number' ? indexPath(parentPath, key) : memberPath(parentPath, key, c.nodePosition[node]!, withheld.has(node));
  }
  memo.set(node, path);
  return path;
}
