"""How each kind of case is filed and what its parties may do, one module per kind.

Each module registers its filer and actions in workflows.credit.filing; the app
imports this package at startup.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
