"""Reports people look at: a session's one-page HTML report, the council-wide insight (HTML, Markdown, JSON) and
the audit trail for operators. Figures come from facilitation/ (pure) over facts read from bot/storage; this
package only renders them, in the council's time zone. matplotlib is imported by charts.py alone, and only when an
HTML page is drawn."""
