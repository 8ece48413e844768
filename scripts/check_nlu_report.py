"""Fail when `rasa test nlu` scored the held-out set below a floor: `check_nlu_report.py REPORT --min-f1 X`."""

import argparse
import json
import sys
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("report", help="intent_report.json written by `rasa test nlu`")
parser.add_argument("--min-f1", type=float, required=True)
args = parser.parse_args()
report = json.loads(Path(args.report).read_text(encoding="utf-8"))
f1 = report["macro avg"]["f1-score"]
print(f"held-out intent accuracy {report['accuracy']:.3f}, macro-F1 {f1:.3f} (floor {args.min_f1})")
sys.exit(0 if f1 >= args.min_f1 else 1)
