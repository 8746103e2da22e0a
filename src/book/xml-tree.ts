// A small element tree from htmlparser2's events, for the EPUB's XML files (container, package,
// NCX, navigation document): these are small, and a tree is the plainest way to walk them.
// Element names are kept as local names in lower case ("opf:item" -> "item"), since books write
// the same elements with and without namespace prefixes.
import { loadHtmlParser } from './html-text.js';
import { foldWhitespace } from './speakable.js';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** The document's root holding its top-level elements; `xml` false parses XHTML leniently as HTML. */
export async function parseXml(source: string, xml = true): Promise<XmlElement> {
  const Parser = await loadHtmlParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const element: XmlElement = { name: localName(name), attributes, children: [] };
        stack.at(-1)!.children.push(element);
        stack.push(element);
      },
      onclosetag() {
        if (stack.length > 1) stack.pop();
      },
      ontext(text) {
        stack.at(-1)!.children.push(text);
      },
    },
    { xmlMode: xml, decodeEntities: true, recognizeSelfClosing: true, lowerCaseAttributeNames: !xml },
  );
  parser.write(source);
  parser.end();
  return root;
}

export function localName(name: string): string {
  return (name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : name).toLowerCase();
}

/** Every element named `name` under `element`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (typeof child === 'string') continue;
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

export function firstDescendant(element: XmlElement, name: string): XmlElement | undefined {
  return descendants(element, name)[0];
}

/** The element's text, whitespace folded. */
export function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const parts: string[] = [];
  const visit = (element: XmlElement): void => {
    for (const child of element.children) typeof child === 'string' ? parts.push(child) : visit(child);
  };
  visit(node);
  return foldWhitespace(parts.join(''));
}

/** An attribute by its local name, whatever its prefix ("opf:role", "role"). */
export function attribute(element: XmlElement, name: string): string | undefined {
  if (element.attributes[name] !== undefined) return element.attributes[name];
  for (const [key, value] of Object.entries(element.attributes)) if (localName(key) === name) return value;
  return undefined;
}
