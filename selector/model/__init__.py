"""Layer 2, the integer program: scores, the model's constraint families, pilot balance."""

from selector.model.build import CONSTRAINT_FAMILIES, Model, build_model

__all__ = ["CONSTRAINT_FAMILIES", "Model", "build_model"]
