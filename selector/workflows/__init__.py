"""Layer 6, the planner's workflows built on ``selector.solve``: explain, money, replan, compare, robustness, synth."""
