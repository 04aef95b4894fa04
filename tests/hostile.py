"""A synthetic brief that is also hostile: each payload, if it ran, would set window.__pwned to its name.

Between them the payloads reach every path by which a brief's text gets into a page: its label (tables,
source lines, chart data and chart descriptions in an attribute), headings, passages and notes.
"""

import json

# A '"' ends an attribute value that is not escaped; '&' starts an entity; '</script>' ends chart data.
LABEL = "ZZ \" onclick=\"__pwned=1\" &amp; </script><script>window.__pwned='c'</script>"
LONG_WORD = "CPEC" * 2500

# name -> (Markdown in the brief's body, text the reader must see instead). The reader sees the brief's
# characters: only Markdown's inline markup is read as markup (so a code span loses its backticks), a
# fenced or HTML block is shown whole, and, as always in HTML, runs of whitespace show as one space.
PAYLOADS = {
    "inline script": ("A paragraph about CPEC and China with <script>window.__pwned='inline script'</script> inside.",
                      "A paragraph about CPEC and China with <script>window.__pwned='inline script'</script> inside."),
    "script block": ("<script>window.__pwned='script block'</script>", "<script>window.__pwned='script block'</script>"),
    "img onerror": ("<img src=\"x\" onerror=\"window.__pwned='img onerror'\">",
                    "<img src=\"x\" onerror=\"window.__pwned='img onerror'\">"),
    # Markdown refuses javascript: links, so the whole construct stays literal text.
    "javascript link": ("A [link about India](javascript:window.__pwned='javascript link') and BECA.",
                        "A [link about India](javascript:window.__pwned='javascript link') and BECA."),
    "raw directive": ("```{raw} html\n<script>window.__pwned='raw directive'</script>\n```",
                      "```{raw} html <script>window.__pwned='raw directive'</script> ```"),
    "include directive": ("```{include} /etc/passwd\n```", "```{include} /etc/passwd ```"),
    "eval role": ("A role {eval}`window.__pwned='eval role'` about Afghanistan and the Taliban.",
                  "A role {eval}window.__pwned='eval role' about Afghanistan and the Taliban."),
    "control characters": ("Control characters: bell \x07 and escape \x1b, about the Taliban.",
                           "Control characters: bell \u2407 and escape \u241b, about the Taliban."),
    "very long line": (f"{LONG_WORD} is one very long line without spaces, about China.",
                       f"{LONG_WORD} is one very long line without spaces, about China."),
    "quotes and ampersands": ('A "quoted" <a title="x" onclick="window.__pwned=\'attribute\'">word</a> & more, about India.',
                              'A "quoted" <a title="x" onclick="window.__pwned=\'attribute\'">word</a> & more, about India.'),
    "footnote reference": ("A claim about CPEC with a note.[^1]", "A claim about CPEC with a note."),
}

# Headings and notes of the body, each a payload as dangerous as those above.
HEADING = "Hostile <img src=x onerror=\"window.__pwned='heading'\"> heading"
NOTE = "A note with <script>window.__pwned='note'</script> and <img src=x onerror=\"window.__pwned='note img'\">."

BRIEF_ID = "zz-hostile-2025"

# Front matter: each field, if it were run as HTML, LaTeX or BibTeX, would act; shown as text, it is inert.
TITLE = ("A Hostile <script>window.__pwned='title'</script> Brief: Evil}, note={x} "
         "\\input{/etc/passwd} & 100% $5 #1 ~x ^y _z \"quoted\"")
AUTHOR = "Mallory O'Brien <img src=x onerror=\"window.__pwned='author'\"> & Sons"
INSTITUTION = "Institute of <img src=x onerror=\"window.__pwned='institution'\"> {eval}`1+1` Testing"
URL = "https://example.org/hostile?title=%3Cscript%3E&x='1'#top"
BAD_URL = "javascript:alert(document.domain)"


def front_matter(url: str = URL) -> str:
    """The hostile brief's front matter, each value written as a YAML (JSON) string so it reaches the
    book exactly as above."""
    fields = {"id": BRIEF_ID, "short": LABEL, "title": TITLE, "authors": [AUTHOR], "institution": INSTITUTION,
              "date": "2025-06", "perspective": "Test", "url": url, "added": "2026-12-01"}
    return "---\n" + "".join(f"{name}: {json.dumps(value, ensure_ascii=False)}\n" for name, value in fields.items()) + "---\n"


BRIEF = front_matter() + f"""
## {HEADING}

""" + "\n\n".join(markdown for markdown, _ in PAYLOADS.values()) + f"\n\n[^1]: {NOTE}\n"
# A row for data/events.csv citing the brief's first passage, so that its label reaches the timeline.
EVENT_ROW = f'2025-06-01,Test event cited by the hostile brief,{BRIEF_ID}-1,An event only the hostile brief cites.\n'
