"""The site as data: which pages exist (`plan`), the read-only values templates see
(`views`) and the charts drawn from the notes (`charts`). Nothing here renders or writes a
file. It may import the base modules, `config`, `urls` and `content`.
"""
