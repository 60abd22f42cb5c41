"""Writing the site: the only stage that touches the output folder.

In order: what a write did (`report`), which paths may be written (`paths`), the file
operations (`files`), the manifest of our files (`manifest`), the folder switch (`switch`),
the new site assembled in the spare folder (`assembly`), files replaced in place
(`in_place`), and `write_site` itself (`site`).
"""
