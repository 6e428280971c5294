"""Official documents (公文) as PDFs: templates, rendering in Celery, storage.

The credit domain numbers and records a document (``workflows.credit.documents``);
after its transaction commits, the ``documents.render`` task lays the document out
with WeasyPrint from its payload, stores the PDF under ``documents_directory()`` and
its sha256 on the row. Only this package imports WeasyPrint.
"""
