"""The site as data: which pages exist (`plan`, which joins a planner per family of pages
into `PageSpec`s), the read-only values templates see (`views`) and the charts drawn from
the notes (`charts`). Nothing here renders or writes a file. It may import the base modules,
`config`, `urls` and `content`.
"""
