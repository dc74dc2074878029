"""Where the samples run: local processes, or a Dask cluster."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable

from selector.errors import Problem, ScenarioError, SelectorError
from selector.i18n import _
from selector.workflows.robustness.engine import Job, solve_chunk


def split_into_chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_local(job: Job, chunks: list[list], workers: int, progress: Callable[[int], None]) -> list[tuple]:
    if workers <= 1:
        results = []
        for chunk in chunks:
            results += solve_chunk(job, chunk)
            progress(len(chunk))
        return results
    import multiprocessing

    # spawn, not fork: the parent has HiGHS threads running, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    results = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = {pool.submit(solve_chunk, job, chunk): len(chunk) for chunk in chunks}
        for future in as_completed(futures):
            results += future.result()
            progress(futures[future])
    except BaseException:  # Ctrl-C, a kill or a failed chunk: do not wait for the queued chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def run_dask(job: Job, chunks: list[list], scheduler, progress: Callable[[int], None],
             task: Callable[[Any, list], list] = solve_chunk) -> list[tuple]:
    """Run ``task(job, chunk)`` for every chunk on an existing Dask cluster (an address such as
    tcp://HOST:8786, or a Client); the job is sent once to every worker. The results come in the order
    the chunks finish: a caller that needs an order sorts them (robustness by sample, frontier by step)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise SelectorError(_("--scheduler needs Dask distributed: pip install 'selector[distributed]'")) from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:

        raise ScenarioError([Problem("--scheduler", None, None, _("cannot reach the Dask scheduler {scheduler} ({error})", scheduler=scheduler, error=exc),
                                     _("check the address (tcp://HOST:PORT) and that the scheduler is running"))]) from exc
    try:
        [shared] = client.scatter([job], broadcast=True)
        futures = client.map(task, [shared] * len(chunks), chunks, pure=False)
        sizes = {f.key: len(c) for f, c in zip(futures, chunks)}
        results = []
        for future in dask_completed(futures):
            results += future.result()
            progress(sizes[future.key])
        return results
    finally:
        if own:
            client.close()
