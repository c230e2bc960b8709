"""Regenerate the bundled sample data under data/raw/ (deterministic: fixed seeds).

    python sample/make_sample_data.py [--out data/raw]

Plan tasks, TP. Hồ Chí Minh's task statuses and self-assessed figures, Sở Nội vụ Đồng
Nai's 2022 catalogue sizes and the Đồng Nai VHTTDL budget come from the seed documents,
transcribed in sample/plans/ (its README says what is transcribed, generated, invented);
dossiers, ratings and feedback are generated.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from synthetic import write_sample

from helpers.params import load_params

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(HERE.parent / "data" / "raw"))
    ap.add_argument("--params", default=str(HERE.parent / "params"))
    args = ap.parse_args()
    out = Path(args.out)
    names = {a.id: a.name for a in load_params(args.params).agencies.values()}
    for aid in names:
        shutil.rmtree(out / aid, ignore_errors=True)
    files = write_sample(out, HERE / "plans", names)
    for f in files:
        print(f)


if __name__ == "__main__":
    main()
