"""Photos as bytes: inspect and refuse hostile images, re-encode without device identifiers,
thumbnails, the watermark band (``images``); the content-addressed file store (``store``).
No database, no Dash."""
