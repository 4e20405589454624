"""Moving a site in and out: importers for the platforms authors come from, and an export
that loses nothing.

Every source (a Jekyll folder, a Hugo site, a WordPress WXR file, a Ghost or Substack
export, this site's own archive) is read by a reader of its own into the records of
``transfer.sources``; one pipeline writes those records to the database.
"""
