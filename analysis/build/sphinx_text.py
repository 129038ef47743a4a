"""A small Sphinx extension: the edition's title and author reach the page templates as text.

Jupyter Book passes `title` and `author` from _config.yml to Sphinx (html_title, author), and the
themes write both into pages unescaped (pydata-sphinx-theme's navbar logo and sphinx-book-theme's
author line use `{{ docstitle }}` and `{{ author }}`), so a title holding markup would be live HTML.
Both come from the edition's parameter file, and sphinx-book-theme's print heading (`pagetitle`) is
a page's title as plain text. Wrapped as escaped `Markup`, every template shows them as text: Jinja's
`|e` leaves Markup alone (no double escaping in the <title>) and plain `{{ }}` writes the escaped text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# Context values that are plain text (not HTML Sphinx has already escaped): the edition's title and
# author, and the page title sphinx-book-theme sets from the first heading's text (`pagetitle`, which
# its print layout writes into an <h1> as it is; a pathway's title comes from the content file).
TEXT_KEYS = ("docstitle", "author", "project", "shorttitle", "pagetitle")


def as_text(context: dict) -> None:
    """Escape the template context's edition texts in place (values already Markup are left alone)."""
    for key in TEXT_KEYS:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    as_text(context)


def setup(app):
    """Sphinx extension entry point: register the page-context handler."""
    # After the themes' own handlers (priority 500), which set `pagetitle`.
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
