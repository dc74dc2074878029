"""MkDocs hook: tidy the CLI reference that mkdocs-click generates from the click commands (cli.md).

Two things in its option tables would mislead a reader:

- help texts name files by pattern, `<stem>-schedule.csv`, `synth-<units>.csv`; mkdocs-click copies
  them into the table unescaped, so the browser takes `<stem>` for an HTML tag and shows
  "-schedule.csv". Such pseudo-tags are escaped here, so they read as written in `--help`.
- with click >= 8.3 an option without a default reports click's internal `Sentinel.UNSET`
  (mkdocs-click 0.9); it is shown as `None`, as for the other options without a default.
"""

from __future__ import annotations

import re

CLI_PAGE = "cli.md"

# The HTML tags Markdown produces on this page; any other <word> came from a help text.
HTML_TAGS = frozenset(
    "a abbr b blockquote br code dd div dl dt em h1 h2 h3 h4 h5 h6 hr i li ol p pre span strong "
    "table tbody td th thead tr ul".split()
)

_TAG = re.compile(r"<(/?)([A-Za-z_][\w-]*)>")


def _escape_pseudo_tag(match: re.Match[str]) -> str:
    if match.group(2).lower() in HTML_TAGS:
        return match.group(0)
    return f"&lt;{match.group(1)}{match.group(2)}&gt;"


def on_page_content(html: str, page, **kwargs) -> str:
    if page.file.src_uri != CLI_PAGE:
        return html
    html = html.replace("<code>Sentinel.UNSET</code>", "None")
    return _TAG.sub(_escape_pseudo_tag, html)
