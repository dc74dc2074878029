"""Layer 3, the solvers: HiGHS's fast path, HiGHS through PuLP, CBC, and the options a run used."""
