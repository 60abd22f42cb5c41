"""`weeknote-gen import`: weeknotes from a WordPress export (WXR), an RSS 2.0 or an Atom file.

In order: the posts read (`posts`), XML read safely (`safe_xml`), HTML bodies made Markdown
(`to_markdown`), RSS and Atom files (`feeds`), WordPress exports (`wordpress`), the notes
planned and written (`notes`), and the command itself (`command`). See docs/importing.md.
"""
