"""The second plugin claiming ``RivalIntent``: the same hook as ``rival_one``, in another package."""

from rival_one import register_intents  # noqa: F401
