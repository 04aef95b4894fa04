"""A synthetic brief that is also hostile: each payload, if it ran, would set window.__pwned to its name.

Between them the payloads reach every path by which a brief's text gets into a page: its label (tables,
source lines, chart data and chart descriptions in an attribute), headings, passages and notes.
"""

import json

# A '"' ends an attribute value that is not escaped; '&' starts an entity; '</script>' ends chart data.
LABEL = "ZZ \" onmouseover=\"window.__pwned='label attribute'\" &amp; </script><script>window.__pwned='chart data'</script> 2025"
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
BRIEF = f"""---
id: {BRIEF_ID}
short: {json.dumps(LABEL)}
title: "A Hostile <script>window.__pwned='title'</script> Brief"
authors: ["Mallory <img src=x onerror=\\"window.__pwned='author'\\">"]
institution: "Institute of {{eval}}`1+1` Testing"
date: 2025-06
perspective: Test
added: 2026-12-01
---

## {HEADING}

""" + "\n\n".join(markdown for markdown, _ in PAYLOADS.values()) + f"\n\n[^1]: {NOTE}\n"
