"""Layer 4, what a model says beyond its plan: diagnosis of infeasibility, reasons, marginal values."""
