"""Reference values for stet's token-level kappas (tests/agreement.rs).

Reads the token label sequences that stet produces for the test fixture
(kappa_tokens.json beside this script; the Rust test checks that the file is current) and
prints Cohen's kappa for the first two annotators (scikit-learn `cohen_kappa_score`) and
Fleiss' kappa for all three (statsmodels `fleiss_kappa`, method "fleiss"), overall (categories
"O" and the labels) and per label (binary: a span of the label touches the token or not).

Run: python3 -m venv .venv && .venv/bin/pip install scikit-learn statsmodels
     .venv/bin/python tests/reference/kappa.py
"""

import json
import pathlib
import platform

import numpy
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

HERE = pathlib.Path(__file__).resolve().parent


def fleiss(sequences):
    """Fleiss' kappa over items (tokens) rated once by each annotator."""
    items = numpy.array(sequences, dtype=object).T
    # aggregate_raters wants category codes; map labels to integers first.
    codes = {value: i for i, value in enumerate(sorted({v for row in items for v in row}, key=str))}
    coded = numpy.vectorize(codes.get)(items) if items.size else items
    table, _ = aggregate_raters(coded)
    return float(fleiss_kappa(table, method="fleiss"))


def main():
    data = json.loads((HERE / "kappa_tokens.json").read_text(encoding="utf-8"))
    annotators = data["annotators"]
    first, second = annotators[0], annotators[1]
    print(f"# Python {platform.python_version()}, numpy {numpy.__version__}, "
          f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}")
    print(f"# tokens: {len(data['overall'][first])}")
    overall = data["overall"]
    print(f"cohen overall ({first}, {second}): "
          f"{cohen_kappa_score(overall[first], overall[second])!r}")
    print(f"fleiss overall ({', '.join(annotators)}): "
          f"{fleiss([overall[a] for a in annotators])!r}")
    for label in data["labels"]:
        seqs = data["binary"][label]
        print(f"cohen {label}: {cohen_kappa_score(seqs[first], seqs[second])!r}")
        print(f"fleiss {label}: {fleiss([seqs[a] for a in annotators])!r}")


if __name__ == "__main__":
    main()
