import { SaxesParser } from 'saxes';

/** Throws unless `xml` is well-formed, namespace-correct XML (every prefix such as `media:` declared). */
export function assertWellFormedXml(xml: string, name = 'document'): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    throw new Error(`${name} is not well-formed XML: ${e.message}`);
  });
  parser.write(xml).close();
}
