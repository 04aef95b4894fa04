"""A synthetic brief that is also hostile: each payload, if it ran, would set window.__pwned to its name."""

LABEL = "ZZ </script><script>window.__pwned='chart data'</script> 2025"
LONG_WORD = "CPEC" * 2500

# name -> (Markdown in the brief's body, text the reader must see instead)
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
}

BRIEF_ID = "zz-hostile-2025"
BRIEF = f"""---
id: {BRIEF_ID}
short: "{LABEL}"
title: "A Hostile <script>window.__pwned='title'</script> Brief"
authors: ["Mallory <img src=x onerror=\\"window.__pwned='author'\\">"]
institution: "Institute of {{eval}}`1+1` Testing"
date: 2025-06
perspective: Test
added: 2026-12-01
---

## Hostile <b>heading</b>

""" + "\n\n".join(markdown for markdown, _ in PAYLOADS.values()) + "\n"
