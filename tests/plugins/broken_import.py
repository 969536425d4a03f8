"""A plugin whose import fails: it needs a package that is not installed."""

import foam_sensor_sdk  # noqa: F401  (deliberately missing)
