#!/usr/bin/env python3
"""`make bench`: SagaLab beside a SimPy model of the same saga, then SagaLab's speed targets.

For each size N it plays N orders of the Kafka shop (payment first, 30 % payment and 20 %
inventory failures, all placed at time 0 with one `order user-1..N prod-1` line) with
`sagalab run`, runs Benchmarks/kafka_shop.py on the same N, and prints both side by side.
Then it times `explore`, `goto` in a session of more than 100 000 steps, start-up and
every lesson.
Wall time and peak RSS come from os.wait4 on each child; up to 100 000 orders each side is
timed --repeat times, the two sides taking turns, and the fastest run of each kept. Nothing
here is asserted.

usage: bench.py --sagalab PATH [--sizes 1000,20000] [--skip-simpy-above N]
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

MODEL = Path(__file__).resolve().parent / "kafka_shop.py"
SIZES = [1_000, 10_000, 20_000, 100_000, 1_000_000]
MAX_STOCK = 1_000_000     # the largest quantity `stock` accepts
# SimPy's time for 20 000 orders on this machine when the targets were set (issue 9): how
# fast the machine runs now, read from SimPy's time in the same run, is told beside the
# targets, since the machine's hours move every time here by a fifth or more.
SIMPY_20K_WHEN_SET = 2.1


def spaced(n):
    """1000000 -> '1 000 000'."""
    return f"{n:,.0f}".replace(",", " ")


def seconds(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def measure(argv, env, stdin=b"", stdout=os.devnull):
    """Runs argv to its end with `stdin` piped in and stdout sent to a file.
    Returns (wall seconds, peak RSS in MiB, exit status), the last two from os.wait4."""
    read_end, write_end = os.pipe()
    os.write(write_end, stdin)     # a few bytes at most: they fit in the pipe's buffer
    os.close(write_end)
    actions = [(os.POSIX_SPAWN_DUP2, read_end, 0),
               (os.POSIX_SPAWN_OPEN, 1, str(stdout), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], [str(a) for a in argv], env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(read_end)
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)  # ru_maxrss is KiB


def write_script(path, orders, extra=(), one_line=True):
    """The lab script: the Kafka shop's design, stock for every order, the orders, `run quiet`.
    The orders go in one `order user-1..N prod-1` line, or (one_line=False) one line each."""
    with open(path, "w") as f:
        f.write("flow payment-first\nfail payment 30%\nfail inventory 20%\n")
        f.write(f"stock prod-1 {min(orders, MAX_STOCK)}\n")
        if one_line:
            f.write(f"order user-1..{orders} prod-1\n")
        else:
            f.writelines(f"order user-{i} prod-1\n" for i in range(1, orders + 1))
        f.write("run quiet\n")
        f.writelines(line + "\n" for line in extra)


def count_sagalab(lab, env, path, orders):
    """An untimed run of the script that also shows what it did. Returns the lab's counts."""
    write_script(path, orders, ["show analytics", "show metrics"])
    found = {"quiet": False, "broken": set()}
    proc = subprocess.Popen([lab, "run", path], stdout=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:       # line by line: the echo of a million orders is big
        if line.startswith("ran "):
            found["quiet"] = "nothing left to do" in line
        elif "invariant broken: " in line:
            found["broken"].add(line.split("invariant broken: ")[1].split(":")[0])
        elif m := re.match(r"(orders created|events consumed|confirmed|cancelled)\s+(\d+)$", line):
            found[m[1]] = int(m[2])
    if proc.wait() != 0 or not found["quiet"] or found.get("orders created") != orders:
        sys.exit(f"bench: `sagalab run` of {spaced(orders)} orders did not play to quiet")
    return found


def fastest(argv, env, runs, stdin=b"", stdout=os.devnull):
    """The fastest of `runs` runs of argv: (wall seconds, peak MiB of that run)."""
    timings = []
    for _ in range(runs):
        wall, peak, status = measure(argv, env, stdin=stdin, stdout=stdout)
        if status != 0:
            sys.exit(f"bench: {' '.join(map(str, argv))} exited with {status}")
        timings.append((wall, peak))
    return min(timings)


def side_by_side(lab, env, folder, orders, runs, with_simpy):
    """Times SagaLab (and SimPy, with_simpy) on `orders` orders, `runs` times each, the two
    taking turns so that both meet the same moments of a shared machine; keeps each one's
    fastest. SagaLab's counts come from an untimed run first; its timed runs play the bare
    script, with no output but the lab's own. Returns (SagaLab's figures, SimPy's or None)."""
    counts = count_sagalab(lab, env, folder / f"count-{orders}.lab", orders)
    timed = folder / f"orders-{orders}.lab"
    write_script(timed, orders)
    out = folder / f"simpy-{orders}.json"
    labs, sims = [], []
    for _ in range(runs):
        labs.append(fastest([lab, "run", timed], env, 1))
        if with_simpy:
            sims.append(fastest([sys.executable, MODEL, orders], env, 1, stdout=out))
    wall, peak = min(labs)
    ours = {"time": wall, "peak": peak, "events": counts["events consumed"], **counts}
    if not with_simpy:
        return ours, None
    wall, peak = min(sims)
    return ours, {"time": wall, "peak": peak, **json.loads(out.read_text())}


def lesson_names(lab, env):
    """The lessons the binary knows, from the error that names them; lesson-1..10 if none."""
    err = subprocess.run([lab, "run", "lesson-0"], capture_output=True, text=True, env=env).stderr
    return re.findall(r"lesson-\d+", err.partition("lessons:")[2]) or [f"lesson-{i}" for i in range(1, 11)]


EXPLORATIONS = [   # (orders, faults, states budget)
    (1, 0, 1_000_000), (1, 1, 1_000_000), (2, 0, 1_000_000), (2, 1, 3_000_000), (3, 0, 3_000_000),
    (3, 1, 10_000_000),
]


def run_explorations(lab, env, folder):
    """`explore` from 1 to 3 orders with every pattern on: states, time, rate, ending. Each
    search is timed as the fastest of three runs, as the kernel's sizes are, but for three
    orders with a fault (one run of some twenty seconds): a shared machine's noise moves
    a half-second search by a tenth."""
    results = {}
    print("explore, every pattern on (`pattern all on`), one order of prod-1x2 per customer:")
    print(f"  {'orders':>6} {'faults':>6} {'states':>11} {'distinct':>10} {'time':>9} {'states/s':>10}  ending")
    for orders, faults, budget in EXPLORATIONS:
        script = folder / f"explore-{orders}-{faults}.lab"
        script.write_text("pattern all on\n" + "".join(f"order user-{i} prod-1x2\n" for i in range(1, orders + 1))
                          + f"explore faults={faults} states={budget}\n")
        out = folder / f"explore-{orders}-{faults}.out"
        wall, _ = fastest([lab, "run", script], env, 1 if (orders, faults) == (3, 1) else 3, stdout=out)
        text = out.read_text()
        found = re.search(r"explored (\d+) states? \((\d+) distinct\)", text)
        if not found:
            sys.exit(f"bench: no exploration report in {out}")
        explored, distinct = int(found[1]), int(found[2])
        ending = ("exhausted" if "(exhausted)" in text else "budget reached" if "budget reached" in text
                  else "BROKEN: " + text.split("invariant broken: ")[1].splitlines()[0] if "invariant broken" in text
                  else "?")
        results[(orders, faults)] = {"time": wall, "states": explored, "ending": ending}
        print(f"  {orders:>6} {faults:>6} {spaced(explored):>11} {spaced(distinct):>10} {seconds(wall):>9} "
              f"{spaced(explored / wall):>10}  {ending}", flush=True)
    return results


JUMP_ORDERS = 12_000   # with `run`, a session of more than 100 000 steps
JUMPS = 200


def run_jumps(lab, env, folder):
    """`goto` in a session of more than 100 000 steps: the session alone, then the same
    session followed by JUMPS pairs of jumps, each to an entry as far from the snapshot
    before it as the lab lets one be, then back to the end. Returns (steps, seconds per pair)."""
    base = folder / "jumps-base.lab"
    write_script(base, JUMP_ORDERS, one_line=False)   # one history entry per order, to jump between
    steps = int(re.search(r"ran (\d+) steps", subprocess.run([lab, "run", base], capture_output=True, text=True,
                                                             env=env).stdout)[1])
    end = JUMP_ORDERS + 5   # the four settings, the orders, `run quiet`
    far = [2000 * (1 + k % 5) - 3 - k for k in range(JUMPS)]
    jumps = folder / "jumps.lab"
    jumps.write_text(base.read_text() + "".join(f"goto {t}\ngoto {end}\n" for t in far))
    alone = fastest([lab, "run", base], env, 3)[0]
    with_jumps = fastest([lab, "run", jumps], env, 3)[0]
    return steps, max(0.0, with_jumps - alone) / JUMPS


def verdict(ok, text):
    print(f"  {'met' if ok else 'NOT MET' if ok is not None else 'not measured':<12} {text}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sagalab", required=True, help="the sagalab binary (a release build)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated order counts (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="time each side N times up to 100 000 orders, and SagaLab alone where SimPy is "
                             "extrapolated, and keep the fastest (default: %(default)s)")
    parser.add_argument("--explore-only", action="store_true",
                        help="measure only the explorer (and start-up and lessons), not the SimPy comparison")
    parser.add_argument("--skip-simpy-above", type=int, default=100_000, metavar="N",
                        help="extrapolate SimPy's time above N orders instead of running it (default: %(default)s)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    lab = os.path.abspath(args.sagalab)

    with tempfile.TemporaryDirectory(prefix="sagalab-bench-") as tmp:
        folder = Path(tmp)
        # The lab keeps its history and lesson progress in this folder, not in $HOME.
        env = dict(os.environ, NO_COLOR="1", SAGALAB_HISTORY=str(folder / "history"),
                   SAGALAB_PROGRESS=str(folder / "progress"))
        print(f"SagaLab ({lab}) beside SimPy {metadata.version('simpy')} ({MODEL.name}): "
              "N orders at time 0, payment first, 30 % payment and 20 % inventory failures")
        print(f"{'':>9} | {'SagaLab':^32} | {'SimPy':^32} |")
        print(f"{'orders':>9} | {'time':>9} {'peak MB':>9} {'events/s':>12} "
              f"| {'time':>9} {'peak MB':>9} {'events/s':>12} | SimPy time / SagaLab time")
        labs, sims = {}, {}
        for n in ([] if args.explore_only else sizes):
            measured = [m for m in sims if m <= args.skip_simpy_above]
            with_simpy = n <= args.skip_simpy_above or not measured
            # A million orders take SagaLab seconds and SimPy minutes: where SimPy runs, each
            # side runs once; where it is extrapolated, SagaLab alone keeps its fastest of
            # `repeat`, as below, since a run's share in the kernel moves by a second.
            runs = args.repeat if n <= 100_000 or not with_simpy else 1
            labs[n], simpy = side_by_side(lab, env, folder, n, runs, with_simpy)
            s = labs[n]
            row = f"{spaced(n):>9} | {seconds(s['time']):>9} {s['peak']:>9.1f} {spaced(s['events'] / s['time']):>12} | "
            if with_simpy:
                sims[n] = p = simpy
                row += f"{seconds(p['time']):>9} {p['peak']:>9.1f} {spaced(p['events'] / p['time']):>12} | "
                note = ""
            else:   # linear in the number of orders, from the largest size SimPy ran
                base = max(measured)
                sims[n] = p = {"time": sims[base]["time"] * n / base, "extrapolated": base}
                row += f"{'~' + seconds(p['time']):>9} {'-':>9} {'-':>12} | "
                note = " (extrapolated)"
            ratio = p["time"] / s["time"]
            print(row + (f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower") + note, flush=True)

        if 20_000 in sims and "extrapolated" not in sims[20_000]:
            pace = SIMPY_20K_WHEN_SET / sims[20_000]["time"]
            print(f"This hour SimPy took {seconds(sims[20_000]['time'])} for 20 000 orders "
                  f"({SIMPY_20K_WHEN_SET:.1f} s when the targets were set):\n"
                  f"  the machine ran at {pace:.2f} of that speed; the targets judge the times as measured.")
        extrapolated = sorted({p["extrapolated"] for p in sims.values() if "extrapolated" in p})
        if extrapolated:
            print(f"SimPy was not run above {spaced(args.skip_simpy_above)} orders (--skip-simpy-above): "
                  f"its time there is extrapolated linearly from {spaced(extrapolated[0])} orders.")
        print("Same work? events published and orders confirmed, SagaLab vs SimPy (different random draws):")
        for n in labs:
            s, p = labs[n], sims[n]
            their = f"{spaced(p['events'])} events, {spaced(p['confirmed'])} confirmed" if "events" in p else "not run"
            print(f"  {spaced(n):>9} orders: {spaced(s['events'])} events, {spaced(s['confirmed'])} confirmed"
                  f" | {their}")
        broken = sorted(set().union(set(), *(s["broken"] for s in labs.values())))
        if broken:      # rewards awards points on order.created, so a cancelled order keeps them
            print("Invariants SagaLab announced broken (the design's, not the bench's): " + "; ".join(broken))

        explorations = run_explorations(lab, env, folder)
        jump_steps, jump = run_jumps(lab, env, folder)
        print(f"goto in a session of {spaced(jump_steps)} steps: {JUMPS} pairs of jumps (a far entry, then the end) "
              f"cost {jump * 1000:.1f} ms a pair", flush=True)
        startup = fastest([lab], env, 20, stdin=b"quit\n")[0]
        lessons = {name: fastest([lab, "run", name], env, 3)[0] for name in lesson_names(lab, env)}

    print(f"Peak MB is the child's ru_maxrss, which Linux starts at the parent's own peak "
          f"(bench.py's: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB).")
    print("Targets:")
    t = {n: s["time"] for n, s in labs.items()}
    ratio = sims[20_000]["time"] / t[20_000] if 20_000 in t else None
    # Searches of a few thousand states are over before the process has warmed up: rates
    # are judged on those of at least 10 000.
    rate = min(r["states"] / r["time"] for r in explorations.values() if r["states"] >= 10_000)
    verdict(rate >= 200_000, f"explore: at least 200 000 states/s on worlds of 1 to 3 orders "
            f"(searches of 10 000 states or more): slowest {spaced(rate)} states/s")
    for orders, limit in ((1, 1), (3, 10)):
        r = explorations[(orders, 1)]
        verdict(r["ending"] == "exhausted" and r["time"] < limit,
                f"explore: {orders} order{'s' if orders > 1 else ''}, faults=1 exhausted in under {limit} s: "
                f"{r['ending']} after {spaced(r['states'])} states in {seconds(r['time'])}")
    how = " (SimPy extrapolated)" if ratio and "extrapolated" in sims[20_000] else ""
    verdict(ratio and ratio >= 30, "SagaLab at least 30× faster than SimPy at 20 000 orders"
            + (f": {ratio:.1f}×{how}" if ratio else ""))
    scaling = t[100_000] / t[10_000] if {10_000, 100_000} <= t.keys() else None
    verdict(scaling and scaling <= 12, "time(100 000) at most 12 × time(10 000)"
            + (f": {seconds(t[100_000])} = {scaling:.1f} × {seconds(t[10_000])}" if scaling else ""))
    million = labs.get(1_000_000)
    verdict(million and million["time"] <= 3 and million["peak"] <= 1024, "1 000 000 orders in at most 3 s and 1 GiB"
            + (f": {seconds(million['time'])}, {million['peak']:.0f} MB" if million else ""))
    verdict(jump < 0.010, f"a jump (`goto`) in a session of {spaced(jump_steps)} steps under 10 ms: "
            f"{jump * 1000:.1f} ms for the farthest jump and the jump back, together")
    verdict(startup < 0.010, f"start-up to first prompt under 10 ms (`quit` piped in, best of 20): {seconds(startup)}")
    slowest = max(lessons, key=lessons.get)
    verdict(lessons[slowest] < 0.100, f"every lesson under 100 ms (`sagalab run lesson-N`, best of 3 each): "
            f"slowest {slowest} {seconds(lessons[slowest])}")


if __name__ == "__main__":
    main()
