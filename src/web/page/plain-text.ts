// Markdown syntax taken out of a snippet so it reads as text: search snippets are cut from documents and
// descriptions at any point, so they are not rendered as markdown (half a link, an unclosed `**`), only
// stripped of its marks. The result is still put in the page as text.
export function plainSnippet(s: string): string {
  return (
    s
      // images and links: their text only
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      // a link cut before its end: "[text](http…" → "text"
      .replace(/\[([^\]]*)\]\([^)]*$/g, '$1')
      // headings, quotes and list marks at the start of a line
      .replace(/(^|\n)\s{0,3}#{1,6}\s+/g, '$1')
      .replace(/(^|\n)\s{0,3}>\s?/g, '$1')
      .replace(/(^|\n)\s*(?:[-*+]|\d+[.)])\s+/g, '$1')
      // code fences, then inline marks
      .replace(/```[\w-]*/g, '')
      .replace(/`/g, '')
      .replace(/\*\*|__|~~/g, '')
      .replace(/(^|[\s(])[*_](?=\S)|(?<=\S)[*_](?=[\s).,;:!?]|$)/g, '$1')
      .replace(/[ \t]*\n[ \t]*/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}
