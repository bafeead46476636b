"""Figure for Module 3, lesson 4: a 40-hour job under a free tier's session and weekly caps.

Why: a quota is two limits, hours per session and hours per week, and a job longer than
either only finishes if it can resume from checkpoints. The caps used are Kaggle's as
published in its documentation when this course was written (12 hours per GPU session;
a weekly GPU quota of 30 hours "or sometimes higher"); check the current pages.

Usage: python m3_session_plan.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

JOB_HOURS = 40.0
SESSION_CAP = 12.0   # Kaggle docs, Technical Specifications: CPU and GPU notebook sessions
WEEKLY_QUOTA = 30.0  # Kaggle docs, Efficient GPU Usage: "30 hours or sometimes higher"


def plan_sessions(job: float, session_cap: float, weekly: float) -> list[tuple[float, float]]:
    """(start day, hours) of each session: one session a day, resuming from a checkpoint,
    until the weekly quota runs out; the next week starts on day 7."""
    sessions: list[tuple[float, float]] = []
    left, day, used_this_week, week = job, 0.0, 0.0, 0
    while left > 0:
        if used_this_week >= weekly:
            week += 1
            day, used_this_week = 7.0 * week, 0.0
        hours = min(session_cap, left, weekly - used_this_week)
        sessions.append((day, hours))
        left -= hours
        used_this_week += hours
        day += 1.0
    return sessions


def main(out_path: str) -> None:
    sessions = plan_sessions(JOB_HOURS, SESSION_CAP, WEEKLY_QUOTA)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for start_day, hours in sessions:
        ax.broken_barh([(start_day, hours / 24)], (1.6, 0.6), color="tab:blue")
        ax.plot(start_day + hours / 24, 2.3, marker="v", color="tab:orange", ms=7)
        ax.text(start_day + hours / 48, 1.35, f"{hours:g} h", ha="center", fontsize=8)
    ax.broken_barh([(0.0, JOB_HOURS / 24)], (0.4, 0.6), color="tab:green")
    ax.text(JOB_HOURS / 48, 0.15, f"{JOB_HOURS:g} h in one go", ha="center", fontsize=8)
    ax.axvline(7, color="0.6", ls=":", lw=1)
    ax.text(7.1, 2.55, "weekly quota resets", fontsize=8, color="0.4")
    ax.plot([], [], marker="v", color="tab:orange", ls="", label="checkpoint, then resume")
    ax.set_yticks([0.7, 1.9])
    ax.set_yticklabels(["rented GPU,\nsame card", "free tier:\n12 h sessions,\n30 h a week"])
    ax.set_xlim(-0.3, 11)
    ax.set_ylim(0, 2.9)
    ax.set_xlabel("days from the start")
    n_weeks = int(sessions[-1][0] // 7) + 1
    ax.set_title(f"A {JOB_HOURS:g}-hour job: {len(sessions)} sessions over {n_weeks} weeks, "
                 "or about two days paid")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
