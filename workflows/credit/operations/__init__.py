"""Service-task operations of the credit processes, one module per process.

Importing this package registers every operation in workflows.operations; the app
does so at startup, so deploy knows every name before any model is validated.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
