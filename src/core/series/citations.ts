// Citations in a post body: `《title》`, bare or as the text of a Markdown link (whose URL may
// name the cited post too, e.g. /archives/9662).

export interface Citation {
  /** The title as cited, without the brackets. */
  text: string;
  /** 0-based source line. */
  line: number;
  /** The link's URL when the citation is a Markdown link's text. */
  url?: string;
}

// `[《…》](url)` or `《…》`; titles never span lines, and 120 characters is longer than any title.
const CITATION = /\[《([^《》\n]{1,120})》\]\(([^()\s]*)(?:\s+"[^"\n]*")?\)|《([^《》\n]{1,120})》/g;

/** Every citation in a body, with its source line (`lineMap`: body line → source line). */
export function findCitations(body: string, lineMap: readonly number[]): Citation[] {
  const out: Citation[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes('《')) continue;
    for (const m of lines[i].matchAll(CITATION)) {
      const line = lineMap[i] ?? i;
      if (m[1] !== undefined) out.push({ text: m[1], line, url: m[2] || undefined });
      else out.push({ text: m[3], line });
    }
  }
  return out;
}
