import type { Node, Scalar } from 'yaml';
import { yaml } from '../../core/packages.ts';
import type { PathSegment } from '../rules.ts';
import { ExtractionProblem, type ValueSlot } from './slot.ts';

/** `'a.b.0'` or `['a', { hostname: 'x' }, 'b']` as segments; numeric segments index sequences. */
export function pathSegments(path: string | PathSegment[]): PathSegment[] {
  if (Array.isArray(path)) return path;
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function describePath(path: string | PathSegment[]): string {
  return pathSegments(path)
    .map((segment) => (typeof segment === 'object' ? `[${Object.entries(segment).map(([k, v]) => `${k}=${v}`).join(',')}]` : String(segment)))
    .join('.');
}

/** The scalars at `path` in a YAML file (or a JSON file: JSON is YAML), with their exact place in the text. */
export function extractStructuredPath(text: string, path: string | PathSegment[], format: 'yaml' | 'json'): ValueSlot[] {
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      throw new ExtractionProblem('unparseable', `not valid JSON: ${(error as Error).message}`);
    }
  }
  const document = yaml().parseDocument(text, { keepSourceTokens: true });
  if (document.errors.length) throw new ExtractionProblem('unparseable', `not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);

  let nodes: unknown[] = [document.contents];
  for (const segment of pathSegments(path)) nodes = nodes.flatMap((node) => step(node, segment));
  const scalars = nodes.filter((node): node is Scalar => yaml().isScalar(node));
  if (scalars.length === 0) throw new ExtractionProblem('absent', `nothing at ${describePath(path)}`);
  return scalars.map(slotOf);
}

function step(node: unknown, segment: PathSegment): unknown[] {
  if (segment === '*') {
    if (yaml().isSeq(node)) return node.items;
    if (yaml().isMap(node)) return node.items.map((pair) => pair.value);
    return [];
  }
  if (typeof segment === 'object') {
    if (!yaml().isSeq(node)) return [];
    return node.items.filter((item) => yaml().isMap(item) && Object.entries(segment).every(([key, value]) => String(item.get(key)) === value));
  }
  if (typeof segment === 'number' && yaml().isSeq(node)) return [node.items[segment]].filter(Boolean);
  if (yaml().isMap(node)) return [node.get(String(segment), true)].filter(Boolean);
  return [];
}

function slotOf(scalar: Scalar): ValueSlot {
  const [start, end] = (scalar as Node).range!;
  return { raw: String(scalar.value), start, end, render: renderer(scalar.type) };
}

/** Writes a new value with the same quoting as the old one; block scalars are not rewritten. */
function renderer(type: Scalar['type']): ((value: string) => string | undefined) | undefined {
  switch (type) {
    case yaml().Scalar.QUOTE_DOUBLE:
      return (value) => JSON.stringify(value);
    case yaml().Scalar.QUOTE_SINGLE:
      return (value) => `'${value.replaceAll("'", "''")}'`;
    case yaml().Scalar.PLAIN:
      // A plain scalar stays plain when it reads back as the same text; the writer verifies that.
      return (value) => value;
    default:
      return undefined;
  }
}
