"""The enquiry form's demo choices from demo/enquiries.yaml, for `manage.py setup_demo`."""

import yaml

from enquiries.models import BudgetRange, Need


def load(directory):
    """Create the needs and budget ranges, each only if the author has none yet."""
    data = yaml.safe_load((directory / "enquiries.yaml").read_text(encoding="utf-8"))
    loaded = []
    for model, key in [(Need, "needs"), (BudgetRange, "budgets")]:
        if model.objects.exists():
            continue
        model.objects.bulk_create(
            model(label=label, position=position) for position, label in enumerate(data[key])
        )
        loaded.append(f"{len(data[key])} {model._meta.verbose_name_plural}")
    if not loaded:
        return "Enquiry choices already present; demo choices not loaded."
    return f"Loaded demo enquiry choices: {' and '.join(loaded)}."
