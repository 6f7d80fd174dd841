"""The one stand-in both A1 runners use: azureml-ai-monitoring's Collector (not installable here; A1 calls it inside
try/except, so a no-op changes no answer). Importing this module installs it in sys.modules."""
import sys, types

monitoring = types.ModuleType("azureml.ai.monitoring")


class Collector:
    def __init__(self, name=None, **kw): self.name = name
    def collect(self, data, context=None): return None


monitoring.Collector = Collector
for name in ("azureml", "azureml.ai"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["azureml.ai.monitoring"] = monitoring
