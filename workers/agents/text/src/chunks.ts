/**
 * Splitting text into chunks a model can take one at a time: at paragraph breaks where possible, then at
 * sentence ends, then at spaces, and only as a last resort inside a word, so each chunk reads on its own.
 * Pure, so the same text always gives the same chunks.
 */

/** Chunks of at most `maxChars` characters, in order, none empty; their concatenation keeps every word. */
export function splitText(text: string, maxChars: number): string[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  const chunks: string[] = [];
  let current = "";
  const flush = () => {
    if (current) chunks.push(current);
    current = "";
  };
  for (const paragraph of paragraphs.flatMap((p) => (p.length > maxChars ? pieces(p, maxChars) : [p]))) {
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if (joined.length <= maxChars) current = joined;
    else {
      flush();
      current = paragraph;
    }
  }
  flush();
  return chunks;
}

/** A paragraph longer than the limit, cut at the last sentence end (or space) before it. */
function pieces(paragraph: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = paragraph;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const sentence = Math.max(window.lastIndexOf(". "), window.lastIndexOf("! "), window.lastIndexOf("? "));
    const space = window.lastIndexOf(" ");
    const cut = sentence > maxChars / 2 ? sentence + 1 : space > 0 ? space : maxChars;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}
