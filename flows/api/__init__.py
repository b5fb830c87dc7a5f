"""The REST API (/api/v1/): tools, joins, credentials, flows and versions, validation, planning.

Package map:
- errors:      ApplicationError and the one DRF exception handler ({"error": {...}})
- selectors:   reads, including who may see and change a flow
- services:    writes: flows, versions (validated against the registry), plan requests
- diffing:     the diff of two IR documents
- fields:      JSON objects Postgres can store (no NUL), tool ids
- serializers: output serializers shared by views
- views:       one thin view per resource and operation
- urls:        the routes, included under /api/v1/ by dynamicflow_site.api_urls
"""
